// JobQueue in process memory. It need not survive restarts: the task store is the record of
// what is unfinished, and start-up re-enqueues those tasks (see worker/recovery).
import type { Job, JobQueue } from '../store/ports.js';

export function createMemoryQueue(): JobQueue {
  const jobs: Job[] = [];
  const takers: ((job: Job | null) => void)[] = [];
  let closed = false;
  return {
    async enqueue(job, limit) {
      if (closed || (limit !== undefined && jobs.length >= limit)) return false;
      const taker = takers.shift();
      if (taker) taker(job);
      else jobs.push(job);
      return true;
    },
    take(signal) {
      if (closed || signal?.aborted) return Promise.resolve(null);
      const next = jobs.shift();
      if (next) return Promise.resolve(next);
      return new Promise((resolve) => {
        const deliver = (job: Job | null) => { signal?.removeEventListener('abort', onAbort); resolve(job); };
        const onAbort = () => {
          const i = takers.indexOf(deliver);
          if (i >= 0) takers.splice(i, 1);
          resolve(null);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        takers.push(deliver);
      });
    },
    async waiting() { return jobs.length; },
    async close() {
      closed = true;
      jobs.length = 0;
      for (const t of takers.splice(0)) t(null);
    },
  };
}
