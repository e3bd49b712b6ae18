// A 500's log line holds the error's class, code, a hash of the statement and the stack frames: never the SQL
// text or its parameters, even when the driver's message runs over several lines.
import t from 'tap';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { loggableError } from '../../src/plugins/problems.ts';

const SQL_TEXT = `select "id", "staff_number"\n  from "victims"\n where "staff_number" = $1\n   and "narrative" = $2\n limit 1`;
const PARAMS = ['SYN-SECRET-4711', 'Synthetic narrative with personal detail'];

t.test('a failed query is logged without its SQL or parameters', async (t) => {
  const cause = Object.assign(new Error('relation "victims" does not exist'), { code: '42P01' });
  const err = new DrizzleQueryError(SQL_TEXT, PARAMS, cause);
  const logged = JSON.stringify(loggableError(err));
  for (const leak of ['select', 'staff_number', 'victims', 'narrative', ...PARAMS]) t.notMatch(logged, leak, `no ${leak}`);
  const entry = loggableError(err);
  t.equal(entry.code, '42P01', 'the SQLSTATE');
  t.match(entry.statement, /^[0-9a-f]{12}$/, 'a hash names the statement');
  t.equal(loggableError(new DrizzleQueryError(SQL_TEXT, ['other'], cause)).statement, entry.statement, 'the same statement, the same hash');
  t.ok(
    (entry.frames as string[]).every((f) => f.startsWith('at ')),
    'only stack frames',
  );
});
