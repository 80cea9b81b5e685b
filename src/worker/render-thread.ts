// Entry point of a worker thread (speech and voices, and renders where threads are asked for):
// heavy work stays off the HTTP event loop. See serve-work.ts for the messages.
import { parentPort } from 'node:worker_threads';
import { serveWork } from './serve-work.js';

const port = parentPort!;
serveWork((fn) => port.on('message', fn), (m) => port.postMessage(m));
