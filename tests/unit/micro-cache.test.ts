/** microCache: one load for concurrent readers, reuse within the TTL, no caching of failures. */
import { microCache } from '../../src/api/micro-cache';

function counter() {
  let loads = 0;
  let fail = false;
  const load = async () => {
    loads += 1;
    if (fail) throw new Error('database down');
    return loads;
  };
  return {
    load,
    loads: () => loads,
    failNext: (f: boolean) => (fail = f),
  };
}

describe('microCache', () => {
  it('shares one load between concurrent readers and reuses it within the TTL', async () => {
    let now = 1_000;
    const c = counter();
    const get = microCache(1_000, c.load, () => now);
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    now += 999;
    expect(await get()).toBe(1);
    now += 1;
    expect(await get()).toBe(2);
    expect(c.loads()).toBe(2);
  });

  it('does not keep a failed load: the next reader tries again', async () => {
    const now = 1_000;
    const c = counter();
    const get = microCache(1_000, c.load, () => now);
    c.failNext(true);
    await expect(get()).rejects.toThrow('database down');
    c.failNext(false);
    expect(await get()).toBe(2);
  });

  it('loads every time when the TTL is 0', async () => {
    const c = counter();
    const get = microCache(0, c.load);
    await get();
    await get();
    expect(c.loads()).toBe(2);
  });
});
