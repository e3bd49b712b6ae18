// The fast tier's "stats" suite: its test files in one process (test/support/suites.ts).
import { runSuite } from '../support/suites.ts';

runSuite('stats');
