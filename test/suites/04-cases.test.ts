// The fast tier's "cases" suite: its test files in one process (test/support/suites.ts).
import { runSuite } from '../support/suites.ts';

runSuite('cases');
