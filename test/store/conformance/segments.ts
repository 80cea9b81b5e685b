// The segment section of the task store (SegmentSection in src/store/ports.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TaskStore } from '../../../src/store/ports.js';
import { INPUT } from './input.js';

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
