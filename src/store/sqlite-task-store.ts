// TaskStore on SQLite (better-sqlite3) in WAL mode: readers never wait for the writer, and a
// crash loses at most the transaction in flight. Landmarks are stored as a Float32 blob
// (face-blob.ts).
import Database from 'better-sqlite3';
import type { FaceLandmarks, FaceMethod } from '../core/types.js';
import { faceFromColumns, facePointsBlob, facesFromText, facesText } from './face-blob.js';
import { TASK_STATUSES, type AvatarRecord, type AvatarSection, type FileRecord, type FileSection, type ListQuery, type NewTask, type TaskRecord, type TaskSection, type TaskStatus, type TaskStore } from './ports.js';
import { readTaskInput } from './task-input.js';
import { sqliteSegmentSection } from './sqlite-segments.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  video_name TEXT NOT NULL,
  status TEXT NOT NULL,
  progress INTEGER NOT NULL DEFAULT 0,
  input TEXT NOT NULL,
  output TEXT,
  avatar_id INTEGER,
  error_code INTEGER,
  error_message TEXT,
  warnings TEXT NOT NULL DEFAULT '[]',
  attempts INTEGER NOT NULL DEFAULT 0,
  crashes INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  expires_at INTEGER,
  callback_state TEXT
);
CREATE INDEX IF NOT EXISTS tasks_tenant ON tasks (tenant, id);
CREATE INDEX IF NOT EXISTS tasks_status ON tasks (status);
CREATE TABLE IF NOT EXISTS avatars (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant TEXT NOT NULL,
  image_key TEXT NOT NULL,
  face_points BLOB,
  face_box TEXT,
  face_score REAL,
  face_method TEXT,
  face_animal INTEGER,
  face_style TEXT,
  faces TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
  key TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  kind TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  deleted_at INTEGER,
  task_id INTEGER
);
CREATE INDEX IF NOT EXISTS files_expiry ON files (expires_at) WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS files_task ON files (task_id);
`;

interface TaskRow {
  id: number; tenant: string; video_name: string; status: TaskStatus; progress: number; input: string; output: string | null;
  avatar_id: number | null; error_code: number | null; error_message: string | null; warnings: string; attempts: number; crashes: number;
  created_at: number; started_at: number | null; finished_at: number | null; expires_at: number | null;
}
interface AvatarRow { id: number; tenant: string; image_key: string; face_points: Buffer | null; face_box: string | null; face_score: number | null; face_method: FaceMethod | null; face_animal: number | null; face_style: string | null; faces: string | null; created_at: number }
interface FileRow { key: string; tenant: string; kind: FileRecord['kind']; bytes: number; content_type: string; created_at: number; expires_at: number; deleted_at: number | null; task_id: number | null }

const toTask = (r: TaskRow): TaskRecord => ({
  id: r.id, tenant: r.tenant, videoName: r.video_name, status: r.status, progress: r.progress,
  input: readTaskInput(JSON.parse(r.input)), output: r.output ? JSON.parse(r.output) : null, avatarId: r.avatar_id,
  errorCode: r.error_code, errorMessage: r.error_message, warnings: JSON.parse(r.warnings), attempts: r.attempts, crashes: r.crashes,
  createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at, expiresAt: r.expires_at,
});

const toFile = (r: FileRow): FileRecord => ({
  key: r.key, tenant: r.tenant, kind: r.kind, bytes: r.bytes, contentType: r.content_type,
  createdAt: r.created_at, expiresAt: r.expires_at, deletedAt: r.deleted_at, taskId: r.task_id,
});

const toAvatar = (r: AvatarRow): AvatarRecord => ({
  id: r.id, tenant: r.tenant, imageKey: r.image_key, createdAt: r.created_at,
  face: faceFromColumns(r.face_points, r.face_box ? JSON.parse(r.face_box) : null, r.face_score, r.face_method, Boolean(r.face_animal), r.face_style),
  ...withFaces(facesFromText(r.faces)),
});

const withFaces = (faces: FaceLandmarks[] | undefined) => (faces ? { faces } : {});

/** Opens (creating if needed) the database at `file`; ':memory:' for tests. */
export function openSqliteTaskStore(file: string): TaskStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the tail.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const columns = (db.prepare(`PRAGMA table_info(tasks)`).all() as { name: string }[]).map((c) => c.name);
  if (!columns.includes('callback_state')) {
    // A database from before callbacks were tracked: what it finished was notified back then, as
    // far as anyone can tell, so nothing is sent again.
    db.exec(`ALTER TABLE tasks ADD COLUMN callback_state TEXT; UPDATE tasks SET callback_state = 'unknown' WHERE status NOT IN ('queued', 'processing');`);
  }
  const avatarColumns = (db.prepare(`PRAGMA table_info(avatars)`).all() as { name: string }[]).map((c) => c.name);
  if (!avatarColumns.includes('face_method')) {
    // Avatars stored before methods were recorded were all found by the face model.
    db.exec(`ALTER TABLE avatars ADD COLUMN face_method TEXT`);
  }
  if (!avatarColumns.includes('face_animal')) db.exec(`ALTER TABLE avatars ADD COLUMN face_animal INTEGER`);
  if (!avatarColumns.includes('face_style')) db.exec(`ALTER TABLE avatars ADD COLUMN face_style TEXT`);
  // Avatars from before every face was kept have their main face only.
  if (!avatarColumns.includes('faces')) db.exec(`ALTER TABLE avatars ADD COLUMN faces TEXT`);
  if (!columns.includes('crashes')) {
    // Before render deaths were counted apart, attempts counted them together with restarts;
    // none of those is known to have been a crash.
    db.exec(`ALTER TABLE tasks ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0`);
  }

  const q = {
    insert: db.prepare(`INSERT INTO tasks (tenant, video_name, status, input, warnings, created_at) VALUES (?, ?, 'queued', ?, ?, ?)`),
    get: db.prepare(`SELECT * FROM tasks WHERE id = ? AND tenant = ?`),
    getAny: db.prepare(`SELECT * FROM tasks WHERE id = ?`),
    del: db.prepare(`DELETE FROM tasks WHERE id = ? AND tenant = ?`),
    start: db.prepare(`UPDATE tasks SET status = 'processing', attempts = attempts + 1, started_at = ?, progress = 0 WHERE id = ? AND status IN ('queued', 'processing')`),
    progress: db.prepare(`UPDATE tasks SET progress = ? WHERE id = ? AND status = 'processing'`),
    finish: db.prepare(`UPDATE tasks SET status = 'succeeded', progress = 100, output = ?, avatar_id = COALESCE(?, avatar_id), finished_at = ?, expires_at = ?, error_code = NULL, error_message = NULL WHERE id = ? AND (? IS NULL OR (attempts = ? AND status = 'processing'))`),
    fail: db.prepare(`UPDATE tasks SET status = 'failed', error_code = ?, error_message = ?, finished_at = ?, expires_at = ? WHERE id = ?`),
    requeue: db.prepare(`UPDATE tasks SET status = 'queued', progress = 0, crashes = crashes + 1 WHERE id = ? AND status = 'processing'`),
    unfinished: db.prepare(`SELECT * FROM tasks WHERE status IN ('queued', 'processing') ORDER BY id`),
    due: db.prepare(`SELECT * FROM tasks WHERE status IN ('succeeded', 'failed') AND expires_at <= ?`),
    expire: db.prepare(`UPDATE tasks SET status = 'expired' WHERE id = ?`),
    pendingCallbacks: db.prepare(`SELECT * FROM tasks WHERE status IN ('succeeded', 'failed') AND callback_state IS NULL AND json_extract(input, '$.callbackUrl') IS NOT NULL ORDER BY id`),
    settleCallback: db.prepare(`UPDATE tasks SET callback_state = ? WHERE id = ?`),
    avatarInsert: db.prepare(`INSERT INTO avatars (tenant, image_key, face_points, face_box, face_score, face_method, face_animal, face_style, faces, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    avatarGet: db.prepare(`SELECT * FROM avatars WHERE id = ? AND tenant = ?`),
    avatarList: db.prepare(`SELECT * FROM avatars WHERE tenant = ? ORDER BY id DESC LIMIT ? OFFSET ?`),
    avatarCount: db.prepare(`SELECT COUNT(*) AS n FROM avatars WHERE tenant = ?`),
    avatarDelete: db.prepare(`DELETE FROM avatars WHERE id = ? AND tenant = ?`),
    filePut: db.prepare(`INSERT OR REPLACE INTO files (key, tenant, kind, bytes, content_type, created_at, expires_at, deleted_at, task_id) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`),
    fileGet: db.prepare(`SELECT * FROM files WHERE key = ?`),
    fileDue: db.prepare(`SELECT * FROM files WHERE deleted_at IS NULL AND expires_at <= ?`),
    fileDelete: db.prepare(`UPDATE files SET deleted_at = ? WHERE key = ?`),
    filesOfTask: db.prepare(`SELECT * FROM files WHERE task_id = ?`),
    counts: db.prepare(`SELECT status, COUNT(*) AS n FROM tasks GROUP BY status`),
    queuedCount: db.prepare(`SELECT COUNT(*) AS n FROM tasks WHERE status = 'queued'`),
  };

  const insertTask = (t: NewTask): TaskRecord => {
    const info = q.insert.run(t.tenant, t.videoName, JSON.stringify(t.input), JSON.stringify(t.warnings ?? []), t.createdAt);
    return toTask(q.getAny.get(info.lastInsertRowid) as TaskRow);
  };
  // IMMEDIATE takes the write lock before counting, so even another process on the same file
  // cannot insert between the count and the insert.
  const admitTask = db.transaction((t: NewTask, limit: number): TaskRecord | null =>
    (q.queuedCount.get() as { n: number }).n < limit ? insertTask(t) : null);

  const expireTasks = db.transaction((now: number) => {
    const rows = q.due.all(now) as TaskRow[];
    for (const r of rows) q.expire.run(r.id);
    return rows.map((r) => toTask({ ...r, status: 'expired' }));
  });
  const expireFiles = db.transaction((now: number) => {
    const rows = q.fileDue.all(now) as FileRow[];
    for (const r of rows) q.fileDelete.run(now, r.key);
    return rows.map((r) => toFile({ ...r, deleted_at: now }));
  });

  const tasks: TaskSection = {
    async createTask(t: NewTask) { return insertTask(t); },
    async admitTask(t: NewTask, limit: number) { return admitTask.immediate(t, limit); },
    async getTask(tenant, id) {
      const r = q.get.get(id, tenant) as TaskRow | undefined;
      return r ? toTask(r) : null;
    },
    async listTasks(tenant, query: ListQuery) {
      const where = query.status ? 'tenant = ? AND status = ?' : 'tenant = ?';
      const args: unknown[] = query.status ? [tenant, query.status] : [tenant];
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM tasks WHERE ${where}`).get(...args) as { n: number }).n;
      const rows = db.prepare(`SELECT * FROM tasks WHERE ${where} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, query.limit, query.offset) as TaskRow[];
      return { items: rows.map(toTask), total };
    },
    async deleteTask(tenant, id) { return q.del.run(id, tenant).changes > 0; },
    async getTaskForWorker(id) {
      const r = q.getAny.get(id) as TaskRow | undefined;
      return r ? toTask(r) : null;
    },
    async startTask(id, now) {
      if (q.start.run(now, id).changes === 0) return null;
      return toTask(q.getAny.get(id) as TaskRow);
    },
    async setProgress(id, progress) { q.progress.run(Math.max(0, Math.min(100, Math.round(progress))), id); },
    async finishTask(id, o) { return q.finish.run(JSON.stringify(o.output), o.avatarId, o.now, o.expiresAt, id, o.attempt ?? null, o.attempt ?? null).changes > 0; },
    async failTask(id, e) { q.fail.run(e.code, e.message, e.now, e.expiresAt, id); },
    async requeueAfterCrash(id) { q.requeue.run(id); },
    async unfinishedTasks() { return (q.unfinished.all() as TaskRow[]).map(toTask); },
    async expireTasks(now) { return expireTasks(now); },
    async pendingCallbacks() { return (q.pendingCallbacks.all() as TaskRow[]).map(toTask); },
    async settleCallback(id, delivered) { q.settleCallback.run(delivered ? 'delivered' : 'failed', id); },
    async countByStatus() {
      const out = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
      for (const r of q.counts.all() as { status: TaskStatus; n: number }[]) out[r.status] = r.n;
      return out;
    },
  };
  const avatars: AvatarSection = {
    async createAvatar(a) {
      const info = q.avatarInsert.run(a.tenant, a.imageKey, a.face ? facePointsBlob(a.face) : null,
        a.face ? JSON.stringify(a.face.box) : null, a.face?.score ?? null, a.face ? a.face.method ?? 'facemesh' : null, a.face?.animal ? 1 : 0, a.face?.style ?? null, facesText(a.faces), a.createdAt);
      return { ...a, id: Number(info.lastInsertRowid) };
    },
    async getAvatar(tenant, id) {
      const r = q.avatarGet.get(id, tenant) as AvatarRow | undefined;
      return r ? toAvatar(r) : null;
    },
    async listAvatars(tenant, query) {
      const rows = q.avatarList.all(tenant, query.limit, query.offset) as AvatarRow[];
      return { items: rows.map(toAvatar), total: (q.avatarCount.get(tenant) as { n: number }).n };
    },
    async deleteAvatar(tenant, id) { return q.avatarDelete.run(id, tenant).changes > 0; },
  };
  const files: FileSection = {
    async putFile(f) { q.filePut.run(f.key, f.tenant, f.kind, f.bytes, f.contentType, f.createdAt, f.expiresAt, f.taskId); },
    async getFile(key) {
      const r = q.fileGet.get(key) as FileRow | undefined;
      return r ? toFile(r) : null;
    },
    async expireFiles(now) { return expireFiles(now); },
    async filesOfTask(taskId) { return (q.filesOfTask.all(taskId) as FileRow[]).map(toFile); },
    async markFilesDeleted(keys, now) { for (const k of keys) q.fileDelete.run(now, k); },
  };
  return {
    ...tasks, ...avatars, ...files, ...sqliteSegmentSection(db),
    backend: 'sqlite',
    async ping() { db.prepare('SELECT 1').get(); },
    async close() { db.close(); },
  };
}
