// The worker side of the protocol, the same in a thread and in a child process.
// Messages in: {type:'run', id, work} | {type:'cancel', id}; out: progress, done, failed.
import { toDhError } from '../core/errors.js';
import type { FrameThreadKeeper } from '../pipeline/index.js';
import { listVoices, runRenderJob, synthesizeToWav } from './render-job.js';
import type { ThreadRequest, ThreadReply, ThreadWork } from './thread-protocol.js';

type Send = (m: ThreadReply) => void;

async function handle(id: number, req: ThreadRequest & { type: 'run' }, signal: AbortSignal, send: Send, frameThreads?: FrameThreadKeeper): Promise<unknown> {
  const w = req.work;
  switch (w.kind) {
    case 'render': {
      let last = -1;
      return runRenderJob(w.job, signal, (p) => {
        const rounded = Math.floor(p);
        if (rounded !== last) { last = rounded; send({ type: 'progress', id, percent: rounded }); }
      }, frameThreads);
    }
    case 'synthesize': return synthesizeToWav(w.text, w.voice, w.speed, w.output, signal).then((r) => ({ durationSeconds: r.durationSeconds }));
    case 'voices': return listVoices();
  }
}

/** What a worker does round each piece of work besides it (a render process: its next detection's thread). */
export interface WorkHooks {
  before?(work: ThreadWork): void;
  /** Once the work has settled, whatever its outcome. */
  after?(work: ThreadWork): void;
  /** Render threads kept from one render to the next (a render process's). */
  readonly frameThreads?: FrameThreadKeeper;
}

export function serveWork(onRequest: (fn: (req: ThreadRequest) => void) => void, send: Send, hooks: WorkHooks = {}): void {
  const running = new Map<number, AbortController>();
  onRequest((req) => {
    if (req.type === 'cancel') { running.get(req.id)?.abort(); return; }
    const ac = new AbortController();
    running.set(req.id, ac);
    hooks.before?.(req.work);
    handle(req.id, req, ac.signal, send, hooks.frameThreads)
      .then((value) => send({ type: 'done', id: req.id, value }))
      .catch((err: unknown) => {
        const e = toDhError(err);
        send({ type: 'failed', id: req.id, error: { id: e.id, details: e.details, message: e.message } });
      })
      .finally(() => { running.delete(req.id); hooks.after?.(req.work); });
  });
}
