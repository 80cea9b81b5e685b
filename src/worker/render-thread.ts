// Entry point of a render worker thread: heavy per-frame work stays off the HTTP event loop.
// Messages in: {type:'run', id, job} | {type:'cancel', id}; out: progress, done, failed.
import { parentPort } from 'node:worker_threads';
import { toDhError } from '../core/errors.js';
import { listVoices, runRenderJob, synthesizeToWav } from './render-job.js';
import type { ThreadRequest, ThreadReply } from './thread-protocol.js';

const port = parentPort!;
const running = new Map<number, AbortController>();
const send = (m: ThreadReply) => port.postMessage(m);

async function handle(id: number, req: ThreadRequest & { type: 'run' }, signal: AbortSignal): Promise<unknown> {
  const w = req.work;
  switch (w.kind) {
    case 'render': {
      let last = -1;
      return runRenderJob(w.job, signal, (p) => {
        const rounded = Math.floor(p);
        if (rounded !== last) { last = rounded; send({ type: 'progress', id, percent: rounded }); }
      });
    }
    case 'synthesize': return synthesizeToWav(w.text, w.voice, w.speed, w.output, signal).then((r) => ({ durationSeconds: r.durationSeconds }));
    case 'voices': return listVoices();
  }
}

port.on('message', (req: ThreadRequest) => {
  if (req.type === 'cancel') { running.get(req.id)?.abort(); return; }
  const ac = new AbortController();
  running.set(req.id, ac);
  handle(req.id, req, ac.signal)
    .then((value) => send({ type: 'done', id: req.id, value }))
    .catch((err: unknown) => {
      const e = toDhError(err);
      send({ type: 'failed', id: req.id, error: { id: e.id, details: e.details, message: e.message } });
    })
    .finally(() => running.delete(req.id));
});
