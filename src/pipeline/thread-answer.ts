// The one answer of a thread that ends by itself once it has answered (the animation thread, a
// detection thread). It is left to end on its own rather than terminated: a thread stopped
// right after heavy work can still have V8 compiling its code in the background, and Node 20
// aborts the whole process when such a job reaches the gone thread ("NodePlatform::ForIsolate:
// Assertion (data.first) != nullptr", seen once in a benchmark render). A thread that ends by
// itself waits for those jobs first. Terminated only when it fails.
import type { Worker } from 'node:worker_threads';

/** How long an answered thread may take to end before it is terminated after all. */
const END_GRACE_MS = 5000;

export function threadAnswer<T>(w: Worker, failure: (reason: string, cause?: Error) => Error = (r, cause) => new Error(r, { cause }), graceMs = END_GRACE_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let answered = false;
    w.once('message', (value: T) => {
      answered = true;
      resolve(value);
      // Something left running in the thread must not keep it (and its memory) for good.
      const timer = setTimeout(() => void w.terminate(), graceMs).unref();
      w.once('exit', () => clearTimeout(timer));
    });
    w.once('error', (err) => { if (!answered) { reject(failure(err.message, err)); void w.terminate(); } });
    w.once('exit', (code) => { if (!answered) reject(failure(`the thread exited with code ${code} before answering`)); });
  });
}
