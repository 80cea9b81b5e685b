// The file section of the task store (FileSection in src/store/ports.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TaskStore } from '../../../src/store/ports.js';

export function fileSectionConformance(name: string, open: () => Promise<TaskStore>): void {
  test(`${name} files: recorded, expire once, and stay as tombstones`, async () => {
    const s = await open();
    await s.putFile({ key: 'u/1.png', tenant: 't', kind: 'image', bytes: 10, contentType: 'image/png', createdAt: 1, expiresAt: 100, taskId: null });
    await s.putFile({ key: 'tasks/7/video.mp4', tenant: 't', kind: 'video', bytes: 20, contentType: 'video/mp4', createdAt: 1, expiresAt: 200, taskId: 7 });
    assert.deepEqual(await s.getFile('u/1.png'), { key: 'u/1.png', tenant: 't', kind: 'image', bytes: 10, contentType: 'image/png', createdAt: 1, expiresAt: 100, deletedAt: null, taskId: null });
    assert.deepEqual((await s.filesOfTask(7)).map((f) => f.key), ['tasks/7/video.mp4']);
    assert.deepEqual(await s.filesOfTask(8), []);
    assert.deepEqual((await s.expireFiles(150)).map((f) => [f.key, f.deletedAt]), [['u/1.png', 150]]);
    assert.deepEqual(await s.expireFiles(150), []);
    assert.equal((await s.getFile('u/1.png'))!.deletedAt, 150);
    assert.equal(await s.getFile('nope'), null);
    await s.markFilesDeleted(['tasks/7/video.mp4'], 160);
    await s.markFilesDeleted([], 170);
    assert.equal((await s.getFile('tasks/7/video.mp4'))!.deletedAt, 160);
    assert.deepEqual(await s.expireFiles(1000), [], 'deleted files are not expired again');
    await s.close();
  });

  test(`${name} files: putting a key again replaces its record and revives it`, async () => {
    const s = await open();
    await s.putFile({ key: 'k', tenant: 't', kind: 'image', bytes: 10, contentType: 'image/png', createdAt: 1, expiresAt: 100, taskId: null });
    await s.markFilesDeleted(['k'], 50);
    await s.putFile({ key: 'k', tenant: 't', kind: 'image', bytes: 3_000_000_000, contentType: 'image/jpeg', createdAt: 60, expiresAt: 500, taskId: 3 });
    assert.deepEqual(await s.getFile('k'), { key: 'k', tenant: 't', kind: 'image', bytes: 3_000_000_000, contentType: 'image/jpeg', createdAt: 60, expiresAt: 500, deletedAt: null, taskId: 3 });
    await s.close();
  });
}
