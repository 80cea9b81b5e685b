// The runner's crash accounting, on a real SQLite store and queue: a render that dies under its
// task is retried until MAX_CRASHES deaths, then the task fails with WORKER_CRASHED (3402); a
// task started MAX_STARTS times without finishing fails the same way without being run again.
// The render itself is replaced by a worker that always dies (ThreadCrashed, as the real handle
// reports a killed render process); test/server/restart.test.ts kills real render processes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createMemoryQueue } from '../../src/queue/memory-queue.js';
import { createLocalMediaStore } from '../../src/store/local-media-store.js';
import { openSqliteTaskStore } from '../../src/store/sqlite-task-store.js';
import type { TaskInput, TaskRecord } from '../../src/store/ports.js';
import { createFileUrls } from '../../src/tasks/file-urls.js';
import { MAX_CRASHES, MAX_STARTS, startRunner } from '../../src/worker/runner.js';
import { ThreadCrashed, type WorkerThread } from '../../src/worker/thread.js';
import { WEBHOOK_DEFAULTS } from '../../src/worker/webhook.js';
import { tempDir } from '../helpers.js';

const INPUT: TaskInput = { inputs: { imageUrl: 'https://cdn.example.com/a.png', audioUrl: 'https://cdn.example.com/a.wav' }, spec: { duration: 2, resizeMode: 'adaptive' }, isNewAvatar: false };

function setup() {
  const dir = tempDir('dh-crash-');
  const dbFile = path.join(dir, 'tasks.db');
  const store = openSqliteTaskStore(dbFile);
  const queue = createMemoryQueue();
  const runs: number[] = [];
  const dying: WorkerThread = {
    async run(work) {
      runs.push((work as { job: { run: { taskId: number } } }).job.run.taskId);
      throw new ThreadCrashed('render process was killed (SIGKILL)');
    },
    async close() {},
  };
  const logs: string[] = [];
  const runner = startRunner({
    store, media: createLocalMediaStore(path.join(dir, 'media')), queue, threads: [dying],
    urls: createFileUrls(Buffer.from('secret'), 'http://127.0.0.1:1/'), clock: () => Date.now(), retentionMs: 86_400_000,
    allowPrivateUrls: false, scratchRoot: path.join(dir, 'scratch'), webhookSecret: () => null, segmentSeconds: null, workerId: 'test',
    webhook: { ...WEBHOOK_DEFAULTS, request: () => Promise.reject(new Error('no callbacks in this test')) }, log: (l) => logs.push(l),
  });
  return { dbFile, store, queue, runs, logs, runner };
}

async function settled(get: () => Promise<TaskRecord | null>): Promise<TaskRecord> {
  for (let i = 0; i < 200; i++) {
    const t = await get();
    if (t && (t.status === 'failed' || t.status === 'succeeded')) return t;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the task did not finish in 5 s');
}

test(`a render that dies under its task is retried, and the task fails with 3402 after ${MAX_CRASHES} deaths`, async () => {
  const { store, queue, runs, logs, runner } = setup();
  try {
    const task = await store.createTask({ tenant: 't', videoName: 'dies', input: INPUT, createdAt: 1 });
    await queue.enqueue({ taskId: task.id });
    const done = await settled(() => store.getTaskForWorker(task.id));
    assert.equal(done.status, 'failed');
    assert.equal(done.errorCode, 3402);
    assert.match(done.errorMessage!, new RegExp(`stopped unexpectedly ${MAX_CRASHES} times \\(render process was killed \\(SIGKILL\\)\\)`));
    assert.deepEqual(runs, Array(MAX_CRASHES).fill(task.id), 'run once per death, never after the last');
    assert.deepEqual([done.crashes, done.attempts], [MAX_CRASHES - 1, MAX_CRASHES], 'the last death fails the task instead of requeueing it');
    assert.equal(logs.filter((l) => l.includes('render death')).length, MAX_CRASHES);
    assert.equal(await queue.waiting(), 0, 'nothing left queued');
  } finally {
    await runner.stop();
    await store.close();
  }
});

test(`a task started ${MAX_STARTS} times without finishing fails with 3402 instead of running again`, async () => {
  const { dbFile, store, queue, runs, runner } = setup();
  try {
    const task = await store.createTask({ tenant: 't', videoName: 'restarts', input: INPUT, createdAt: 1 });
    // What MAX_STARTS restarts of the service during this task leave behind.
    const db = new Database(dbFile);
    db.prepare(`UPDATE tasks SET attempts = ?, status = 'processing' WHERE id = ?`).run(MAX_STARTS, task.id);
    db.close();
    await queue.enqueue({ taskId: task.id });
    const done = await settled(() => store.getTaskForWorker(task.id));
    assert.deepEqual([done.status, done.errorCode, done.attempts], ['failed', 3402, MAX_STARTS + 1]);
    assert.match(done.errorMessage!, new RegExp(`stopped unexpectedly ${MAX_STARTS} times \\(the service stopped during every one of them\\)`));
    assert.deepEqual(runs, [], 'the render is not started again');
  } finally {
    await runner.stop();
    await store.close();
  }
});
