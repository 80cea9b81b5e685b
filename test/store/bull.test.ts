// The BullMQ job queue against a real Redis (scripts/test-servers.mjs): the shared conformance
// suite, admission across separate connections, a killed holder's job coming back within the lock
// time, and start-up errors that name the setting.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import type { Redis } from 'ioredis';
import { createBullQueue } from '../../src/queue/bull-queue.js';
import { openRedis } from '../../src/queue/redis.js';
import type { JobQueue } from '../../src/store/ports.js';
import { testServer } from '../servers.js';
import { jobQueueConformance, queueTimingsConformance } from './conformance/index.js';

const url = testServer('DH_TEST_REDIS_URL', 'BullMQ queue');

if (url) {
  const connections: Redis[] = [];
  const open = async (name: string, lockMs = 30_000): Promise<JobQueue> => {
    const redis = await openRedis(url);
    connections.push(redis);
    return createBullQueue({ redis, name, lockMs, log: () => {} });
  };
  after(() => { for (const r of connections) r.disconnect(); });

  jobQueueConformance('bullmq', () => open(`conf-${randomUUID()}`));
  queueTimingsConformance('bullmq', () => open(`timings-${randomUUID()}`));

  test('bullmq: timings observed through separate connections (processes) add up in one histogram', async () => {
    const name = `timings-shared-${randomUUID()}`;
    const [a, b] = await Promise.all([open(name), open(name)]);
    await Promise.all([a.observe('segment', 1), b.observe('segment', 4), a.observe('segment', 25)]);
    const [ta, tb] = await Promise.all([a.timings('segment'), b.timings('segment')]);
    assert.deepEqual(ta, tb);
    assert.deepEqual([ta.count, ta.sum], [3, 30]);
    await Promise.all([a.close(), b.close()]);
  });

  test('bullmq: the admission limit holds across connections (processes) racing', async () => {
    const name = `race-${randomUUID()}`;
    const queues = await Promise.all([1, 2, 3, 4].map(() => open(name)));
    const added = await Promise.all(queues.flatMap((q, i) => [0, 1, 2].map((j) => q.enqueue({ taskId: i * 10 + j }, 5))));
    assert.equal(added.filter(Boolean).length, 5);
    assert.equal(await queues[0].waiting(), 5);
    await Promise.all(queues.map((q) => q.close()));
  });

  test('bullmq: the job of a holder killed with SIGKILL returns to the queue within about 1.5 x the lock time', async () => {
    const name = `kill-${randomUUID()}`;
    const lockMs = 4_000;
    const q = await open(name, lockMs);
    await q.enqueue({ taskId: 7 });
    const holder = spawn(process.execPath, [fileURLToPath(new URL('./bull-holder.js', import.meta.url)), url, name, String(lockMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        holder.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
        holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      assert.equal(line, 'took 7');
      // Held past the lock time while alive: renewal works.
      await new Promise((r) => setTimeout(r, lockMs * 1.5));
      assert.deepEqual((await q.active()).map((j) => [j.taskId, j.progress]), [[7, 50]]);
      assert.equal(await q.waiting(), 0);
      holder.kill('SIGKILL');
      const killedAt = Date.now();
      const lease = (await q.take(AbortSignal.timeout(lockMs * 3)))!;
      const seconds = (Date.now() - killedAt) / 1000;
      process.stderr.write(`bullmq: a killed holder's job came back after ${seconds.toFixed(1)} s (lock ${lockMs / 1000} s)\n`);
      assert.ok(lease, 'the job came back');
      assert.deepEqual(lease.job, { taskId: 7 });
      assert.ok(seconds < (lockMs * 1.5 + 1000) / 1000, `came back in ${seconds} s`);
      await lease.complete();
    } finally {
      holder.kill('SIGKILL');
      await q.close();
    }
  });

  test('bullmq: Redis down, a wrong password and a bad URL fail at start naming DH_REDIS_URL', async () => {
    const u = new URL(url);
    await assert.rejects(openRedis(`redis://127.0.0.1:1`), (e: Error & { id?: string }) => e.id === 'BACKEND_UNAVAILABLE' && /^DH_REDIS_URL: Redis at redis:\/\/127\.0\.0\.1:1 cannot be reached/.test(e.message));
    await assert.rejects(openRedis(`redis://nobody:secret@${u.host}`), (e: Error & { id?: string }) => /^DH_REDIS_URL: Redis at redis:\/\/nobody:\*\*\*@.* refused the credentials/.test(e.message) && !e.message.includes('secret'));
    await assert.rejects(openRedis('http://example.com'), /DH_REDIS_URL: "http:\/\/example.com" is not a Redis URL/);
  });
}
