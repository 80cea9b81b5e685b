// The embedded default implementations against the shared conformance suites.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createMemoryQueue } from '../../src/queue/memory-queue.js';
import { createLocalMediaStore } from '../../src/store/local-media-store.js';
import { openSqliteTaskStore } from '../../src/store/sqlite-task-store.js';
import { tempDir } from '../helpers.js';
import { jobQueueConformance, mediaStoreConformance, taskStoreConformance } from './conformance.js';

// A real file (not :memory:) so WAL mode is actually in effect.
taskStoreConformance('sqlite', async () => openSqliteTaskStore(path.join(tempDir(), 'tasks.db')));
mediaStoreConformance('local folder', async () => createLocalMediaStore(tempDir()), async (bytes) => {
  const file = path.join(tempDir(), 'scratch');
  await fs.writeFile(file, bytes);
  return file;
});
jobQueueConformance('memory', async () => createMemoryQueue());
