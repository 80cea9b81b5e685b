// The PostgreSQL task store against the shared conformance suite, plus what only a shared
// database has: migrations run by several processes at once, and admission and sweeps from
// several connections. Needs DH_TEST_DATABASE_URL (scripts/test-servers.mjs starts a server).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/core/config.js';
import { DhError } from '../../src/core/errors.js';
import { migrate, MIGRATIONS, openPgTaskStore } from '../../src/adapters/pg-task-store.js';
import { openTaskStore } from '../../src/store/open-task-store.js';
import type { NewTask, TaskInput, TaskStore } from '../../src/store/ports.js';
import { tempDir } from '../helpers.js';
import { testServer } from '../servers.js';
import { taskStoreConformance } from './conformance/index.js';

const url = testServer('DH_TEST_DATABASE_URL', 'postgresql task store');

if (url) {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const created: string[] = [];
  /** A new, empty database on the test server, dropped after the run. */
  const freshDatabase = async (): Promise<string> => {
    const name = `dh_test_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    created.push(name);
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  after(async () => {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  taskStoreConformance('postgresql', async () => openPgTaskStore(await freshDatabase()));

  const INPUT: TaskInput = { inputs: { imageUrl: 'https://cdn.example.com/a.png', audioUrl: 'https://cdn.example.com/a.mp3' }, spec: { duration: 10, resizeMode: 'adaptive' }, isNewAvatar: false };
  const task = (i: number): NewTask => ({ tenant: 't', videoName: `v${i}`, input: INPUT, createdAt: i });

  test('postgresql: migrations are versioned, run once, and several processes may start together', async () => {
    const db = await freshDatabase();
    // Eight stores opening an empty database at the same moment: all open, each step applied once.
    const stores = await Promise.all(Array.from({ length: 8 }, () => openPgTaskStore(db, { maxConnections: 2 })));
    const check = new pg.Client({ connectionString: db });
    await check.connect();
    try {
      const versions = (await check.query<{ version: number }>('SELECT version FROM dh_migrations ORDER BY version')).rows.map((r) => r.version);
      assert.deepEqual(versions, MIGRATIONS.map((m) => m.version));
      const t = await stores[3].createTask(task(1));
      assert.equal((await stores[6].getTask('t', t.id))!.videoName, 'v1', 'one schema for all');
      // Opening again changes nothing and keeps the data.
      const again = await openPgTaskStore(db);
      assert.equal((await again.getTaskForWorker(t.id))!.id, t.id);
      assert.equal((await check.query('SELECT count(*)::int AS n FROM dh_migrations')).rows[0].n, MIGRATIONS.length);
      await again.close();
    } finally {
      await check.end();
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test('postgresql: a later step is applied alone; a failing step leaves the database as it was', async () => {
    const pool = new pg.Pool({ connectionString: await freshDatabase(), max: 2 });
    try {
      const next = MIGRATIONS.length + 1;
      assert.deepEqual(await migrate(pool), MIGRATIONS.map((m) => m.version));
      const later = [...MIGRATIONS, { version: next, sql: 'ALTER TABLE tasks ADD COLUMN note text' }];
      const broken = [...later, { version: next + 1, sql: 'ALTER TABLE tasks ADD COLUMN other text; ALTER TABLE no_such_table ADD COLUMN x text' }];
      // Two new steps in one run, the second failing: neither stays.
      await assert.rejects(migrate(pool, broken), /no_such_table/);
      const columns = async () => (await pool.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'tasks'`)).rows.map((r) => r.column_name);
      assert.ok(!(await columns()).includes('note') && !(await columns()).includes('other'), 'nothing of the failed run stays');
      assert.deepEqual(await migrate(pool, later), [next]);
      assert.deepEqual(await migrate(pool, later), [], 'idempotent');
      assert.ok((await columns()).includes('note'));
      assert.deepEqual((await pool.query('SELECT version FROM dh_migrations ORDER BY version')).rows.map((r) => r.version), later.map((m) => m.version));
    } finally {
      await pool.end();
    }
  });

  test('postgresql: the admission limit holds for creators on two connections at once', async () => {
    const db = await freshDatabase();
    // Two stores are two connection pools: as two API processes sharing the database.
    const [a, b] = await Promise.all([openPgTaskStore(db, { maxConnections: 8 }), openPgTaskStore(db, { maxConnections: 8 })]);
    try {
      for (let round = 0; round < 3; round++) {
        const limit = 7 + round * 5;
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).admitTask(task(round * 100 + i), limit)));
        const queued = (await a.countByStatus()).queued;
        assert.equal(queued, limit, `round ${round}: ${queued} queued with a limit of ${limit}`);
        assert.equal(results.filter(Boolean).length, 5 + (round === 0 ? 2 : 0), `round ${round}: admitted only up to the limit`);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('postgresql: two sweepers at once expire each task and file once', async () => {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([openPgTaskStore(db), openPgTaskStore(db)]);
    try {
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = await a.createTask(task(i));
        await a.startTask(t.id, 1);
        await a.finishTask(t.id, { output: { videoKey: `v${i}`, width: 2, height: 2, durationSeconds: 1, timings: {} }, avatarId: null, now: 2, expiresAt: 10 });
        await a.putFile({ key: `tasks/${t.id}/video.mp4`, tenant: 't', kind: 'video', bytes: 1, contentType: 'video/mp4', createdAt: 2, expiresAt: 10, taskId: t.id });
        ids.push(t.id);
      }
      const [ta, tb, fa, fb] = await Promise.all([a.expireTasks(10), b.expireTasks(10), a.expireFiles(10), b.expireFiles(10)]);
      assert.deepEqual([...ta, ...tb].map((t) => t.id).sort((x, y) => x - y), ids);
      assert.equal(new Set([...fa, ...fb].map((f) => f.key)).size, 30);
      assert.equal(fa.length + fb.length, 30);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('postgresql: bad settings fail at start with an error naming DH_DATABASE_URL', async () => {
    const config = (databaseUrl: string) => loadConfig({ '--database-url': databaseUrl, '--data-dir': tempDir() }, {});
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    const refused = new URL(url);
    refused.port = String(await closedPort());
    const missing = new URL(url);
    missing.pathname = '/dh_no_such_database';
    for (const [u, reason] of [[wrong, /password authentication failed/], [refused, /connection refused/], [missing, /does not exist/]] as const) {
      const err = await openTaskStore(config(u.toString())).then((s: TaskStore) => s.close().then(() => null), (e: unknown) => e);
      assert.ok(err instanceof DhError, `${u.port}${u.pathname}: ${String(err)}`);
      assert.equal(err.id, 'BACKEND_UNAVAILABLE');
      assert.match(err.message, /^DH_DATABASE_URL: PostgreSQL at postgres:\/\//);
      assert.match(err.message, reason);
      assert.ok(!err.message.includes('not-the-password') && !err.message.includes(new URL(url).password), 'no password in the message');
    }
    assert.throws(() => config('mysql://x@127.0.0.1/db'), /databaseUrl: DH_DATABASE_URL is not a postgres URL/);
  });

  test('postgresql: the store follows DH_DATABASE_URL and answers pings', async () => {
    const s = await openTaskStore(loadConfig({ '--database-url': await freshDatabase(), '--data-dir': tempDir() }, {}));
    assert.equal(s.backend, 'postgresql');
    await s.ping();
    await s.close();
    await assert.rejects(s.ping(), 'a closed store does not answer');
  });
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
