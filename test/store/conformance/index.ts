// Conformance suites for the service's infrastructure interfaces. Every implementation (the
// embedded SQLite/folder/memory ones, and PostgreSQL/S3/Redis) runs the same suite, section by section.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskStore } from '../../../src/store/ports.js';
import { avatarSectionConformance } from './avatars.js';
import { fileSectionConformance } from './files.js';
import { segmentSectionConformance } from './segments.js';
import { taskSectionConformance } from './tasks.js';

export { mediaStoreConformance } from './media.js';
export { jobQueueConformance, queueTimingsConformance } from './queue.js';

/**
 * The task store's suite, in its sections (see TaskStore in src/store/ports.ts). `open`
 * answers an empty store each time.
 */
export function taskStoreConformance(name: string, open: () => Promise<TaskStore>): void {
  taskSectionConformance(name, open);
  avatarSectionConformance(name, open);
  fileSectionConformance(name, open);
  segmentSectionConformance(name, open);
  test(`${name}: names its backend and answers a ping`, async () => {
    const s = await open();
    assert.match(s.backend, /^[a-z]+$/);
    await s.ping();
    await s.close();
  });
}
