// The embedded default implementations against the shared conformance suites.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createMemoryQueue } from '../../src/queue/memory-queue.js';
import { createLocalMediaStore } from '../../src/store/local-media-store.js';
import { openSqliteTaskStore } from '../../src/store/sqlite-task-store.js';
import { tempDir } from '../helpers.js';
import { jobQueueConformance, mediaStoreConformance, queueTimingsConformance, taskStoreConformance } from './conformance/index.js';

// A real file (not :memory:) so WAL mode is actually in effect.
taskStoreConformance('sqlite', async () => openSqliteTaskStore(path.join(tempDir(), 'tasks.db')));
mediaStoreConformance('local folder', async () => createLocalMediaStore(tempDir()), async (bytes) => {
  const file = path.join(tempDir(), 'scratch');
  await fs.writeFile(file, bytes);
  return file;
});
jobQueueConformance('memory', async () => createMemoryQueue());
queueTimingsConformance('memory', async () => createMemoryQueue());

test('sqlite: a database from before callbacks were tracked opens without sending old callbacks again', async () => {
  const file = path.join(tempDir(), 'old.db');
  const old = new Database(file);
  old.exec(`CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, video_name TEXT NOT NULL, status TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0, input TEXT NOT NULL, output TEXT, avatar_id INTEGER, error_code INTEGER, error_message TEXT,
    warnings TEXT NOT NULL DEFAULT '[]', attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, started_at INTEGER,
    finished_at INTEGER, expires_at INTEGER)`);
  const input = JSON.stringify({ imageUrl: 'https://cdn.example.com/a.png', duration: 5, resizeMode: 'adaptive', isNewAvatar: false, callbackUrl: 'http://127.0.0.1:9/hook' });
  old.prepare(`INSERT INTO tasks (tenant, video_name, status, input, created_at, finished_at, expires_at) VALUES ('t', 'done', 'succeeded', ?, 1, 2, 99)`).run(input);
  old.prepare(`INSERT INTO tasks (tenant, video_name, status, input, created_at) VALUES ('t', 'waiting', 'queued', ?, 3)`).run(input);
  old.close();
  const s = openSqliteTaskStore(file);
  assert.deepEqual(await s.pendingCallbacks(), []);
  const queued = (await s.unfinishedTasks())[0];
  await s.startTask(queued.id, 4);
  await s.finishTask(queued.id, { output: { videoKey: 'v.mp4', width: 1280, height: 720, durationSeconds: 5, timings: {} }, avatarId: null, now: 5, expiresAt: 50 });
  assert.deepEqual((await s.pendingCallbacks()).map((t) => t.videoName), ['waiting'], 'a task finished after the upgrade is tracked');
  assert.equal((await s.getTaskForWorker(queued.id))!.crashes, 0, 'crashes are counted from the upgrade on');
  await s.close();
});
