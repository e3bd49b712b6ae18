// newId (src/shared/ids.ts): UUIDv7 from a pooled random source, in the order they were made.
import t from 'tap';
import { validate, version } from 'uuid';
import { newId } from '../../src/shared/ids.ts';

t.test('ids are UUIDv7, stamped with the time they were made, unique and in the order they were made', async (t) => {
  const before = Date.now();
  const ids = Array.from({ length: 50_000 }, () => newId());
  const after = Date.now();
  t.ok(
    ids.every((id) => validate(id) && version(id) === 7),
    'every id is a valid UUIDv7',
  );
  t.equal(new Set(ids).size, ids.length, 'no id repeats');
  t.ok(
    ids.every((id, i) => i === 0 || ids[i - 1]! < id),
    'each id sorts after the one before, within a millisecond too',
  );
  const stamp = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  t.ok(stamp(ids[0]!) >= before && stamp(ids.at(-1)!) <= after + 1, 'the first 48 bits are the time in milliseconds');
  const randomParts = new Set(ids.map((id) => id.slice(-12)));
  t.ok(randomParts.size > ids.length * 0.99, 'the last 48 bits are random (the pool is consumed, not reused)');
});
