// loadConfig: defaults, and an invalid variable is one ConfigError line naming it.
import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.ts';

t.test('an empty environment gives the defaults', async (t) => {
  const c = loadConfig({});
  t.equal(c.port, 3000);
  t.equal(c.host, '127.0.0.1');
  t.equal(c.dataDir, './data');
  t.equal(c.logLevel, 'info');
  t.equal(c.databaseUrl, undefined);
  t.equal(c.bootstrapAdminKey, undefined);
  t.equal(c.statsConcurrency, undefined, "unset: the statistics routes' own default");
});

t.test('valid values are read and coerced', async (t) => {
  const key = 'k'.repeat(24);
  const c = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATA_DIR: '/var/oar',
    LOG_LEVEL: 'debug',
    DATABASE_URL: 'postgresql://u@db:5432/oar',
    BOOTSTRAP_ADMIN_KEY: key,
    STATS_CONCURRENCY: '4',
  });
  t.equal(c.port, 8080);
  t.equal(c.host, '0.0.0.0');
  t.equal(c.dataDir, '/var/oar');
  t.equal(c.logLevel, 'debug');
  t.equal(c.databaseUrl, 'postgresql://u@db:5432/oar');
  t.equal(c.bootstrapAdminKey, key);
  t.equal(c.statsConcurrency, 4);
});

t.test('empty strings count as unset', async (t) => {
  const c = loadConfig({ PORT: '', HOST: '', DATA_DIR: '', LOG_LEVEL: '', DATABASE_URL: '', BOOTSTRAP_ADMIN_KEY: '' });
  t.equal(c.port, 3000);
  t.equal(c.host, '127.0.0.1');
  t.equal(c.dataDir, './data');
  t.equal(c.logLevel, 'info');
  t.equal(c.databaseUrl, undefined);
  t.equal(c.bootstrapAdminKey, undefined);
});

const invalid: [string, Record<string, string>][] = [
  ['PORT', { PORT: 'abc' }],
  ['PORT', { PORT: '70000' }],
  ['PORT', { PORT: '-1' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
  ['DATABASE_READ_URL', { DATABASE_URL: 'postgres://db/oar', DATABASE_READ_URL: 'mysql://x' }],
  ['DATABASE_READ_URL', { DATABASE_READ_URL: 'postgres://replica/oar' }],
  ['BOOTSTRAP_ADMIN_KEY', { BOOTSTRAP_ADMIN_KEY: 'short' }],
  ['BOOTSTRAP_ADMIN_KEY', { BOOTSTRAP_ADMIN_KEY: 'k'.repeat(23) }],
  ['STATS_CONCURRENCY', { STATS_CONCURRENCY: '0' }],
  ['STATS_CONCURRENCY', { STATS_CONCURRENCY: 'two' }],
];

for (const [name, env] of invalid) {
  t.test(`${JSON.stringify(env)} is a one-line ConfigError naming ${name}`, async (t) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      caught = err;
    }
    t.type(caught, ConfigError);
    const message = (caught as Error).message;
    t.match(message, name);
    t.notMatch(message, /\n/, 'one line');
    // The value of a secret must not be repeated back.
    if (name === 'BOOTSTRAP_ADMIN_KEY') t.notMatch(message, env.BOOTSTRAP_ADMIN_KEY!);
  });
}

t.test('unrelated environment variables are ignored', async (t) => {
  t.equal(loadConfig({ PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'test' }).port, 3000);
});
