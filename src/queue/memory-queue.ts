// JobQueue in process memory. It need not survive restarts: the task store is the record of
// what is unfinished, and start-up re-enqueues those tasks (Runner.recover). Nothing else takes
// a job from this process, so a lease is never lost.
import { jobKey, TIMING_BUCKETS, type ActiveJob, type Job, type JobQueue, type Lease, type TimingName, type Timings } from '../store/ports.js';
import { workerId } from './worker-id.js';

export function createMemoryQueue(): JobQueue {
  const jobs: Job[] = [];
  const takers: ((job: Job | null) => void)[] = [];
  /** Jobs waiting or held, by jobKey: a task (or segment) has at most one job. */
  const queued = new Set<string>();
  const held = new Map<string, { job: Job; progress: number }>();
  const self = workerId();
  const never = new AbortController().signal;
  let closed = false;
  const timings = new Map<TimingName, { buckets: number[]; sum: number; count: number }>();

  const deliver = (job: Job): boolean => {
    const taker = takers.shift();
    if (taker) taker(job);
    else jobs.push(job);
    return true;
  };
  const lease = (job: Job): Lease => {
    const key = jobKey(job);
    held.set(key, { job, progress: 0 });
    let ended = false;
    const end = () => { if (ended) return false; ended = true; held.delete(key); queued.delete(key); return true; };
    return {
      job,
      lost: never,
      async progress(percent) { if (!ended) held.set(key, { job, progress: percent }); },
      async complete() { end(); },
      async release() {
        if (!end() || closed) return;
        queued.add(key);
        deliver(job);
      },
    };
  };

  return {
    async enqueue(job, limit) {
      if (closed) return false;
      if (queued.has(jobKey(job))) return true;
      if (limit !== undefined && jobs.length >= limit) return false;
      queued.add(jobKey(job));
      return deliver(job);
    },
    take(signal) {
      if (closed || signal?.aborted) return Promise.resolve(null);
      const next = jobs.shift();
      if (next) return Promise.resolve(lease(next));
      return new Promise((resolve) => {
        const onJob = (job: Job | null) => { signal?.removeEventListener('abort', onAbort); resolve(job && lease(job)); };
        const onAbort = () => {
          const i = takers.indexOf(onJob);
          if (i >= 0) takers.splice(i, 1);
          resolve(null);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        takers.push(onJob);
      });
    },
    async waiting() { return jobs.length; },
    async active(): Promise<ActiveJob[]> {
      return [...held.values()].map(({ job, progress }) => ({ taskId: job.taskId, ...(job.segment !== undefined ? { segment: job.segment } : {}), worker: self, progress }));
    },
    async observe(name, seconds) {
      const t = timings.get(name) ?? { buckets: TIMING_BUCKETS.map(() => 0), sum: 0, count: 0 };
      TIMING_BUCKETS.forEach((b, i) => { if (seconds <= b) t.buckets[i]++; });
      t.sum += seconds;
      t.count++;
      timings.set(name, t);
    },
    async timings(name): Promise<Timings> {
      const t = timings.get(name);
      return t ? { buckets: [...t.buckets], sum: t.sum, count: t.count } : { buckets: TIMING_BUCKETS.map(() => 0), sum: 0, count: 0 };
    },
    async close() {
      closed = true;
      for (const j of jobs.splice(0)) queued.delete(jobKey(j));
      for (const t of takers.splice(0)) t(null);
    },
  };
}
