// Service processes for the scale-out end-to-end tests: `dh serve` and `dh worker` started as
// child processes on the real servers (scripts/test-servers.mjs), and what they leave on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sniffMedia } from '../../src/media/sniff.js';
import { CLI } from '../helpers.js';
import { API } from './harness.js';

export interface Proc { readonly child: ChildProcess; readonly out: string[] }

/** Starts `dh <args>` and resolves once its output matches `ready`. */
export function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const out: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start in 60 s: ${out.join('')}`)), 60_000);
    const seen = (d: Buffer) => { out.push(d.toString()); if (ready.test(out.join(''))) { clearTimeout(timer); resolve({ child, out }); } };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${args[0]} exited with ${code}: ${out.join('')}`)); });
  });
}

export const exited = (p: Proc) => new Promise<number | null>((r) => { if (p.child.exitCode !== null || p.child.signalCode !== null) r(p.child.exitCode); else p.child.once('exit', (c) => r(c)); });

export interface Cluster {
  /** The API's address. */
  readonly base: string;
  /** `dh serve` first, then the workers: every process started, for the test to stop. */
  readonly procs: Proc[];
  /** Starts one more `dh worker` on the same servers. */
  worker(): Promise<Proc>;
  /** Uploads a file through the API; answers the URL a task names it by. */
  upload(file: string): Promise<string>;
}

/**
 * `dh serve` with no render workers of its own (DH_WORKERS=0) and two `dh worker` processes, all
 * on the servers `env` names. Processes go into `procs` as they start, so a test stops them even
 * when a later one fails to start.
 */
export async function startCluster(env: Record<string, string>, procs: Proc[], dirs: { api: string; worker: () => string }): Promise<Cluster> {
  const api = await start(['serve', '--port', '0'], { ...env, DH_WORKERS: '0', DH_DATA_DIR: dirs.api }, /^http:\/\/\S+\n/m);
  procs.push(api);
  const base = api.out.join('').match(/^(http:\/\/\S+?)\/?\n/m)![1];
  const worker = async () => {
    const p = await start(['worker'], { ...env, DH_WORKERS: '1', DH_PUBLIC_URL: `${base}/`, DH_DATA_DIR: dirs.worker() }, /render worker\(s\) in process \d+/);
    procs.push(p);
    return p;
  };
  const upload = async (file: string) => {
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(file)]), 'f');
    return (await (await fetch(`${base}${API}/files/upload`, { method: 'POST', body: form })).json()).data.url as string;
  };
  await worker();
  await worker();
  return { base, procs, worker, upload };
}

/** The end of each process's output, for a failed test's message: what the services said. */
export function tails(procs: readonly Proc[], chars = 3000): string {
  return procs.map((p, i) => `--- process ${i} (pid ${p.child.pid}) ---\n${p.out.join('').slice(-chars)}`).join('\n');
}

/** A database of its own on the test server, so no other test's unfinished tasks are recovered into this run. */
export async function freshDatabase(url: string): Promise<string> {
  const { default: pg } = await import('pg');
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  const name = `dh_scale_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  try { await admin.query(`CREATE DATABASE ${name}`); } finally { await admin.end(); }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Every file under `dir` whose bytes are an image, audio or video (by content, as uploads are judged). */
export function mediaFiles(dir: string, skip: (p: string) => boolean = () => false): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (skip(p)) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const head = Buffer.alloc(16);
        const fd = fs.openSync(p, 'r');
        fs.readSync(fd, head, 0, 16, 0);
        fs.closeSync(fd);
        if (sniffMedia(head) || head.subarray(4, 8).toString() === 'ftyp') found.push(p);
      }
    }
  };
  walk(dir);
  return found;
}

/** Polls `get` every 200 ms until `ok`, for at most `ms`. */
export async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await get();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last ${JSON.stringify(last)}`);
}

/** Render processes that process `servicePid` started (they run render-process.js under `nice`), read from /proc. */
export function renderProcesses(servicePid: number): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === servicePid && fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('render-process.js')) found.push(Number(name));
    } catch { /* ended meanwhile */ }
  }
  return found;
}
