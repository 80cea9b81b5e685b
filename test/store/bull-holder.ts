// A worker process for bull.test.ts: takes one job, reports progress, then holds it until killed.
import { createBullQueue } from '../../src/queue/bull-queue.js';
import { openRedis } from '../../src/queue/redis.js';

const [url, name, lockMs] = process.argv.slice(2);
const q = createBullQueue({ redis: await openRedis(url), name, lockMs: Number(lockMs), log: (l) => process.stderr.write(`${l}\n`) });
const lease = await q.take();
await lease!.progress(50);
process.stdout.write(`took ${lease!.job.taskId}\n`);
setInterval(() => {}, 1000);
