// The fast tier's "plugins" suite: its test files in one process (test/support/suites.ts).
import { runSuite } from '../support/suites.ts';

runSuite('plugins');
