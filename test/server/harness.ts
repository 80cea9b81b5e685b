// Test harness for the service: an in-process service on loopback with a temporary data folder,
// a loopback media server for input URLs, and bounded request/poll helpers.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../src/core/config.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import type { AppOverrides } from '../../src/server/app.js';
import { fixtureAudio, fixtureImage, tempDir } from '../helpers.js';

export const API = '/api/2dvh/v1';
export const CREATE = `${API}/material/single/image/video/create`;
export const DETAIL = `${API}/material/single/image/video/detail`;

export interface Harness {
  readonly base: string;
  readonly server: RunningServer;
  readonly dataDir: string;
  request(method: string, p: string, opts?: { json?: unknown; body?: string | Buffer; headers?: Record<string, string>; key?: string }): Promise<{ status: number; headers: Headers; json: any; bytes: Buffer }>;
  create(param: Record<string, unknown>, opts?: { key?: string; videoName?: string; thumbnailUrl?: string }): Promise<{ code: number; message: string; data: any }>;
  waitFor(taskId: number, done: (t: any) => boolean, opts?: { key?: string; timeoutMs?: number }): Promise<any>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}, overrides: AppOverrides = {}, dataDir = tempDir('dh-svc-')): Promise<Harness> {
  const config = loadConfig({}, { DH_PORT: '0', DH_HOST: '127.0.0.1', DH_DATA_DIR: dataDir, DH_ALLOW_PRIVATE_URLS: '1', ...env });
  const server = await startServer(config, { log: () => {}, ...overrides });
  const base = server.url.replace(/\/$/, '');
  const h: Harness = {
    base, server, dataDir,
    async request(method, p, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      let body: string | Buffer | undefined = opts.body;
      if (opts.json !== undefined) { body = JSON.stringify(opts.json); headers['content-type'] ??= 'application/json'; }
      if (opts.key) headers.authorization = `Bearer ${opts.key}`;
      const res = await fetch(p.startsWith('http') ? p : base + p, { method, headers, body: body as BodyInit | undefined, signal: AbortSignal.timeout(30_000) });
      const bytes = Buffer.from(await res.arrayBuffer());
      let json: unknown = null;
      try { json = JSON.parse(bytes.toString()); } catch { /* not JSON */ }
      return { status: res.status, headers: res.headers, json, bytes };
    },
    async create(param, opts = {}) {
      const r = await h.request('POST', CREATE, { key: opts.key, json: { videoName: opts.videoName ?? 'test', thumbnailUrl: opts.thumbnailUrl, param: JSON.stringify(param) } });
      return r.json;
    },
    async waitFor(taskId, done, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
      let last: any = null;
      while (Date.now() < deadline) {
        last = (await h.request('GET', `${DETAIL}?taskId=${taskId}`, { key: opts.key })).json;
        if (last?.data && done(last.data)) return last.data;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`task ${taskId} did not reach the expected state in time; last: ${JSON.stringify(last)}`);
    },
    close: () => server.close(),
  };
  return h;
}

/** Loopback server for input URLs: fixtures, non-media, redirects, 404s; records what was asked. */
export async function startMediaServer(host = '127.0.0.1'): Promise<{ base: string; hits: string[]; close(): void }> {
  const files: Record<string, string> = {
    '/photo.png': fixtureImage('photo-man-flag.jpg'), // the spec names .png; the content decides
    '/sound.mp3': fixtureAudio('zh-bus.wav'),
    '/woman.png': fixtureImage('photo-woman-smiling.png'),
  };
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const file = files[req.url ?? ''];
    if (file) { res.writeHead(200, { 'content-length': fs.statSync(file).size }); fs.createReadStream(file).pipe(res); return; }
    if (req.url === '/text.png') { res.end('this is plain text, not a picture'); return; }
    if (req.url === '/text.mp3') { res.end('<html>not audio either</html>'); return; }
    res.writeHead(404); res.end();
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return { base: `http://${host}:${port}`, hits, close: () => { server.closeAllConnections(); server.close(); } };
}

export const fixturePath = (kind: 'images' | 'audio', name: string) => path.join(kind === 'images' ? path.dirname(fixtureImage(name)) : path.dirname(fixtureAudio(name)), name);

export async function uploadFile(h: Harness, file: string | Buffer, key?: string, filename = 'upload.bin'): Promise<any> {
  const form = new FormData();
  const bytes = typeof file === 'string' ? fs.readFileSync(file) : file;
  form.append('file', new Blob([new Uint8Array(bytes)]), filename);
  const res = await fetch(`${h.base}${API}/files/upload`, { method: 'POST', body: form, headers: key ? { authorization: `Bearer ${key}` } : {}, signal: AbortSignal.timeout(30_000) });
  return res.json();
}
