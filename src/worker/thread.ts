// The service's handle on one worker thread: runs one piece of work at a time, relays progress,
// cancels on abort, and replaces the thread if it dies (a crash fails only the work in flight).
import { Worker } from 'node:worker_threads';
import { DhError } from '../core/errors.js';
import type { ThreadReply, ThreadWork } from './thread-protocol.js';

const ENTRY = new URL('./render-thread.js', import.meta.url);

export interface WorkerThread {
  run<T>(work: ThreadWork, opts?: { signal?: AbortSignal; onProgress?: (percent: number) => void }): Promise<T>;
  close(): Promise<void>;
}

/** Thrown when the thread itself died (out of memory, native crash), not the work's own error. */
export class ThreadCrashed extends Error {}

export function createWorkerThread(opts: { maxOldGenerationMb?: number } = {}): WorkerThread {
  let worker: Worker | null = null;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (p: number) => void }>();

  const spawn = (): Worker => {
    const w = new Worker(ENTRY, { resourceLimits: opts.maxOldGenerationMb ? { maxOldGenerationSizeMb: opts.maxOldGenerationMb } : undefined });
    w.on('message', (m: ThreadReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') { p.onProgress?.(m.percent); return; }
      pending.delete(m.id);
      if (m.type === 'done') p.resolve(m.value);
      else p.reject(new DhError(m.error.id, m.error.details));
    });
    const die = (reason: string) => {
      if (worker === w) worker = null;
      for (const [id, p] of pending) { pending.delete(id); p.reject(new ThreadCrashed(reason)); }
    };
    w.on('error', (err) => die(err.message));
    w.on('exit', (code) => die(`worker thread exited with code ${code}`));
    // An idle thread must not keep the process alive at shutdown.
    w.unref();
    return w;
  };

  return {
    run<T>(work: ThreadWork, o: { signal?: AbortSignal; onProgress?: (p: number) => void } = {}): Promise<T> {
      if (closed) return Promise.reject(new DhError('CANCELLED'));
      if (o.signal?.aborted) return Promise.reject(new DhError('CANCELLED'));
      worker ??= spawn();
      const w = worker;
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => w.postMessage({ type: 'cancel', id });
        o.signal?.addEventListener('abort', onAbort, { once: true });
        const done = () => o.signal?.removeEventListener('abort', onAbort);
        pending.set(id, {
          resolve: (v) => { done(); resolve(v as T); },
          reject: (e) => { done(); reject(e); },
          onProgress: o.onProgress,
        });
        w.ref();
        w.postMessage({ type: 'run', id, work });
      }).finally(() => { if (pending.size === 0) w.unref(); });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
