// Conformance suites for the service's infrastructure interfaces. Every implementation (the
// embedded SQLite/folder/memory ones, and PostgreSQL/S3/Redis) runs the same suite.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { TIMING_BUCKETS, type JobQueue, type MediaStore, type TaskInput, type TaskStore } from '../../src/store/ports.js';

const INPUT: TaskInput = {
  inputs: { imageUrl: 'https://cdn.example.com/a.png', audioUrl: 'https://cdn.example.com/a.mp3' },
  spec: { duration: 10, resizeMode: 'adaptive' },
  isNewAvatar: false,
};
const DAY = 86_400_000;

/**
 * The task store's suite, in its three sections (see TaskStore in src/store/ports.ts). `open`
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

export function taskSectionConformance(name: string, open: () => Promise<TaskStore>): void {
  test(`${name} tasks: only the start that holds a task can finish it`, async () => {
    const s = await open();
    const t = await s.createTask({ tenant: 't', videoName: 'v', input: INPUT, createdAt: 1 });
    const output = { videoKey: 'v.mp4', width: 2, height: 2, durationSeconds: 1, timings: {} };
    const first = (await s.startTask(t.id, 2))!;
    const second = (await s.startTask(t.id, 3))!; // the first worker's lock lapsed: another took the task
    assert.deepEqual([first.attempts, second.attempts], [1, 2]);
    assert.equal(await s.finishTask(t.id, { output, avatarId: null, now: 4, expiresAt: 9, attempt: first.attempts }), false);
    assert.equal((await s.getTaskForWorker(t.id))!.status, 'processing');
    assert.equal(await s.finishTask(t.id, { output, avatarId: null, now: 5, expiresAt: 9, attempt: second.attempts }), true);
    assert.equal(await s.finishTask(t.id, { output: { ...output, videoKey: 'again.mp4' }, avatarId: null, now: 6, expiresAt: 9, attempt: second.attempts }), false, 'finished once');
    const done = (await s.getTaskForWorker(t.id))!;
    assert.deepEqual([done.status, done.output?.videoKey, done.finishedAt], ['succeeded', 'v.mp4', 5]);
    await s.close();
  });

  test(`${name} tasks: created queued, with increasing ids, and read back intact`, async () => {
    const s = await open();
    const a = await s.createTask({ tenant: 't1', videoName: '夏日 video', input: INPUT, warnings: ['w'], createdAt: 1000 });
    const b = await s.createTask({ tenant: 't1', videoName: 'b', input: { ...INPUT, spec: { ...INPUT.spec, watermark: { show: true, content: 'AI' } } }, createdAt: 2000 });
    assert.ok(Number.isInteger(a.id) && b.id > a.id);
    assert.deepEqual(await s.getTask('t1', a.id), {
      id: a.id, tenant: 't1', videoName: '夏日 video', status: 'queued', progress: 0, input: INPUT, output: null, avatarId: null,
      errorCode: null, errorMessage: null, warnings: ['w'], attempts: 0, crashes: 0, createdAt: 1000, startedAt: null, finishedAt: null, expiresAt: null,
    });
    assert.deepEqual(await s.getTaskForWorker(a.id), await s.getTask('t1', a.id));
    assert.deepEqual((await s.getTask('t1', b.id))!.input.spec.watermark, { show: true, content: 'AI' });
    assert.equal(await s.getTaskForWorker(b.id + 1000), null);
    await s.close();
  });

  test(`${name} tasks: tenants see only their own tasks and deletions`, async () => {
    const s = await open();
    const a = await s.createTask({ tenant: 't1', videoName: 'a', input: INPUT, createdAt: 1 });
    assert.equal(await s.getTask('t2', a.id), null);
    assert.equal((await s.listTasks('t2', { offset: 0, limit: 10 })).total, 0);
    assert.equal(await s.deleteTask('t2', a.id), false);
    assert.ok(await s.getTask('t1', a.id));
    assert.equal(await s.deleteTask('t1', a.id), true);
    assert.equal(await s.getTask('t1', a.id), null);
    assert.equal(await s.deleteTask('t1', a.id), false);
    await s.close();
  });

  test(`${name} tasks: list pages newest first and filters by status`, async () => {
    const s = await open();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await s.createTask({ tenant: 'p', videoName: `v${i}`, input: INPUT, createdAt: i })).id);
    await s.createTask({ tenant: 'other', videoName: 'x', input: INPUT, createdAt: 9 });
    await s.startTask(ids[1], 10);
    const page1 = await s.listTasks('p', { offset: 0, limit: 2 });
    assert.deepEqual(page1.items.map((t) => t.id), [ids[4], ids[3]]);
    assert.equal(page1.total, 5);
    assert.deepEqual((await s.listTasks('p', { offset: 4, limit: 2 })).items.map((t) => t.id), [ids[0]]);
    assert.deepEqual((await s.listTasks('p', { offset: 10, limit: 2 })).items, [], 'past the end');
    const processing = await s.listTasks('p', { status: 'processing', offset: 0, limit: 10 });
    assert.deepEqual([processing.total, processing.items.map((t) => t.id)], [1, [ids[1]]]);
    await s.close();
  });

  test(`${name} tasks: admission counts queued tasks only and stops at the limit`, async () => {
    const s = await open();
    const t = (i: number) => ({ tenant: 'a', videoName: `v${i}`, input: INPUT, createdAt: i });
    const first = await s.admitTask(t(1), 2);
    assert.deepEqual([first?.status, first?.videoName], ['queued', 'v1']);
    assert.ok(await s.admitTask(t(2), 2));
    assert.equal(await s.admitTask(t(3), 2), null, 'two queued: full');
    assert.equal((await s.listTasks('a', { offset: 0, limit: 10 })).total, 2, 'a refused task leaves no record');
    await s.startTask(first!.id, 5);
    assert.ok(await s.admitTask(t(4), 2), 'a started task no longer counts');
    const racing = await Promise.all([5, 6, 7, 8].map((i) => s.admitTask(t(i), 4)));
    assert.equal(racing.filter(Boolean).length, 2, 'concurrent admissions together stop at the limit');
    assert.equal((await s.countByStatus()).queued, 4);
    await s.close();
  });

  test(`${name} tasks: lifecycle queued -> processing -> succeeded, with progress, attempts and expiry`, async () => {
    const s = await open();
    const t = await s.createTask({ tenant: 't', videoName: 'x', input: INPUT, createdAt: 1 });
    const started = await s.startTask(t.id, 50);
    assert.deepEqual([started!.status, started!.attempts, started!.startedAt], ['processing', 1, 50]);
    await s.setProgress(t.id, 42.4);
    assert.equal((await s.getTask('t', t.id))!.progress, 42);
    await s.setProgress(t.id, 140);
    assert.equal((await s.getTask('t', t.id))!.progress, 100, 'progress is capped');
    assert.deepEqual((await s.unfinishedTasks()).map((x) => x.id), [t.id]);
    const output = { videoKey: 'v.mp4', width: 1280, height: 720, durationSeconds: 2, timings: { totalMs: 5 },
      face: { method: 'points' as const, confidence: 1, points: { leftEye: [1, 2] as [number, number], rightEye: [3, 2] as [number, number], mouthLeft: [1.5, 4] as [number, number], mouthRight: [2.5, 4] as [number, number], chin: [2, 5] as [number, number] } } };
    const av = await s.createAvatar({ tenant: 't', imageKey: 'img', face: null, createdAt: 1 });
    await s.finishTask(t.id, { output, avatarId: av.id, now: 100, expiresAt: 100 + 7 * DAY });
    const done = (await s.getTask('t', t.id))!;
    assert.deepEqual([done.status, done.progress, done.output, done.avatarId, done.finishedAt, done.expiresAt], ['succeeded', 100, output, av.id, 100, 100 + 7 * DAY]);
    await s.setProgress(t.id, 5);
    assert.equal((await s.getTask('t', t.id))!.progress, 100, 'a finished task\'s progress stays');
    assert.equal(await s.startTask(t.id, 200), null, 'a finished task is not started again');
    assert.deepEqual(await s.unfinishedTasks(), []);
    assert.deepEqual(await s.expireTasks(100 + 7 * DAY - 1), []);
    assert.deepEqual((await s.expireTasks(100 + 7 * DAY)).map((x) => [x.id, x.status]), [[t.id, 'expired']]);
    assert.equal((await s.getTask('t', t.id))!.status, 'expired');
    assert.deepEqual(await s.expireTasks(100 + 8 * DAY), [], 'expired once');
    await s.close();
  });

  test(`${name} tasks: failures keep code and message; requeue after a crash counts the crash and keeps attempts`, async () => {
    const s = await open();
    const t = await s.createTask({ tenant: 't', videoName: 'x', input: INPUT, createdAt: 1 });
    await s.startTask(t.id, 2);
    await s.requeueAfterCrash(t.id);
    const requeued = (await s.getTask('t', t.id))!;
    assert.deepEqual([requeued.status, requeued.attempts, requeued.crashes], ['queued', 1, 1]);
    await s.requeueAfterCrash(t.id);
    assert.equal((await s.getTask('t', t.id))!.crashes, 1, 'only a processing task can have crashed');
    // A start after a restart (the task left processing) is an attempt but no crash.
    await s.startTask(t.id, 3);
    await s.startTask(t.id, 3);
    await s.failTask(t.id, { code: 1102, message: 'bad image', now: 4, expiresAt: 9 });
    const f = (await s.getTask('t', t.id))!;
    assert.deepEqual([f.status, f.errorCode, f.errorMessage, f.attempts, f.crashes, f.finishedAt, f.expiresAt], ['failed', 1102, 'bad image', 3, 1, 4, 9]);
    assert.deepEqual(await s.countByStatus(), { queued: 0, processing: 0, succeeded: 0, failed: 1, expired: 0 });
    await s.close();
  });

  test(`${name} tasks: a finished task's callback stays pending until it is settled`, async () => {
    const s = await open();
    const withHook = await s.createTask({ tenant: 't', videoName: 'a', input: { ...INPUT, callbackUrl: 'http://127.0.0.1:9/hook' }, createdAt: 1 });
    const without = await s.createTask({ tenant: 't', videoName: 'b', input: INPUT, createdAt: 2 });
    const failing = await s.createTask({ tenant: 't', videoName: 'c', input: { ...INPUT, callbackUrl: 'http://127.0.0.1:9/hook' }, createdAt: 3 });
    for (const t of [withHook, without, failing]) await s.startTask(t.id, 5);
    assert.deepEqual(await s.pendingCallbacks(), [], 'nothing to send before a task finishes');
    const output = { videoKey: 'v.mp4', width: 1280, height: 720, durationSeconds: 2, timings: {} };
    for (const t of [withHook, without]) await s.finishTask(t.id, { output, avatarId: null, now: 10, expiresAt: 20 });
    await s.failTask(failing.id, { code: 1102, message: 'bad image', now: 11, expiresAt: 21 });
    assert.deepEqual((await s.pendingCallbacks()).map((t) => t.id), [withHook.id, failing.id]);
    await s.settleCallback(withHook.id, true);
    assert.deepEqual((await s.pendingCallbacks()).map((t) => t.id), [failing.id]);
    await s.settleCallback(failing.id, false);
    assert.deepEqual(await s.pendingCallbacks(), []);
    await s.close();
  });
}

export function avatarSectionConformance(name: string, open: () => Promise<TaskStore>): void {
  test(`${name} avatars: tenants see only their own; pages newest first; deletion`, async () => {
    const s = await open();
    const av = await s.createAvatar({ tenant: 't1', imageKey: 'k/img', face: null, createdAt: 5 });
    assert.equal(await s.getAvatar('t2', av.id), null);
    assert.deepEqual(await s.getAvatar('t1', av.id), { id: av.id, tenant: 't1', imageKey: 'k/img', face: null, createdAt: 5 });
    const av2 = await s.createAvatar({ tenant: 't1', imageKey: 'k/img2', face: null, createdAt: 6 });
    assert.ok(av2.id > av.id);
    assert.deepEqual((await s.listAvatars('t1', { offset: 0, limit: 10 })).items.map((x) => x.id), [av2.id, av.id], 'newest first');
    assert.deepEqual(await s.listAvatars('t1', { offset: 1, limit: 1 }).then((r) => [r.items.map((x) => x.id), r.total]), [[av.id], 2]);
    assert.equal((await s.listAvatars('t2', { offset: 0, limit: 10 })).total, 0);
    assert.equal(await s.deleteAvatar('t2', av.id), false);
    assert.equal(await s.deleteAvatar('t1', av.id), true);
    assert.equal(await s.getAvatar('t1', av.id), null);
    assert.equal((await s.listAvatars('t1', { offset: 0, limit: 10 })).total, 1);
    await s.close();
  });

  test(`${name} avatars: every face of the image reads back in order, bit for bit`, async () => {
    const s = await open();
    const left = { points: new Float32Array([1.5, Math.PI, -0.1]), box: { x: 1, y: 2, width: 3, height: 4 }, score: 0.75, method: 'facemesh' as const };
    const right = { points: new Float32Array([1e-7, 2.25]), box: { x: 10, y: 2, width: 3, height: 4 }, score: 0.5, method: 'cat-cascade' as const, animal: true };
    const av = await s.createAvatar({ tenant: 't', imageKey: 'img', face: left, faces: [left, right], createdAt: 1 });
    assert.deepEqual((await s.getAvatar('t', av.id))!.faces, [left, right]);
    assert.deepEqual((await s.listAvatars('t', { offset: 0, limit: 1 })).items[0].faces, [left, right]);
    // Stored without faces (one marked face, or from before faces were kept): none read back.
    const one = await s.createAvatar({ tenant: 't', imageKey: 'img2', face: left, createdAt: 2 });
    assert.equal('faces' in (await s.getAvatar('t', one.id))!, false);
    await s.close();
  });

  test(`${name} avatars: faces read back bit for bit, with their method and animal mark`, async () => {
    const s = await open();
    const points = new Float32Array([1.5, 2.25, Math.PI, -0.1, 1e-7]);
    const av = await s.createAvatar({ tenant: 't', imageKey: 'img', face: { points, box: { x: 1, y: 2, width: 3, height: 4 }, score: 0.5 }, createdAt: 1 });
    const face = (await s.getAvatar('t', av.id))!.face!;
    assert.deepEqual([face.points, face.box, face.score, face.method], [points, { x: 1, y: 2, width: 3, height: 4 }, 0.5, 'facemesh'], 'no method stored reads as facemesh');
    const marked = await s.createAvatar({ tenant: 't', imageKey: 'img2', face: { points: new Float32Array([3, 4]), box: { x: 0, y: 0, width: 9, height: 9 }, score: 1, method: 'points' }, createdAt: 2 });
    assert.equal((await s.getAvatar('t', marked.id))!.face!.method, 'points');
    const dog = await s.createAvatar({ tenant: 't', imageKey: 'img3', face: { points: new Float32Array([3, 4]), box: { x: 0, y: 0, width: 9, height: 9 }, score: 0.9, animal: true }, createdAt: 3 });
    assert.equal((await s.getAvatar('t', dog.id))!.face!.animal, true, 'an animal\'s face stays an animal\'s');
    assert.equal((await s.getAvatar('t', marked.id))!.face!.animal, undefined);
    assert.deepEqual((await s.listAvatars('t', { offset: 0, limit: 1 })).items[0].face!.points, new Float32Array([3, 4]), 'lists carry faces too');
    await s.close();
  });
}

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

export function mediaStoreConformance(name: string, open: () => Promise<MediaStore>, scratchFile: (bytes: Uint8Array) => Promise<string>): void {
  const text = async (s: NodeJS.ReadableStream): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const c of s) chunks.push(Buffer.from(c as Buffer));
    return Buffer.concat(chunks).toString();
  };
  test(`${name}: put, size, full and ranged reads, remove`, async () => {
    const m = await open();
    await m.put('t1/u/a.bin', Buffer.from('0123456789'));
    assert.equal(await m.size('t1/u/a.bin'), 10);
    assert.equal(await text(await m.read('t1/u/a.bin')), '0123456789');
    assert.equal(await text(await m.read('t1/u/a.bin', { start: 2, end: 4 })), '234');
    assert.equal(await text(await m.read('t1/u/a.bin', { start: 9, end: 9 })), '9');
    await m.remove('t1/u/a.bin');
    assert.equal(await m.size('t1/u/a.bin'), null);
    await m.remove('t1/u/a.bin');
    await assert.rejects(m.read('t1/u/a.bin'));
  });
  test(`${name}: putFile moves a scratch file in; download writes the bytes to a local file`, async () => {
    const m = await open();
    const source = await scratchFile(Buffer.from('movie'));
    await m.putFile('tasks/1/video.mp4', source);
    assert.equal(fs.existsSync(source), false, 'the scratch file is moved, not left behind');
    assert.equal(await m.size('tasks/1/video.mp4'), 5);
    const copy = `${await scratchFile(Buffer.from('old'))}.copy`;
    await m.download('tasks/1/video.mp4', copy);
    assert.equal(fs.readFileSync(copy, 'utf8'), 'movie');
    await m.download('tasks/1/video.mp4', copy);
    assert.equal(fs.readFileSync(copy, 'utf8'), 'movie', 'an existing file is replaced');
    await assert.rejects(m.download('tasks/1/absent.mp4', `${copy}2`));
  });
  test(`${name}: a file of several MiB goes in and comes out intact, also in ranges across its parts`, async () => {
    const m = await open();
    const big = Buffer.alloc(12 * 1024 * 1024 + 12344);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
    await m.putFile('t/big.bin', await scratchFile(big));
    assert.equal(await m.size('t/big.bin'), big.length);
    const bytes = async (s: NodeJS.ReadableStream) => { const c: Buffer[] = []; for await (const x of s) c.push(Buffer.from(x as Buffer)); return Buffer.concat(c); };
    assert.ok((await bytes(await m.read('t/big.bin'))).equals(big));
    const start = 8 * 1024 * 1024 - 100;
    assert.ok((await bytes(await m.read('t/big.bin', { start, end: start + 999 }))).equals(big.subarray(start, start + 1000)));
    await m.remove('t/big.bin');
  });
  test(`${name}: keys that could escape the store are refused`, async () => {
    const m = await open();
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '.hidden', 'a/./b', 'a\\b', '']) {
      await assert.rejects(m.put(key, Buffer.from('x')), { id: 'INVALID_ARGUMENT' }, key);
    }
  });
}

export function jobQueueConformance(name: string, open: () => Promise<JobQueue>): void {
  test(`${name}: FIFO delivery, waiting count, take waits for enqueue`, async () => {
    const q = await open();
    await q.enqueue({ taskId: 1 });
    await q.enqueue({ taskId: 2 });
    assert.equal(await q.waiting(), 2);
    const first = (await q.take())!;
    assert.deepEqual(first.job, { taskId: 1 });
    const second = (await q.take())!;
    assert.deepEqual(second.job, { taskId: 2 });
    assert.equal(await q.waiting(), 0);
    const pending = q.take();
    await q.enqueue({ taskId: 3 });
    const third = (await pending)!;
    assert.deepEqual(third.job, { taskId: 3 });
    for (const l of [first, second, third]) await l.complete();
    await q.close();
  });

  test(`${name}: a limited enqueue adds only below the limit, even when callers race`, async () => {
    const q = await open();
    const added = await Promise.all([1, 2, 3, 4, 5].map((taskId) => q.enqueue({ taskId }, 3)));
    assert.deepEqual(added.filter(Boolean).length, 3);
    assert.equal(await q.waiting(), 3);
    assert.equal(await q.enqueue({ taskId: 6 }), true, 'without a limit it always adds');
    const lease = (await q.take())!;
    assert.equal(await q.enqueue({ taskId: 7 }, 4), true);
    assert.equal(await q.enqueue({ taskId: 8 }, 4), false);
    await lease.complete();
    await q.close();
  });

  test(`${name}: abort and close release waiting takers with null`, async () => {
    const q = await open();
    const ac = new AbortController();
    const aborted = q.take(ac.signal);
    ac.abort();
    assert.equal(await aborted, null);
    await q.enqueue({ taskId: 4 });
    const lease = (await q.take())!;
    assert.deepEqual(lease.job, { taskId: 4 }, 'an aborted taker does not swallow the next job');
    await lease.complete();
    const waiting = q.take();
    await q.close();
    assert.equal(await waiting, null);
    assert.equal(await q.take(), null);
  });

  test(`${name}: a task has one job: enqueued twice, or while held, it is not added again`, async () => {
    const q = await open();
    assert.equal(await q.enqueue({ taskId: 10 }), true);
    assert.equal(await q.enqueue({ taskId: 10 }), true, 'already queued counts as queued');
    assert.equal(await q.waiting(), 1);
    const lease = (await q.take())!;
    assert.equal(await q.enqueue({ taskId: 10 }), true);
    assert.equal(await q.enqueue({ taskId: 10 }, 0), true, 'a held job is in the queue whatever the limit');
    assert.equal(await q.waiting(), 0, 'a held job is not added again');
    await lease.complete();
    await q.enqueue({ taskId: 10 });
    assert.equal(await q.waiting(), 1, 'after completion the task can be queued anew');
    (await q.take())!.complete();
    await q.close();
  });

  test(`${name}: held jobs are listed with their progress; a released job is taken again, a completed one is gone`, async () => {
    const q = await open();
    await q.enqueue({ taskId: 21 });
    await q.enqueue({ taskId: 22 });
    const a = (await q.take())!;
    const b = (await q.take())!;
    assert.equal(a.lost.aborted, false);
    await a.progress(37);
    const active = (await q.active()).sort((x, y) => x.taskId - y.taskId);
    assert.deepEqual(active.map((j) => [j.taskId, j.progress]), [[21, 37], [22, 0]]);
    assert.ok(active.every((j) => j.worker.endsWith(`:${process.pid}`)), `worker ids name this process: ${active.map((j) => j.worker)}`);
    await a.release();
    assert.equal(await q.waiting(), 1);
    const again = (await q.take())!;
    assert.deepEqual(again.job, { taskId: 21 });
    await b.complete();
    await again.complete();
    assert.deepEqual(await q.active(), []);
    assert.equal(await q.waiting(), 0);
    await q.close();
  });
}

/** Timing histograms kept with a queue: cumulative buckets, sum and count, per name. */
export function queueTimingsConformance(name: string, open: () => Promise<JobQueue>): void {
  test(`${name}: timings observed are read back as a cumulative histogram, each name apart`, async () => {
    const q = await open();
    assert.deepEqual(await q.timings('segment'), { buckets: TIMING_BUCKETS.map(() => 0), sum: 0, count: 0 });
    for (const s of [0.4, 3, 3, 700]) await q.observe('segment', s);
    await q.observe('join', 1.5);
    const t = await q.timings('segment');
    assert.equal(t.count, 4);
    assert.ok(Math.abs(t.sum - 706.4) < 1e-9, `sum ${t.sum}`);
    assert.deepEqual(t.buckets, TIMING_BUCKETS.map((b) => [0.4, 3, 3, 700].filter((s) => s <= b).length));
    assert.deepEqual(await q.timings('join'), { buckets: TIMING_BUCKETS.map((b) => (1.5 <= b ? 1 : 0)), sum: 1.5, count: 1 });
    await q.close();
  });
}

/**
 * The segment ledger, on the task store it lives beside: plans are kept once, progress is the
 * frames-weighted mean, and of two workers finishing the last segments together exactly one
 * sees none left.
 */
export function segmentSectionConformance(name: string, open: () => Promise<TaskStore>): void {
  const ranges = [{ start: 0, end: 100 }, { start: 100, end: 200 }, { start: 200, end: 250 }];
  test(`${name}: a segment plan is recorded once, finished segment by segment, and dropped`, async () => {
    const s = await open();
    const t = await s.createTask({ tenant: 't', videoName: 'v', input: INPUT, createdAt: 1 });
    await s.startTask(t.id, 2);
    assert.equal(await s.getSegments(t.id), null);
    const plan = await s.planSegments(t.id, { frameCount: 250, data: { face: { box: [1, 2] }, audioKey: 'k/a' }, ranges });
    assert.deepEqual(plan, {
      taskId: t.id, frameCount: 250, data: { face: { box: [1, 2] }, audioKey: 'k/a' },
      segments: ranges.map((r, index) => ({ index, ...r, progress: 0, done: false, worker: null, key: null })),
    });
    // A re-delivered task job plans again: the first plan stays.
    assert.deepEqual(await s.planSegments(t.id, { frameCount: 999, data: { other: true }, ranges: [{ start: 0, end: 999 }] }), plan);
    await s.setSegmentProgress(t.id, 0, 50);
    await s.setSegmentProgress(t.id, 2, 100);
    // (50*100 + 0*100 + 100*50) / 250 = 40
    assert.equal((await s.getTaskForWorker(t.id))!.progress, 40);
    assert.deepEqual(await s.finishSegment(t.id, 1, 'w-b', 'k/seg1'), { remaining: 2 });
    assert.deepEqual(await s.finishSegment(t.id, 1, 'w-c', 'k/seg1-again'), { remaining: 2 }, 'a segment finished twice counts once, the first record stays');
    const after = (await s.getSegments(t.id))!;
    assert.deepEqual(after.segments[1], { index: 1, start: 100, end: 200, progress: 100, done: true, worker: 'w-b', key: 'k/seg1' });
    await s.setSegmentProgress(t.id, 1, 10);
    assert.equal((await s.getSegments(t.id))!.segments[1].progress, 100, 'a finished segment keeps 100');
    assert.equal((await s.getTaskForWorker(t.id))!.progress, 80);
    const [a, b] = await Promise.all([s.finishSegment(t.id, 0, 'w-a', 'k/seg0'), s.finishSegment(t.id, 2, 'w-b', 'k/seg2')]);
    assert.deepEqual([a.remaining, b.remaining].sort(), [0, 1], 'exactly one of the last two finishers sees none left');
    await s.dropSegments(t.id);
    assert.equal(await s.getSegments(t.id), null);
    await s.close();
  });

  test(`${name}: plans of different tasks are apart`, async () => {
    const s = await open();
    const a = await s.createTask({ tenant: 't', videoName: 'a', input: INPUT, createdAt: 1 });
    const b = await s.createTask({ tenant: 't', videoName: 'b', input: INPUT, createdAt: 1 });
    await s.planSegments(a.id, { frameCount: 250, data: 1, ranges });
    await s.planSegments(b.id, { frameCount: 100, data: 2, ranges: [{ start: 0, end: 100 }] });
    assert.deepEqual(await s.finishSegment(b.id, 0, 'w', 'k'), { remaining: 0 });
    assert.equal((await s.getSegments(a.id))!.segments.filter((x: { done: boolean }) => x.done).length, 0);
    await s.dropSegments(b.id);
    assert.equal((await s.getSegments(a.id))!.data, 1);
    await s.close();
  });
}
