// Entry point of a render process (see thread.ts for why renders get a process of their own).
// It lives only as long as the service: when the IPC channel closes (the service stopped, or
// was killed), it exits, and the ffmpeg it was feeding sees its input end.
import { serveWork } from './serve-work.js';
import type { ThreadReply, ThreadRequest } from './thread-protocol.js';

process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
serveWork((fn) => process.on('message', (m) => fn(m as ThreadRequest)), (m: ThreadReply) => { if (process.connected) process.send!(m); });
