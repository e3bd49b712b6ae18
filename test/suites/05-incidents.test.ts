// The fast tier's "incidents" suite: its test files in one process (test/support/suites.ts).
import { runSuite } from '../support/suites.ts';

runSuite('incidents');
