import { test } from 'tap';
import { concurrencyLimit } from '../../src/shared/limit.ts';

const tick = () => new Promise((r) => setImmediate(r));

test('at most n run at once, the rest start in arrival order', async (t) => {
  const limit = concurrencyLimit(2);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const releases: (() => void)[] = [];
  const jobs = [0, 1, 2, 3, 4].map((i) =>
    limit(async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((r) => releases.push(r));
      running -= 1;
      return i;
    }),
  );
  await tick();
  t.same(started, [0, 1], 'two start, three wait');
  releases.shift()!();
  await tick();
  t.same(started, [0, 1, 2], 'a freed slot goes to the first waiter');
  while (releases.length > 0 || started.length < 5) {
    releases.shift()?.();
    await tick();
  }
  t.same(await Promise.all(jobs), [0, 1, 2, 3, 4], 'every answer comes back to its caller');
  t.equal(most, 2, 'never more than two at once');
});

test('a failure frees its slot and reaches its caller', async (t) => {
  const limit = concurrencyLimit(1);
  const failed = limit(() => Promise.reject(new Error('statistics failed')));
  const next = limit(() => Promise.resolve('answered'));
  await t.rejects(failed, { message: 'statistics failed' });
  t.equal(await next, 'answered', 'the next one ran');
  t.equal(await limit(() => Promise.resolve(1)), 1, 'and the slot is free again');
});
