// Entry point of a render process (see thread.ts for why renders get a process of their own).
// It lives only as long as the service: when the IPC channel closes (the service stopped, or
// was killed), it exits, and the ffmpeg it was feeding sees its input end.
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RgbImage } from '../core/types.js';
import { sharpImageCodec } from '../adapters/image-sharp.js';
import { loadImage } from '../ingest/index.js';
import { keepFrameThreads } from '../pipeline/index.js';
import { serveWork } from './serve-work.js';
import { dropDetection, prepareDetection } from './face-detect-once.js';
import { detectsFaces } from './render-job.js';
import type { ThreadReply, ThreadRequest, ThreadWork } from './thread-protocol.js';

/** The picture the next detection's thread warms its models on: the demo's portrait (a face, so the face mesh runs too). */
const WARM_PICTURE = fileURLToPath(new URL('../../../assets/demo/portrait.jpg', import.meta.url));
/**
 * How long the process stays idle after a render before the next detection's thread warms up: a
 * task already waiting would otherwise start while the models warm on the demo portrait, and
 * pay that picture before its own (under a queue, tasks detect as they did without the thread).
 */
const STANDBY_AFTER_MS = 1000;

// A render decodes each picture once: libvips' operation cache (up to 50 MB) would only hold
// the last task's images through the idle time and the next render.
sharp.cache(false);
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

let warmPicture: Promise<RgbImage | null> | null = null;
/** Between renders the next detection's thread gets ready (face-detect-once.ts); without the picture, detections start cold. */
async function prepareNext(): Promise<void> {
  warmPicture ??= loadImage(WARM_PICTURE, sharpImageCodec).catch(() => null);
  const picture = await warmPicture;
  if (picture) prepareDetection(picture);
}

const isRender = (w: ThreadWork): w is ThreadWork & { kind: 'render' } => w.kind === 'render';
let next: NodeJS.Timeout | null = null;
serveWork((fn) => process.on('message', (m) => fn(m as ThreadRequest)), (m: ThreadReply) => { if (process.connected) process.send!(m); }, {
  // Each render takes the threads the last one drew with, their code compiled.
  frameThreads: keepFrameThreads(),
  before: (w) => {
    if (!isRender(w)) return;
    if (next) { clearTimeout(next); next = null; }
    // A render that looks for no face need not hold the waiting thread's models while it renders.
    if (!detectsFaces(w.job)) dropDetection();
  },
  after: (w) => {
    if (!isRender(w)) return;
    next = setTimeout(() => { next = null; void prepareNext(); }, STANDBY_AFTER_MS);
    next.unref();
  },
});
