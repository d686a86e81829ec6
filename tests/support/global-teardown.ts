import fs from 'node:fs';
import { Redis } from 'ioredis';
import { dropDatabase } from '../../src/db/orm';

/** Drops the run's database and Redis keys and stops its Temporal server. */
export default async function globalTeardown(): Promise<void> {
  const run = globalThis.__SR_TEST_RUN__;
  if (!run) return;
  const redis = new Redis(run.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await Promise.allSettled([
    run.stopTemporal(),
    dropDatabase(run.databaseUrl),
    (async () => {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${run.redisPrefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
    })(),
  ]);
  if (!process.env.SR_KEEP_TEST_TMP) fs.rmSync(run.tmpDir, { recursive: true, force: true });
}
