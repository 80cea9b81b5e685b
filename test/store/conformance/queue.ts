// The job queue: in memory and BullMQ.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TIMING_BUCKETS, type JobQueue } from '../../../src/store/ports.js';

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
