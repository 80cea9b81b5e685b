// A thread's one answer (pipeline/thread-answer.ts): taken, and the thread left to end by itself;
// a thread that fails or dies before answering fails the caller; a thread that answers but keeps
// running is terminated after the grace period instead of lingering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { threadAnswer } from '../../src/pipeline/thread-answer.js';

const thread = (code: string) => new Worker(`const { parentPort } = require('node:worker_threads');\n${code}`, { eval: true });
const exitOf = (w: Worker) => new Promise<number>((resolve) => w.once('exit', resolve));

test('the answer is taken and the thread ends by itself, with code 0 (not terminated)', async () => {
  const w = thread('let s = 0; for (let i = 0; i < 1e6; i++) s += i % 7; parentPort.postMessage(s);');
  const exit = exitOf(w);
  assert.equal(await threadAnswer<number>(w), [...Array(1e6).keys()].reduce((s, i) => s + (i % 7), 0));
  // A terminated thread exits with code 1.
  assert.equal(await exit, 0);
});

test('a thread that throws or exits before answering fails the caller with the reason', async () => {
  await assert.rejects(threadAnswer(thread('throw new Error("no model here")'), (reason) => new Error(`detection: ${reason}`)), /detection: no model here/);
  await assert.rejects(threadAnswer(thread('process.exit(3)')), /exited with code 3 before answering/);
});

test('a thread that answers but keeps running is terminated after the grace period', async () => {
  const w = thread('parentPort.postMessage("done"); setInterval(() => {}, 1000);');
  const exit = exitOf(w);
  assert.equal(await threadAnswer<string>(w, undefined, 200), 'done');
  assert.equal(await exit, 1);
});
