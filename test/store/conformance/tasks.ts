// The task section of the task store (TaskSection in src/store/ports.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TaskStore } from '../../../src/store/ports.js';
import { DAY, INPUT } from './input.js';

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
