// The whole service with DH_DATABASE_URL: tasks, avatars and file records live in PostgreSQL
// (no SQLite file appears), a render goes through, /healthz reports the database and answers 503
// while it refuses connections. Needs DH_TEST_DATABASE_URL (scripts/test-servers.mjs).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { fixtureAudio, fixtureImage } from '../helpers.js';
import { testServer } from '../servers.js';
import { API, DETAIL, startHarness, uploadFile, type Harness } from './harness.js';

const url = testServer('DH_TEST_DATABASE_URL', 'service on postgresql');

if (url) {
  const KEY = 'key-pg';
  const dbName = `dh_svc_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  let h: Harness;
  let db: pg.Pool;

  before(async () => {
    await admin.query(`CREATE DATABASE ${dbName}`);
    const u = new URL(url);
    u.pathname = `/${dbName}`;
    h = await startHarness({ DH_API_KEYS: KEY, DH_DATABASE_URL: u.toString() });
    db = new pg.Pool({ connectionString: u.toString(), max: 1 });
    // Its idle connection is terminated on purpose below.
    db.on('error', () => {});
  });
  after(async () => {
    await h?.close();
    await db?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  test('service on postgresql: a task with a new avatar renders, and its records are in the database', async () => {
    const health = await h.request('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual([health.json.dependencies.database.backend, health.json.dependencies.database.ok], ['postgresql', true]);

    const img = await uploadFile(h, fixtureImage('photo-woman-smiling.png'), KEY);
    const aud = await uploadFile(h, fixtureAudio('zh-poem.wav'), KEY);
    const created = await h.create({ imageUrl: img.data.url, audioUrl: aud.data.url, duration: 1, isNewAvatar: true }, { key: KEY, videoName: '夏日' });
    assert.equal(created.code, 0, created.message);
    const t = await h.waitFor(created.data, (d) => d.status === 'succeeded' || d.status === 'failed', { key: KEY });
    assert.equal(t.status, 'succeeded', t.errorMessage);
    assert.equal(t.videoName, '夏日');
    assert.equal((await h.request('GET', t.videoUrl)).headers.get('content-type'), 'video/mp4');

    const row = (await db.query('SELECT status, attempts, avatar_id FROM tasks WHERE id = $1', [created.data])).rows[0];
    assert.deepEqual([row.status, row.attempts, Number(row.avatar_id)], ['succeeded', 1, t.avatarId]);
    const kinds = (await db.query('SELECT kind FROM files WHERE task_id = $1 ORDER BY kind', [created.data])).rows.map((r) => r.kind);
    assert.ok(kinds.includes('video') && kinds.includes('thumbnail'), `files of the task: ${kinds}`);
    const avatars = (await h.request('GET', `${API}/avatar/list`, { key: KEY })).json.data;
    assert.equal(avatars.items[0].avatarId, t.avatarId);
    assert.equal(avatars.items[0].faceFound, true);
    assert.ok(!fs.existsSync(path.join(h.dataDir, 'tasks.db')), 'no SQLite database beside PostgreSQL');

    const del = await h.request('POST', `${API}/material/single/image/video/delete`, { key: KEY, json: { taskId: created.data } });
    assert.equal(del.json.code, 0);
    assert.equal((await h.request('GET', `${DETAIL}?taskId=${created.data}`, { key: KEY })).json.code, 3201);
  });

  test('service on postgresql: /healthz answers 503 naming the database while it refuses connections', async () => {
    await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [dbName]);
    try {
      const down = await h.request('GET', '/healthz');
      assert.equal(down.status, 503);
      assert.equal(down.json.status, 'unavailable');
      assert.equal(down.json.dependencies.database.ok, false);
      assert.match(down.json.dependencies.database.error, /not currently accepting connections|terminat/);
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);
    }
    // Pooled connections the server ended are found dead one by one, each failing one check.
    let up = await h.request('GET', '/healthz');
    for (let i = 0; i < 50 && up.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      up = await h.request('GET', '/healthz');
    }
    assert.deepEqual([up.status, up.json.dependencies.database.ok], [200, true], 'it reconnects');
  });
}
