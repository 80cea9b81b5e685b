// A render thread (frame-pool.ts): builds a FrameRenderer from the video's job once, then renders
// the frames it is sent into the buffers it is lent and hands them back (transferred, not copied);
// a thread kept between videos drops the job and is later sent the next.
import fs from 'node:fs';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { paramsAt } from '../animate/index.js';
import { createFrameRenderer, type FrameRenderer } from '../render/index.js';
import { createComposedRenderer } from '../render/compose.js';
import { nativeThreadClock, renderKernels } from '../render/kernels.js';
import { FRAME_THREAD_NICENESS, type FrameJob, type ThreadReply, type ThreadRequest } from './frame-pool.js';

// Below ffmpeg's priority (a thread's nice is its own on Linux): x264 is what sets the video's
// pace, and it gets a core whenever it can use one; frames are rendered ahead in the time it
// leaves, instead of holding x264 up while buffers wait in its pipe.
try { os.setPriority(Math.min(19, os.getPriority() + FRAME_THREAD_NICENESS)); } catch { /* not allowed here: render at the same priority */ }

/**
 * This thread's CPU time in ms: the addon's clock, else Linux's scheduler count (which lags a
 * running thread and undercounted frames about 2.5x), else NaN. Wall time per frame counts the
 * time the thread waits for a core while x264 and the other threads run.
 */
const threadCpuMs = nativeThreadClock() ?? ((): number => {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
});

let draw: ((out: Uint8Array, frame: number) => void) | null = null;

function prepare(j: FrameJob): (out: Uint8Array, frame: number) => void {
  const more = j.more ?? [];
  // Several faces (speakers): each face's renderer draws its own region into the same buffer.
  if (more.length > 0) {
    const group = createComposedRenderer(j.base, [j.rig, ...more.map((m) => m.rig)], j.overlays, j.yuv);
    return (out, f) => group.renderInto(out, [paramsAt(j.tracks, f), ...more.map((m) => paramsAt(m.tracks, f))]);
  }
  const renderer: FrameRenderer = createFrameRenderer(j.base, j.rig, j.overlays, renderKernels(), j.yuv ? { yuv: j.yuv } : {});
  return (out, f) => renderer.renderInto(out, paramsAt(j.tracks, f));
}

parentPort!.on('message', (msg: ThreadRequest) => {
  // Nothing left to keep the thread: it ends by itself (frame-pool.ts close).
  if (msg.kind === 'stop') {
    parentPort!.close();
    return;
  }
  // Kept for another video (frame-pool.ts FrameThreadKeeper): this one's picture and tracks go.
  if (msg.kind === 'release') {
    draw = null;
    return;
  }
  if (msg.kind === 'job') {
    draw = prepare(msg.job);
    parentPort!.postMessage({ kind: 'ready' } satisfies ThreadReply);
    return;
  }
  const out = new Uint8Array(msg.buffer);
  const c0 = threadCpuMs();
  const t0 = performance.now();
  draw!(out, msg.frame);
  const reply: ThreadReply = { kind: 'frame', frame: msg.frame, buffer: msg.buffer, renderMs: performance.now() - t0, renderCpuMs: threadCpuMs() - c0 };
  parentPort!.postMessage(reply, [msg.buffer]);
});
