// Entry point of a render process (see thread.ts for why renders get a process of their own).
// It lives only as long as the service: when the IPC channel closes (the service stopped, or
// was killed), it exits, and the ffmpeg it was feeding sees its input end.
import sharp from 'sharp';
import { serveWork } from './serve-work.js';
import type { ThreadReply, ThreadRequest } from './thread-protocol.js';

// A render decodes each picture once: libvips' operation cache (up to 50 MB) would only hold
// the last task's images through the idle time and the next render.
sharp.cache(false);
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
serveWork((fn) => process.on('message', (m) => fn(m as ThreadRequest)), (m: ThreadReply) => { if (process.connected) process.send!(m); });
