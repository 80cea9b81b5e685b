// A render worker thread: builds a FrameRenderer from the job's plain data once, then renders
// the frames it is sent into the buffers it is lent, and hands them back (transferred, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import { paramsAt } from '../animate/index.js';
import { createFrameRenderer } from '../render/index.js';
import { createComposedRenderer } from '../render/compose.js';
import { threadCpuMs } from '../render/kernels.js';
import type { FrameJob, FrameRequest, FrameReply } from './frame-pool.js';

const job = workerData as FrameJob;
const more = job.more ?? [];
// Several faces (speakers): each face's renderer draws its own region into the same buffer.
const group = more.length > 0 ? createComposedRenderer(job.base, [job.rig, ...more.map((m) => m.rig)], job.overlays) : null;
const renderer = group ? null : createFrameRenderer(job.base, job.rig, job.overlays);

parentPort!.on('message', (msg: FrameRequest) => {
  const out = new Uint8Array(msg.buffer);
  const c0 = threadCpuMs();
  const t0 = performance.now();
  if (group) group.renderInto(out, [paramsAt(job.tracks, msg.frame), ...more.map((m) => paramsAt(m.tracks, msg.frame))]);
  else renderer!.renderInto(out, paramsAt(job.tracks, msg.frame));
  const reply: FrameReply = { frame: msg.frame, buffer: msg.buffer, renderMs: performance.now() - t0, renderCpuMs: threadCpuMs() - c0 };
  parentPort!.postMessage(reply, [msg.buffer]);
});
