// JobQueue on BullMQ (Redis), shared by the API and any number of worker processes.
//
// Jobs are fetched by hand, one per waiting taker (https://docs.bullmq.io/patterns/manually-fetching-jobs),
// so a process holds only the jobs its renders asked for. A taken job is held under a BullMQ lock
// that the lease renews every third of the lock time; the job of a worker that was killed returns
// to the queue once its lock lapses and a stalled-job check (every half lock time, in any live
// worker) sees it: within about 1.5 x the lock time, not after the longest render. A job's id is
// its task's (`task-<id>`), so a task is queued at most once however many processes run start-up
// recovery. BullMQ's retry and failure bookkeeping is not used: the task store decides whether a
// task still needs running and counts its starts and crashes.
// https://docs.bullmq.io/guide/workers/stalled-jobs
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import { TIMING_BUCKETS, type ActiveJob, type Job, type JobQueue, type Lease, type Timings } from '../store/ports.js';
import { workerId } from './worker-id.js';

export interface BullQueueOptions {
  /** An open ioredis connection (see openRedis); the queue shares it and duplicates it for blocking reads. */
  readonly redis: Redis;
  /** Queue name; tests give each their own. */
  readonly name?: string;
  /** How long a taken job's lock lasts without renewal. */
  readonly lockMs: number;
  readonly log: (line: string) => void;
}

interface JobData { readonly taskId: number; readonly segment?: number }

export const QUEUE_NAME = 'renders';
const PREFIX = 'dh';
const jobIdOf = (job: Job) => (job.segment === undefined ? `task-${job.taskId}` : `task-${job.taskId}-segment-${job.segment}`);
const jobOf = (data: JobData): Job => (data.segment === undefined ? { taskId: data.taskId } : { taskId: data.taskId, segment: data.segment });
/** The stalled-job check never fails a job: the task store's start and crash counts do. */
const NEVER_FAIL_STALLED = 1_000_000;
/** The admission lock is held for one count-and-add; a holder that died frees it after this. */
const ADMISSION_TTL_MS = 5_000;
const ADMISSION_RETRY_MS = 20;
// Deletes the lock only if it is still ours (https://redis.io/docs/latest/develop/use/patterns/distributed-locks/).
const UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createBullQueue(o: BullQueueOptions): JobQueue {
  const name = o.name ?? QUEUE_NAME;
  const queue = new Queue<JobData>(name, { connection: o.redis, prefix: PREFIX });
  const takers: ((lease: Lease | null) => void)[] = [];
  const held = new Set<Lease>();
  let worker: Worker<JobData> | null = null;
  let fetching = false;
  let closed = false;

  function leaseOf(job: BullJob<JobData>, token: string): Lease {
    const lost = new AbortController();
    let ended = false;
    const end = () => { if (ended) return false; ended = true; clearInterval(renewal); held.delete(lease); return true; };
    const renewal = setInterval(() => {
      job.extendLock(token, o.lockMs).then((ok) => {
        if (ok !== 1 && !ended) { end(); lost.abort(); o.log(`task ${job.data.taskId}: its queue lock lapsed; another worker may take it`); }
      }, (err: Error) => o.log(`task ${job.data.taskId}: lock renewal failed: ${err.message}`));
    }, Math.max(200, Math.round(o.lockMs / 3)));
    renewal.unref();
    const lease: Lease = {
      job: jobOf(job.data),
      lost: lost.signal,
      async progress(percent) { if (!ended) await job.updateProgress(percent); },
      async complete() { if (end()) await job.moveToCompleted(null, token, false); },
      async release() { if (end()) await job.moveToWait(token); },
    };
    held.add(lease);
    return lease;
  }

  /** Fetches jobs while someone waits for one; a job fetched for a taker who left goes back. */
  async function fetchForTakers(): Promise<void> {
    if (fetching) return;
    fetching = true;
    if (!worker) {
      // Only processes that take jobs have a worker, and so run the stalled-job checks.
      worker = new Worker<JobData>(name, null, {
        connection: o.redis, prefix: PREFIX, name: workerId(), autorun: false,
        lockDuration: o.lockMs, stalledInterval: Math.max(1000, Math.round(o.lockMs / 2)), maxStalledCount: NEVER_FAIL_STALLED,
        // Seconds one blocking fetch waits before it asks again; close() interrupts it.
        drainDelay: 5,
      });
      worker.on('error', (err) => o.log(`render queue: ${err.message}`));
      void worker.startStalledCheckTimer();
    }
    try {
      while (!closed && takers.length > 0) {
        const token = randomUUID();
        let job: BullJob<JobData> | undefined;
        try {
          job = await worker.getNextJob(token, { block: true });
        } catch (err) {
          if (closed) break;
          o.log(`render queue: fetching a job failed: ${(err as Error).message}`);
          await sleep(1000);
          continue;
        }
        if (!job) continue;
        const lease = leaseOf(job, token);
        const taker = closed ? undefined : takers.shift();
        if (taker) taker(lease);
        else await lease.release();
      }
    } finally {
      fetching = false;
    }
  }

  const waiting = () => queue.getJobCountByTypes('wait', 'prioritized');

  /** Runs `fn` while holding the queue's admission lock, so a count and an add are one step across processes. */
  async function admitted<T>(fn: () => Promise<T>): Promise<T> {
    const key = `${PREFIX}:${name}:admission`;
    const token = randomUUID();
    const deadline = Date.now() + 2 * ADMISSION_TTL_MS;
    while (Date.now() < deadline) {
      if (await o.redis.set(key, token, 'PX', ADMISSION_TTL_MS, 'NX') === 'OK') {
        try { return await fn(); } finally { await o.redis.eval(UNLOCK, 1, key, token); }
      }
      await sleep(ADMISSION_RETRY_MS);
    }
    throw new Error(`the render queue's admission lock (${key}) stayed taken for ${2 * ADMISSION_TTL_MS / 1000} s`);
  }

  return {
    async enqueue(job, limit) {
      if (closed) return false;
      const add = async () => { await queue.add('render', { ...jobOf(job) }, { jobId: jobIdOf(job), removeOnComplete: true, removeOnFail: true }); };
      if (limit === undefined) { await add(); return true; }
      return admitted(async () => {
        if (await queue.getJobState(jobIdOf(job)) !== 'unknown') return true;
        if (await waiting() >= limit) return false;
        await add();
        return true;
      });
    },
    take(signal) {
      if (closed || signal?.aborted) return Promise.resolve(null);
      return new Promise((resolve) => {
        const onLease = (lease: Lease | null) => { signal?.removeEventListener('abort', onAbort); resolve(lease); };
        const onAbort = () => {
          const i = takers.indexOf(onLease);
          if (i >= 0) takers.splice(i, 1);
          resolve(null);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        takers.push(onLease);
        void fetchForTakers();
      });
    },
    waiting,
    async active(): Promise<ActiveJob[]> {
      const jobs = await queue.getActive(0, 9_999);
      return jobs.map((j) => ({
        ...jobOf(j.data as JobData),
        worker: j.processedBy ?? 'unknown',
        progress: typeof j.progress === 'number' ? j.progress : 0,
      }));
    },
    async observe(timing, seconds) {
      // One hash per histogram, added to in one MULTI so a scrape never sees half an observation.
      const key = `${PREFIX}:${name}:timings:${timing}`;
      const m = o.redis.multi();
      TIMING_BUCKETS.forEach((b) => { if (seconds <= b) m.hincrby(key, `le:${b}`, 1); });
      m.hincrbyfloat(key, 'sum', seconds).hincrby(key, 'count', 1);
      await m.exec();
    },
    async timings(timing): Promise<Timings> {
      const h = await o.redis.hgetall(`${PREFIX}:${name}:timings:${timing}`);
      return { buckets: TIMING_BUCKETS.map((b) => Number(h[`le:${b}`] ?? 0)), sum: Number(h.sum ?? 0), count: Number(h.count ?? 0) };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of takers.splice(0)) t(null);
      // Leases still held (a caller that did not end them) go back rather than wait for their lock to lapse.
      await Promise.allSettled([...held].map((l) => l.release()));
      await worker?.close();
      await queue.close();
    },
  };
}
