// `npm run bench`, scale-out part: the service split as in production (README, "Scaling out"):
// one `dh serve` with DH_WORKERS=0 and N `dh worker` processes on PostgreSQL, Redis and S3.
//   1. A long video (BENCH_SCALE_SECONDS, default 120 s) rendered in segments
//      (DH_SEGMENT_SECONDS, default 24) by one worker process, then by two; the reference is the
//      same video rendered in one piece by one worker, in the same run.
//   2. Tasks per minute: BENCH_SCALE_TASKS (default 8) short tasks (BENCH_SCALE_TASK_SECONDS,
//      default 4 s, each in one piece) created at once, with one worker process, then two.
// Wall times are from create to `succeeded` as the API reports it (polled every 250 ms).
// The servers come from scripts/test-servers.mjs: run alone, this script starts them itself
// (re-running itself under it); where they cannot be installed or started, it says so and skips.
// Figures only, no pass/fail. Every process listens on 127.0.0.1; every wait is bounded.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const API = '/api/2dvh/v1';
const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const LONG_SECONDS = num('BENCH_SCALE_SECONDS', 120);
const SEGMENT_SECONDS = num('BENCH_SCALE_SEGMENT_SECONDS', 24);
const TASKS = num('BENCH_SCALE_TASKS', 8);
const TASK_SECONDS = num('BENCH_SCALE_TASK_SECONDS', 4);
const NEEDED = ['DH_TEST_DATABASE_URL', 'DH_TEST_REDIS_URL', 'DH_TEST_S3_ENDPOINT'];

if (NEEDED.some((v) => !process.env[v])) {
  if (process.env.DH_BENCH_SCALE_INNER) {
    const missing = NEEDED.filter((v) => !process.env[v]).join(', ');
    console.log(`scale-out bench skipped: ${missing} not set (PostgreSQL, Redis or the S3 server could not be installed or started here; see the lines from test-servers above)`);
    process.exit(0);
  }
  // Start the servers for this run and come back under them.
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'test-servers.mjs'), '--', process.execPath, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, DH_BENCH_SCALE_INNER: '1' } });
  process.exit(r.status ?? 1);
}

interface Proc { readonly child: ChildProcess; readonly out: string[] }
const procs: Proc[] = [];
process.on('exit', () => { for (const p of procs) p.child.kill('SIGKILL'); });

function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const out: string[] = [];
  const p = { child, out };
  procs.push(p);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start in 120 s: ${out.join('')}`)), 120_000);
    const seen = (d: Buffer) => { out.push(d.toString()); if (ready.test(out.join(''))) { clearTimeout(timer); resolve(p); } };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${args[0]} exited with ${code}: ${out.join('')}`)); });
  });
}

/** SIGTERM drains a worker (nothing is rendering when this is called); waits for it to exit. */
async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 60_000);
  await gone;
  clearTimeout(timer);
}

async function freshDatabase(url: string): Promise<string> {
  const { default: pg } = await import('pg');
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  const name = `dh_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  try { await admin.query(`CREATE DATABASE ${name}`); } finally { await admin.end(); }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-bench-scale-'));
  // Real speech as long as the long video: the 65 s fixture mix looped.
  const audioFile = path.join(dir, 'speech.m4a');
  const made = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-stream_loop', String(Math.ceil(LONG_SECONDS / 65)), '-i', path.join(FIXTURES, 'audio', 'mixed-long-65s.mp3'), '-t', String(LONG_SECONDS + 1), '-c:a', 'aac', audioFile]);
  if (made.status !== 0) throw new Error(`could not make the bench audio: ${made.stderr}`);

  const redisBase = process.env.DH_TEST_REDIS_URL!.replace(/\/\d*$/, '');
  const { Redis } = await import('ioredis');
  const flush = new Redis(`${redisBase}/9`);
  await flush.flushdb();
  flush.disconnect();
  const env: Record<string, string> = {
    DH_API_KEYS: '', DH_HOST: '127.0.0.1', DH_REDIS_URL: `${redisBase}/9`, DH_DATABASE_URL: await freshDatabase(process.env.DH_TEST_DATABASE_URL!),
    DH_S3_ENDPOINT: process.env.DH_TEST_S3_ENDPOINT!, DH_S3_REGION: process.env.DH_TEST_S3_REGION ?? 'us-east-1', DH_S3_BUCKET: `dh-bench-${randomUUID().slice(0, 8)}`,
    DH_S3_ACCESS_KEY: process.env.DH_TEST_S3_ACCESS_KEY!, DH_S3_SECRET_KEY: process.env.DH_TEST_S3_SECRET_KEY!, DH_MAX_QUEUED: '1000',
  };
  const api = await start(['serve', '--port', '0'], { ...env, DH_WORKERS: '0', DH_DATA_DIR: path.join(dir, 'api') }, /^http:\/\/\S+\n/m);
  const base = api.out.join('').match(/^(http:\/\/\S+?)\/?\n/m)![1];

  const upload = async (file: string) => {
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
    return (await (await fetch(`${base}${API}/files/upload`, { method: 'POST', body: form })).json()).data.url as string;
  };
  const image = await upload(path.join(FIXTURES, 'images', 'photo-man-flag.jpg'));
  const audio = await upload(audioFile);
  const create = async (duration: number): Promise<number> => {
    const res = await (await fetch(`${base}${API}/material/single/image/video/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ videoName: 'bench', param: JSON.stringify({ imageUrl: image, audioUrl: audio, duration }) }) })).json();
    if (res.code !== 0) throw new Error(`create refused: ${JSON.stringify(res)}`);
    return res.data as number;
  };
  const detail = async (id: number) => (await (await fetch(`${base}${API}/material/single/image/video/detail?taskId=${id}`, { signal: AbortSignal.timeout(30_000) })).json()).data;
  /** Seconds from `t0` until every task succeeded (any failure stops the bench). */
  const allDone = async (ids: number[], t0: number, limitMs: number) => {
    const left = new Set(ids);
    const details = new Map<number, any>();
    const deadline = Date.now() + limitMs;
    while (left.size > 0) {
      if (Date.now() > deadline) throw new Error(`tasks ${[...left]} not finished in ${limitMs / 1000} s`);
      for (const id of [...left]) {
        const d = await detail(id);
        if (d.status === 'failed') throw new Error(`task ${id} failed: ${d.errorMessage}`);
        if (d.status === 'succeeded') { left.delete(id); details.set(id, d); }
      }
      await sleep(250);
    }
    return { seconds: (performance.now() - t0) / 1000, details };
  };
  const withWorkers = async <T>(count: number, segmentSeconds: number, run: () => Promise<T>): Promise<T> => {
    const ws: Proc[] = [];
    for (let i = 0; i < count; i++) {
      ws.push(await start(['worker'], { ...env, DH_WORKERS: '1', DH_SEGMENT_SECONDS: String(segmentSeconds), DH_PUBLIC_URL: `${base}/`, DH_DATA_DIR: path.join(dir, `worker-${i}`) }, /render worker\(s\) in process \d+/));
    }
    try { return await run(); } finally { await Promise.all(ws.map(stop)); }
  };

  const long = async (workers: number, segmentSeconds: number) => withWorkers(workers, segmentSeconds, async () => {
    const t0 = performance.now();
    const id = await create(LONG_SECONDS);
    const { seconds, details } = await allDone([id], t0, 1_800_000);
    const d = details.get(id);
    return { seconds, segments: d.render.segments as number, workers: (d.render.workers as string[]).length };
  });
  const throughput = async (workers: number) => withWorkers(workers, 0, async () => {
    const t0 = performance.now();
    const ids: number[] = [];
    for (let i = 0; i < TASKS; i++) ids.push(await create(TASK_SECONDS));
    const { seconds, details } = await allDone(ids, t0, 1_800_000);
    const by = new Set([...details.values()].flatMap((d) => d.render.workers as string[]));
    return { seconds, perMinute: (TASKS / seconds) * 60, workers: by.size };
  });

  console.log(`\nscale-out: dh serve (DH_WORKERS=0) + dh worker processes (DH_WORKERS=1 each) on PostgreSQL, Redis, S3 (loopback), ${os.availableParallelism()} cores`);
  const whole = await long(1, 0);
  console.log(`  ${LONG_SECONDS} s video, 1 worker, one piece:        ${whole.seconds.toFixed(1)} s (RTF ${(whole.seconds / LONG_SECONDS).toFixed(3)})`);
  const one = await long(1, SEGMENT_SECONDS);
  console.log(`  ${LONG_SECONDS} s video, 1 worker, ${one.segments} segments:     ${one.seconds.toFixed(1)} s (x${(one.seconds / whole.seconds).toFixed(2)} of one piece)`);
  const two = await long(2, SEGMENT_SECONDS);
  console.log(`  ${LONG_SECONDS} s video, 2 workers, ${two.segments} segments:    ${two.seconds.toFixed(1)} s (x${(two.seconds / whole.seconds).toFixed(2)} of one piece; speed-up over 1 worker in segments x${(one.seconds / two.seconds).toFixed(2)}; segments by ${two.workers} worker(s))`);
  const t1 = await throughput(1);
  console.log(`  ${TASKS} tasks of ${TASK_SECONDS} s, 1 worker:  ${t1.seconds.toFixed(1)} s, ${t1.perMinute.toFixed(1)} tasks/min`);
  const t2 = await throughput(2);
  console.log(`  ${TASKS} tasks of ${TASK_SECONDS} s, 2 workers: ${t2.seconds.toFixed(1)} s, ${t2.perMinute.toFixed(1)} tasks/min (x${(t2.perMinute / t1.perMinute).toFixed(2)} of 1 worker; rendered by ${t2.workers} worker(s))`);
  console.log(`  (both worker processes share this machine's ${os.availableParallelism()} cores: a second worker here adds no cores, only fills the time one leaves them idle; on separate machines each brings its own)`);
  await stop(api);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(() => process.exit(0), (err: Error) => { console.error(`scale-out bench failed: ${err.stack ?? err.message}`); process.exit(1); });
