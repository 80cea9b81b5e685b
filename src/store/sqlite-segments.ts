// The segment section of the task store on SQLite: two small tables beside the tasks. Each
// method is one transaction; SQLite serialises writers, so "none left" is seen exactly once.
import type Database from 'better-sqlite3';
import type { SegmentPlan, SegmentRecord, SegmentSection } from './ports.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS segment_plans (
  task_id INTEGER PRIMARY KEY,
  frame_count INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS segments (
  task_id INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  start_frame INTEGER NOT NULL,
  end_frame INTEGER NOT NULL,
  progress INTEGER NOT NULL DEFAULT 0,
  worker TEXT,
  media_key TEXT,
  PRIMARY KEY (task_id, idx)
);
`;

interface SegmentRow { idx: number; start_frame: number; end_frame: number; progress: number; worker: string | null; media_key: string | null }

const toSegment = (r: SegmentRow): SegmentRecord => ({
  index: r.idx, start: r.start_frame, end: r.end_frame, progress: r.progress, done: r.media_key !== null, worker: r.worker, key: r.media_key,
});

export function sqliteSegmentSection(db: Database): SegmentSection {
  db.exec(SCHEMA);
  const q = {
    plan: db.prepare(`SELECT * FROM segment_plans WHERE task_id = ?`),
    insertPlan: db.prepare(`INSERT OR IGNORE INTO segment_plans (task_id, frame_count, data) VALUES (?, ?, ?)`),
    insertSegment: db.prepare(`INSERT OR IGNORE INTO segments (task_id, idx, start_frame, end_frame) VALUES (?, ?, ?, ?)`),
    segments: db.prepare(`SELECT * FROM segments WHERE task_id = ? ORDER BY idx`),
    progress: db.prepare(`UPDATE segments SET progress = ? WHERE task_id = ? AND idx = ? AND media_key IS NULL`),
    taskProgress: db.prepare(`UPDATE tasks SET progress = (SELECT CAST(SUM(progress * (end_frame - start_frame)) / SUM(end_frame - start_frame) AS INTEGER) FROM segments WHERE task_id = ?) WHERE id = ? AND status = 'processing'`),
    finish: db.prepare(`UPDATE segments SET progress = 100, worker = ?, media_key = ? WHERE task_id = ? AND idx = ? AND media_key IS NULL`),
    remaining: db.prepare(`SELECT COUNT(*) AS n FROM segments WHERE task_id = ? AND media_key IS NULL`),
    crash: db.prepare(`UPDATE tasks SET crashes = crashes + 1 WHERE id = ?`),
    dropPlan: db.prepare(`DELETE FROM segment_plans WHERE task_id = ?`),
    dropSegments: db.prepare(`DELETE FROM segments WHERE task_id = ?`),
  };
  const read = (taskId: number): SegmentPlan | null => {
    const p = q.plan.get(taskId) as { frame_count: number; data: string } | undefined;
    if (!p) return null;
    return { taskId, frameCount: p.frame_count, data: JSON.parse(p.data), segments: (q.segments.all(taskId) as SegmentRow[]).map(toSegment) };
  };
  const plan = db.transaction((taskId: number, frameCount: number, data: unknown, ranges: readonly { start: number; end: number }[]) => {
    if (q.insertPlan.run(taskId, frameCount, JSON.stringify(data)).changes > 0) {
      ranges.forEach((r, i) => q.insertSegment.run(taskId, i, r.start, r.end));
    }
    return read(taskId)!;
  });
  const progress = db.transaction((taskId: number, index: number, percent: number) => {
    q.progress.run(Math.max(0, Math.min(100, Math.round(percent))), taskId, index);
    q.taskProgress.run(taskId, taskId);
  });
  const finish = db.transaction((taskId: number, index: number, worker: string, key: string) => {
    q.finish.run(worker, key, taskId, index);
    q.taskProgress.run(taskId, taskId);
    return { remaining: (q.remaining.get(taskId) as { n: number }).n };
  });
  const drop = db.transaction((taskId: number) => { q.dropSegments.run(taskId); q.dropPlan.run(taskId); });
  return {
    async planSegments(taskId, p) { return plan(taskId, p.frameCount, p.data, p.ranges); },
    async getSegments(taskId) { return read(taskId); },
    async setSegmentProgress(taskId, index, percent) { progress(taskId, index, percent); },
    async finishSegment(taskId, index, worker, key) { return finish(taskId, index, worker, key); },
    async countCrash(taskId) { q.crash.run(taskId); },
    async dropSegments(taskId) { drop(taskId); },
  };
}
