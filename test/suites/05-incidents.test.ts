// A suite of the fast tier: the test files test/support/suites.ts gives the name of this file, in one process.
import { runSuite } from '../support/suites.ts';

runSuite(import.meta.url);
