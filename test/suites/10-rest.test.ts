// The fast tier's "rest" suite: its test files in one process (test/support/suites.ts).
import { runSuite } from '../support/suites.ts';

runSuite('rest');
