// End to end with the real servers (scripts/test-servers.mjs): one `dh serve` with DH_WORKERS=0
// and two `dh worker` processes sharing PostgreSQL, Redis (BullMQ) and S3 (without the PostgreSQL
// server, the SQLite file in one shared data folder). Tasks complete;
// a worker killed with SIGKILL mid-render loses its task to the other worker within the lock time
// and, restarted, takes work again; a worker sent SIGTERM finishes its render and exits; the
// API's data folder holds no media file; downloads are proxied from S3 with Range.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { fixtureAudio, fixtureImage, tempDir } from '../helpers.js';
import { testServer } from '../servers.js';
import { CREATE, DETAIL } from './harness.js';
import { exited, freshDatabase, mediaFiles, startCluster, until, type Proc } from './processes.js';

const redisUrl = testServer('DH_TEST_REDIS_URL', 'scale-out end to end (Redis)');
const s3 = testServer('DH_TEST_S3_ENDPOINT', 'scale-out end to end (S3)');
/** The PostgreSQL store when its server is up; without it, the SQLite file in a folder all the processes share. */
const pgUrl = process.env.DH_TEST_DATABASE_URL;

const LOCK_SECONDS = 5;

if (redisUrl && s3) {
  test('scale-out: dh serve (DH_WORKERS=0) and two dh worker processes on Redis and S3 complete every task through a SIGKILL and a SIGTERM', { timeout: 600_000 }, async () => {
    // A database of its own on the test Redis, emptied, so no earlier run's jobs interfere.
    const queueUrl = `${redisUrl.replace(/\/\d*$/, '')}/5`;
    const flush = new Redis(queueUrl);
    await flush.flushdb();
    flush.disconnect();
    const databaseUrl = pgUrl ? await freshDatabase(pgUrl) : undefined;
    process.stderr.write(`scale-out: tasks in ${databaseUrl ? 'PostgreSQL' : 'SQLite in a shared folder (DH_TEST_DATABASE_URL unset)'}\n`);
    const shared = databaseUrl ? null : tempDir('dh-scale-shared-');
    const apiDir = shared ?? tempDir('dh-scale-api-');
    const env = {
      DH_API_KEYS: '', DH_REDIS_URL: queueUrl, DH_LOCK_SECONDS: String(LOCK_SECONDS),
      DH_S3_ENDPOINT: s3, DH_S3_REGION: process.env.DH_TEST_S3_REGION ?? 'us-east-1', DH_S3_BUCKET: `dh-e2e-${randomUUID().slice(0, 8)}`,
      DH_S3_ACCESS_KEY: process.env.DH_TEST_S3_ACCESS_KEY!, DH_S3_SECRET_KEY: process.env.DH_TEST_S3_SECRET_KEY!,
      ...(databaseUrl ? { DH_DATABASE_URL: databaseUrl } : {}),
    };
    const procs: Proc[] = [];
    try {
      const { base, worker, upload } = await startCluster(env, procs, { api: apiDir, worker: () => shared ?? tempDir('dh-scale-worker-') });
      assert.match(procs[0].out.join(''), /media in S3 bucket dh-e2e-.*queue on Redis .*no render workers here \(DH_WORKERS=0\)/s);
      const pidOf = (p: Proc) => p.child.pid!;
      const workers = procs.slice(1);

      const image = await upload(fixtureImage('photo-man-flag.jpg'));
      const audio = await upload(fixtureAudio('en-speech-1.wav'));
      const create = async (name: string, duration: number) => {
        const res = await fetch(`${base}${CREATE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ videoName: name, param: JSON.stringify({ imageUrl: image, audioUrl: audio, duration }) }) });
        const body = await res.json();
        assert.equal(body.code, 0, JSON.stringify(body));
        return body.data as number;
      };
      const detail = async (id: number) => (await (await fetch(`${base}${DETAIL}?taskId=${id}`, { signal: AbortSignal.timeout(10_000) })).json()).data;
      const holders = async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return [...text.matchAll(/^dh_renders_active\{worker="[^"]*:(\d+)"\} (\d+)$/gm)].map((m) => ({ pid: Number(m[1]), n: Number(m[2]) }));
      };

      // Two tasks: each worker takes one. The first is killed mid-render.
      const a = await create('a', 6);
      const b = await create('b', 4);
      const mid = await until('task a mid-render (live progress through the queue)', () => detail(a), (d) => d.status === 'processing' && d.progress > 14, 120_000);
      assert.ok(mid.progress < 100);
      const held = await until('both workers rendering', holders, (h) => h.length === 2, 60_000);
      assert.deepEqual(held.map((h) => h.pid).sort(), workers.map(pidOf).sort(), '/metrics names each worker process with its render');
      // Which worker holds task a: the one whose render is not task b's. Ask the queue directly.
      const q = new Redis(queueUrl);
      const holderOf = async (id: number) => (await q.hget(`dh:renders:task-${id}`, 'pb'))?.split(':').pop();
      const victimPid = Number(await holderOf(a));
      const victim = workers.find((w) => pidOf(w) === victimPid)!;
      assert.ok(victim, `task a is held by one of the workers (${victimPid})`);
      victim.child.kill('SIGKILL');
      const killedAt = Date.now();
      await exited(victim);
      const survivor = workers.find((w) => w !== victim)!;
      await until('task a to be taken up again', () => detail(a), (d) => d.attempts === 2, (LOCK_SECONDS * 3 + 120) * 1000);
      const backAfter = (Date.now() - killedAt) / 1000;
      process.stderr.write(`scale-out: task a was started again ${backAfter.toFixed(1)} s after its worker was killed (lock ${LOCK_SECONDS} s; includes waiting for the other worker to finish task b)\n`);
      const restarted = await worker();

      const doneA = await until('task a to finish', () => detail(a), (d) => d.status === 'succeeded' || d.status === 'failed', 240_000);
      assert.equal(doneA.status, 'succeeded', doneA.errorMessage);
      assert.equal(doneA.attempts, 2, 'killed once, finished by the next start');
      const doneB = await until('task b to finish', () => detail(b), (d) => d.status === 'succeeded' || d.status === 'failed', 240_000);
      assert.equal(doneB.status, 'succeeded', doneB.errorMessage);
      assert.equal(doneB.attempts, 1);

      // SIGTERM drains: the worker rendering task c finishes it, then exits 0.
      const c = await create('c', 4);
      await until('task c to be rendering', () => detail(c), (d) => d.status === 'processing', 120_000);
      const drainingPid = Number(await holderOf(c));
      const draining = [survivor, restarted].find((w) => pidOf(w) === drainingPid)!;
      assert.ok(draining, `task c is held by a live worker (${drainingPid})`);
      draining.child.kill('SIGTERM');
      const code = await exited(draining);
      assert.equal(code, 0, draining.out.join(''));
      const doneC = await detail(c);
      assert.equal(doneC.status, 'succeeded', `the drained worker finished its render before exiting: ${JSON.stringify(doneC)}`);
      assert.equal(doneC.attempts, 1);
      q.disconnect();

      // Results come from S3 through the API, Range included.
      const video = await fetch(doneA.videoUrl);
      assert.equal(video.status, 200);
      const bytes = Buffer.from(await video.arrayBuffer());
      assert.equal(bytes.subarray(4, 8).toString(), 'ftyp');
      const part = await fetch(doneA.videoUrl, { headers: { range: 'bytes=100-199' } });
      assert.equal(part.status, 206);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200)));

      // Nothing a task needs was on the API's disk: no image, audio or video file in its folder
      // (a shared folder's worker scratch aside).
      assert.deepEqual(mediaFiles(apiDir, (p) => p.endsWith('worker-scratch')), []);
    } finally {
      for (const p of procs) p.child.kill('SIGKILL');
    }
  });
}

if (redisUrl && s3) {
  test('scale-out: dh serve with its own workers on Redis and S3 renders; the retention sweep deletes the files from S3 and downloads answer 410', { timeout: 300_000 }, async () => {
    const { startHarness, uploadFile } = await import('./harness.js');
    const { S3Client, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const bucket = `dh-ret-${randomUUID().slice(0, 8)}`;
    const queueUrl = `${redisUrl.replace(/\/\d*$/, '')}/6`;
    const flush = new Redis(queueUrl);
    await flush.flushdb();
    flush.disconnect();
    const s3env = {
      DH_S3_ENDPOINT: s3, DH_S3_REGION: process.env.DH_TEST_S3_REGION ?? 'us-east-1', DH_S3_BUCKET: bucket,
      DH_S3_ACCESS_KEY: process.env.DH_TEST_S3_ACCESS_KEY!, DH_S3_SECRET_KEY: process.env.DH_TEST_S3_SECRET_KEY!,
    };
    const client = new S3Client({ endpoint: s3, forcePathStyle: true, region: s3env.DH_S3_REGION, credentials: { accessKeyId: s3env.DH_S3_ACCESS_KEY, secretAccessKey: s3env.DH_S3_SECRET_KEY } });
    const objects = async () => ((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!).sort();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const h = await startHarness({ ...s3env, DH_REDIS_URL: queueUrl, DH_WORKERS: '1', DH_RETENTION_DAYS: '2' }, { clock: () => now, sweepIntervalMs: 3_600_000 });
    try {
      const img = await uploadFile(h, fixtureImage('photo-woman-smiling.png'));
      const aud = await uploadFile(h, fixtureAudio('zh-poem.wav'));
      const created = await h.create({ imageUrl: img.data.url, audioUrl: aud.data.url, duration: 1 });
      const t = await h.waitFor(created.data, (d) => d.status === 'succeeded' || d.status === 'failed', { timeoutMs: 120_000 });
      assert.equal(t.status, 'succeeded', t.errorMessage);
      const keyOf = (u: string) => decodeURIComponent(new URL(u).pathname.replace('/files/', ''));
      const stored = await objects();
      for (const u of [img.data.url, aud.data.url, t.videoUrl, t.thumbnailUrl]) assert.ok(stored.includes(keyOf(u)), `${keyOf(u)} is in the bucket: ${stored}`);
      assert.deepEqual(mediaFiles(h.dataDir), [], 'no media file in the data folder');
      now += 3 * 86_400_000;
      assert.deepEqual(await h.server.app.sweep(), { files: 4, tasks: 1 });
      assert.deepEqual(await objects(), [], 'the sweep deleted every object');
      const video = await h.request('GET', t.videoUrl);
      assert.deepEqual([video.status, video.json.code], [410, 3204]);
    } finally {
      await h.close();
      client.destroy();
    }
  });
}
