// `npm run load`: the service under load, on loopback only, with figures printed like the bench.
// 1. N clients (each a request every 0.25-0.75 s: health, a task's detail, a create, in turn)
//    against `dh serve` with two render workers, while the tasks they create render: latency of
//    each endpoint (p50/p99/max), create outcomes (accepted, refused with 3401, 5xx), peak memory
//    of the service and of the service with its render processes, then every accepted task
//    waited for: videos per minute, failed and corrupt (ffprobe frame count, full decode) videos.
//    The reference, measured in the same run just before: the same clients with nothing
//    rendering (health and detail; creates would start renders).
// 2. K cycles of SIGKILL and restart of the whole service in the middle of renders: tasks lost,
//    duplicated, failed, corrupt.
// Targets (figures, not pass/fail tests): p99 < 50 ms for health and detail, < 100 ms for
// create, peak RSS <= 600 MB. Every loop is bounded in count and time; only 127.0.0.1 is used.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// LOAD_CLI: another build's CLI, to measure it against the same load (e.g. an earlier commit).
const CLI = process.env.LOAD_CLI ?? path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const API = '/api/2dvh/v1';
const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const CLIENTS = num('LOAD_CLIENTS', 50);
const SECONDS = num('LOAD_SECONDS', 20);
const IDLE_SECONDS = num('LOAD_IDLE_SECONDS', 8);
const MAX_CREATES = num('LOAD_CREATES', 120);
const KILLS = num('LOAD_KILLS', 5);
const VIDEO_SECONDS = 2;
const MAX_QUEUED = 40;
const TARGETS = { healthz: 50, detail: 50, create: 100, rssMb: 600 };

interface Service { child: ChildProcess; base: string }

/** A port free now, so a restarted service answers where the first one did (its file URLs stay valid). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function serve(dataDir: string, port = 0): Promise<Service> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DH_API_KEYS: '', DH_HOST: '127.0.0.1', DH_RENDER_WORKERS: '2', DH_MAX_QUEUED: String(MAX_QUEUED), DH_ALLOW_PRIVATE_URLS: '0' },
  });
  child.stderr!.resume();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('service did not start in 30 s')); }, 30_000);
    child.stdout!.once('data', (d: Buffer) => { clearTimeout(timer); resolve({ child, base: d.toString().trim().split('\n')[0].replace(/\/$/, '') }); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`service exited with ${code}`)); });
  });
}

async function call(base: string, method: string, p: string, body?: unknown): Promise<{ status: number; json: any; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(base + p, {
    method, signal: AbortSignal.timeout(30_000),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, ms };
}

async function upload(base: string, file: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(fs.readFileSync(file))]), path.basename(file));
  const res = await fetch(`${base}${API}/files/upload`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
  const j = await res.json() as { code: number; data: { url: string } };
  if (j.code !== 0) throw new Error(`upload failed: ${JSON.stringify(j)}`);
  return j.data.url;
}

const createBody = (image: string, audio: string, name: string) =>
  ({ videoName: name, param: JSON.stringify({ imageUrl: image, audioUrl: audio, duration: VIDEO_SECONDS }) });

interface Memory { readonly service: number; readonly renders: number; readonly encoders: number; readonly rendersRss: number }

/** Proportional set size (MB): each shared page (the node binary, libraries) split among its users. */
async function pssOf(pid: number): Promise<number | null> {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(await fsp.readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch { return null; }
}

/**
 * Memory (MB) at one moment: the service process's RSS; its render processes (with their
 * threads) and the ffmpeg encoders they feed as proportional set sizes, which add up across
 * processes without counting the node binary and libraries they share once per process (their
 * plain RSS sum is kept too, for comparison).
 */
async function memoryOf(pid: number): Promise<Memory> {
  const procs = new Map<number, { parent: number; mb: number; comm: string }>();
  for (const name of await fsp.readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await fsp.readFile(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { parent: Number(fields[1]), mb: Number(fields[21]) * 4096 / 1048576, comm });
    } catch { /* the process ended meanwhile */ }
  }
  const m = { service: procs.get(pid)?.mb ?? 0, renders: 0, encoders: 0, rendersRss: 0 };
  for (const [p, info] of procs) {
    if (p === pid) continue;
    let q = info.parent, n = 0;
    while (q > 1 && q !== pid && n++ < 16) q = procs.get(q)?.parent ?? 0;
    if (q !== pid) continue;
    const pss = (await pssOf(p)) ?? info.mb;
    if (info.comm === 'ffmpeg') m.encoders += pss;
    else { m.renders += pss; m.rendersRss += info.mb; }
  }
  return m;
}

const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until every task is finished (or `ms` passes); answers the final details. */
async function settle(base: string, ids: readonly number[], ms: number): Promise<Map<number, any>> {
  const deadline = Date.now() + ms;
  const final = new Map<number, any>();
  while (final.size < ids.length && Date.now() < deadline) {
    for (const id of ids) {
      if (final.has(id)) continue;
      const d = await call(base, 'GET', `${API}/material/single/image/video/detail?taskId=${id}`);
      if (d.json?.data && ['succeeded', 'failed', 'expired'].includes(d.json.data.status)) final.set(id, d.json.data);
    }
    if (final.size < ids.length) await sleep(500);
  }
  return final;
}

/** A video is whole when ffprobe counts the frames its duration needs and every frame decodes. */
async function corrupt(task: any, dir: string): Promise<boolean> {
  const file = path.join(dir, `v${task.taskId}.mp4`);
  const res = await fetch(task.videoUrl, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) return true;
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  fs.rmSync(file, { force: true });
  return probe.status !== 0 || Number(probe.stdout.trim()) !== Math.round(task.duration * 25) || decode.status !== 0 || decode.stderr.trim() !== '';
}

async function loadPhase(work: string) {
  const dataDir = path.join(work, 'load');
  const svc = await serve(dataDir);
  try {
    const image = await upload(svc.base, path.join(FIXTURES, 'images', 'photo-man-flag.jpg'));
    const audio = await upload(svc.base, path.join(FIXTURES, 'audio', 'en-speech-1.wav'));
    const lat: Record<'healthz' | 'detail' | 'create', number[]> = { healthz: [], detail: [], create: [] };
    const idle: Record<'healthz' | 'detail' | 'create', number[]> = { healthz: [], detail: [], create: [] };
    const outcome = { accepted: 0, refused: 0, server: 0, other: 0 };
    const ids: number[] = [];
    let creates = 0;
    const peak = { service: 0, withRenders: 0, withRendersRss: 0, all: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const m = await memoryOf(svc.child.pid!);
        peak.service = Math.max(peak.service, m.service);
        peak.withRenders = Math.max(peak.withRenders, m.service + m.renders);
        peak.withRendersRss = Math.max(peak.withRendersRss, m.service + m.rendersRss);
        peak.all = Math.max(peak.all, m.service + m.renders + m.encoders);
        await sleep(250);
      }
    })();
    type Latencies = Record<'healthz' | 'detail' | 'create', number[]>;
    /** CLIENTS clients for `seconds`, each a request every 0.25-0.75 s, creating only while `creating`. */
    const drive = async (seconds: number, into: Latencies, creating: boolean) => {
      const deadline = Date.now() + seconds * 1000;
      const client = async (c: number) => {
        for (let step = c % 3; Date.now() < deadline && step < 10_000; step++) {
          await sleep(250 + Math.random() * 500);
          const kind = (['healthz', 'detail', 'create'] as const)[step % 3];
          if (kind === 'healthz') into.healthz.push((await call(svc.base, 'GET', '/healthz')).ms);
          else if (kind === 'detail') {
            if (ids.length === 0) continue;
            into.detail.push((await call(svc.base, 'GET', `${API}/material/single/image/video/detail?taskId=${ids[Math.floor(Math.random() * ids.length)]}`)).ms);
          } else {
            if (!creating || creates >= MAX_CREATES) continue;
            creates++;
            const r = await call(svc.base, 'POST', `${API}/material/single/image/video/create`, createBody(image, audio, `load-${c}-${step}`));
            into.create.push(r.ms);
            if (r.json?.code === 0) { outcome.accepted++; ids.push(r.json.data); }
            else if (r.json?.code === 3401) outcome.refused++;
            else if (r.status >= 500) outcome.server++;
            else outcome.other++;
          }
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    };
    // The reference, in the same run: the same clients while nothing renders (one finished task
    // to read the detail of).
    const first = await call(svc.base, 'POST', `${API}/material/single/image/video/create`, createBody(image, audio, 'reference'));
    ids.push(first.json.data);
    outcome.accepted++;
    await settle(svc.base, ids, 60_000);
    await drive(IDLE_SECONDS, idle, false);
    const started = Date.now();
    await drive(SECONDS, lat, true);
    const loadSeconds = (Date.now() - started) / 1000;
    const final = await settle(svc.base, ids, 15 * 60_000);
    const doneSeconds = (Date.now() - started) / 1000;
    sampling = false;
    await sampler;
    const done = [...final.values()];
    const succeeded = done.filter((t) => t.status === 'succeeded');
    let broken = 0;
    for (const t of succeeded) if (await corrupt(t, work)) broken++;
    return {
      lat, idle, outcome, loadSeconds, doneSeconds, peak,
      videos: { succeeded: succeeded.length, failed: done.filter((t) => t.status === 'failed').length, unfinished: ids.length - final.size, corrupt: broken },
    };
  } finally {
    svc.child.kill('SIGKILL');
  }
}

async function killPhase(work: string) {
  const dataDir = path.join(work, 'kills');
  const port = await freePort();
  let svc = await serve(dataDir, port);
  const children = [svc.child];
  try {
    const image = await upload(svc.base, path.join(FIXTURES, 'images', 'photo-woman-smiling.png'));
    const audio = await upload(svc.base, path.join(FIXTURES, 'audio', 'zh-bus.wav'));
    const ids: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      for (let i = 0; i < 2; i++) {
        const r = await call(svc.base, 'POST', `${API}/material/single/image/video/create`, createBody(image, audio, `kill-${k}-${i}`));
        if (r.json?.code === 0) ids.push(r.json.data);
      }
      // Somewhere in a render: model loading, frames, encoding or storing the result.
      await sleep(800 + Math.random() * 2500);
      svc.child.kill('SIGKILL');
      await new Promise((r) => svc.child.once('exit', r));
      svc = await serve(dataDir, port);
      children.push(svc.child);
    }
    const final = await settle(svc.base, ids, 10 * 60_000);
    const list = await call(svc.base, 'GET', `${API}/material/single/image/video/list?pageSize=100`);
    const listed = (list.json?.data?.items ?? []) as any[];
    const done = [...final.values()];
    let broken = 0;
    for (const t of done.filter((x) => x.status === 'succeeded')) if (await corrupt(t, work)) broken++;
    return {
      tasks: ids.length,
      lost: ids.length - final.size + ids.filter((id) => !listed.some((t) => t.taskId === id)).length,
      duplicated: listed.length - new Set(listed.map((t) => t.taskId)).size + listed.filter((t) => !ids.includes(t.taskId)).length,
      failed: done.filter((t) => t.status === 'failed').length,
      corrupt: broken,
      maxAttempts: Math.max(0, ...done.map((t) => t.attempts)),
    };
  } finally {
    for (const c of children) c.kill('SIGKILL');
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-load-'));
try {
  const load = await loadPhase(work);
  const kills = await killPhase(work);
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
  console.log(`load: ${CLIENTS} clients on 127.0.0.1 (each a request every 0.25-0.75 s) for ${SECONDS} s, 2 render workers, ${os.cpus().length} cores, ${VIDEO_SECONDS} s videos`);
  console.log(`${'endpoint'.padEnd(10)}${pad('requests', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('target p99', 12)}${pad('idle p99', 10)}${pad('x idle', 8)}`);
  for (const k of ['healthz', 'detail', 'create'] as const) {
    const xs = load.lat[k], p99 = quantile(xs, 0.99), ref = quantile(load.idle[k], 0.99);
    console.log(`${k.padEnd(10)}${pad(xs.length, 9)}${pad(f(quantile(xs, 0.5)), 9)}${pad(f(p99), 9)}${pad(f(Math.max(...xs)), 9)}${pad(`< ${TARGETS[k]}`, 12)}${pad(f(ref), 10)}${pad(f(p99 / ref), 8)}`);
  }
  console.log(`idle = the same clients for ${IDLE_SECONDS} s before, with nothing rendering and no creates (measured in this run)`);
  const o = load.outcome;
  console.log(`creates: ${o.accepted} accepted, ${o.refused} refused with 3401 (queue limit ${MAX_QUEUED}), ${o.server} 5xx, ${o.other} other errors`);
  const v = load.videos;
  console.log(`videos: ${v.succeeded} succeeded, ${v.failed} failed, ${v.unfinished} unfinished, ${v.corrupt} corrupt; all done ${f(load.doneSeconds)} s after the first request -> ${f(v.succeeded / (load.doneSeconds / 60))} videos/minute`);
  console.log(`peak memory: service ${load.peak.service.toFixed(0)} MB (RSS); with its render processes ${load.peak.withRenders.toFixed(0)} MB (target <= ${TARGETS.rssMb}; render processes as PSS, ${load.peak.withRendersRss.toFixed(0)} MB as a plain RSS sum); with the ffmpeg encoders too ${load.peak.all.toFixed(0)} MB`);
  console.log(`SIGKILL and restart of the whole service mid-render, ${KILLS} times: ${kills.tasks} tasks, ${kills.lost} lost, ${kills.duplicated} duplicated, ${kills.failed} failed, ${kills.corrupt} corrupt (most starts of one task: ${kills.maxAttempts})`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
