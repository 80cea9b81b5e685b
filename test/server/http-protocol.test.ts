// The HTTP plumbing the service takes from libraries (fastify, @fastify/multipart on busboy,
// range-parser, etag, fresh), checked as a client sees it over loopback: oversized bodies get
// their 413 rather than a reset connection, unwanted bodies are discarded only within bounds,
// uploads cut short are refused and leave nothing behind, downloads speak Range, validators and
// HEAD, and /metrics is closed to tenants once the service has API keys.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { API, CREATE, startHarness, uploadFile, type Harness } from './harness.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

const KEY = 'protocol-key';
const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A multipart/form-data body by hand, so tests control every byte (and can cut it short). */
function multipartBody(boundary: string, file: Buffer, opts: { filename?: string; type?: string; before?: string } = {}): { head: Buffer; file: Buffer; tail: Buffer } {
  const head = Buffer.from(`${opts.before ?? ''}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${opts.filename ?? 'f.bin'}"\r\nContent-Type: ${opts.type ?? 'application/octet-stream'}\r\n\r\n`);
  return { head, file, tail: Buffer.from(`\r\n--${boundary}--\r\n`) };
}

/**
 * POSTs the whole body with node:http, one connection that the client asks to close
 * (agent: false), and reports the answer and any error the client saw.
 */
function rawPost(base: string, p: string, headers: Record<string, string>, body: Buffer): Promise<{ status?: number; json: any; error?: string }> {
  return new Promise((resolve) => {
    const u = new URL(p, base);
    let status: number | undefined;
    let text = '';
    let error: string | undefined;
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent: false, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('error', (e: NodeJS.ErrnoException) => { error ??= e.code ?? e.message; });
    });
    const timer = setTimeout(() => req.destroy(new Error('no answer within 30 s')), 30_000);
    req.on('error', (e: NodeJS.ErrnoException) => { error ??= e.code ?? e.message; });
    req.on('close', () => {
      clearTimeout(timer);
      let json: any = null;
      try { json = JSON.parse(text); } catch { /* not JSON */ }
      resolve({ status, json, error });
    });
    req.end(body);
  });
}

/** A raw TCP client: what it received, and whether the server closed the connection. */
function rawSocket(base: string): { sock: net.Socket; received: () => string; closed: () => boolean; whenClosed: (ms: number) => Promise<boolean> } {
  const u = new URL(base);
  const sock = net.connect(Number(u.port), u.hostname);
  let data = '';
  let closed = false;
  sock.on('data', (c: Buffer) => { data += c.toString('latin1'); });
  sock.on('error', () => { /* a reset is one of the outcomes under test */ });
  const whenClosed = new Promise<void>((resolve) => sock.once('close', () => { closed = true; resolve(); }));
  return {
    sock, received: () => data, closed: () => closed,
    whenClosed: async (ms) => {
      await Promise.race([whenClosed, sleep(ms)]);
      return closed;
    },
  };
}

const listDir = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String) : []);
const uploadTemps = (h: Harness) => listDir(path.join(h.dataDir, 'work')).filter((f) => f.startsWith('upload-'));
const storedUploads = (h: Harness) => listDir(path.join(h.dataDir, 'media')).filter((f) => f.includes('uploads') && /\.\w+$/.test(f));
function fileRecords(h: Harness): number {
  const db = new Database(path.join(h.dataDir, 'tasks.db'));
  try { return (db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n; } finally { db.close(); }
}

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('request bodies', { timeout: 180_000 }, () => {
  let h: Harness;
  let small: Harness;
  before(async () => {
    h = await startHarness({ DH_API_KEYS: KEY, DH_MAX_UPLOAD_MB: '1' });
    // Discarding bounds small enough to cross in a test.
    small = await startHarness({ DH_API_KEYS: KEY }, { drain: { bytes: 2 * MiB, ms: 1500 } });
  });
  after(async () => { await h.close(); await small.close(); });

  const json20 = Buffer.concat([Buffer.from('{"videoName":"'), Buffer.alloc(20 * MiB, 'a'), Buffer.from('"}')]);
  const boundary = 'dhProtocolBoundary';
  const parts20 = multipartBody(boundary, Buffer.alloc(20 * MiB, 1));
  const upload20 = Buffer.concat([parts20.head, parts20.file, parts20.tail]);
  const endpoints: [string, string, Buffer, RegExp][] = [
    [CREATE, 'application/json', json20, /larger than 262144 bytes/],
    [`${API}/material/single/image/video/delete`, 'application/json', json20, /larger than 262144 bytes/],
    [`${API}/avatar/delete`, 'application/json', json20, /larger than 262144 bytes/],
    [`${API}/voice/synthesize`, 'application/json', json20, /larger than 262144 bytes/],
    [`${API}/face/detect`, 'application/json', json20, /larger than 262144 bytes/],
    [`${API}/files/upload`, `multipart/form-data; boundary=${boundary}`, upload20, /larger than 1048576 bytes/],
  ];

  test('a 20 MiB body gets 413 BODY_TOO_LARGE naming the limit, over fetch and over node:http writing all of it', async () => {
    for (const [p, type, body, limit] of endpoints) {
      const r = await fetch(h.base + p, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${KEY}` }, body: body as unknown as BodyInit, signal: AbortSignal.timeout(30_000) });
      const json = await r.json();
      assert.deepEqual([r.status, json.code, json.data], [413, 3003, null], `fetch ${p}: ${JSON.stringify(json)}`);
      assert.match(json.message, limit, p);
      const raw = await rawPost(h.base, p, { 'content-type': type, authorization: `Bearer ${KEY}` }, body);
      assert.equal(raw.error, undefined, `node:http ${p}: the client saw ${raw.error}`);
      assert.deepEqual([raw.status, raw.json?.code], [413, 3003], `node:http ${p}`);
      assert.match(raw.json.message, limit, p);
    }
    assert.equal((await h.request('GET', '/healthz')).status, 200);
  });

  test('an unauthenticated 20 MiB body is answered 401 (before it is read), and the answer arrives', async () => {
    const raw = await rawPost(h.base, CREATE, { 'content-type': 'application/json' }, json20);
    assert.equal(raw.error, undefined, `the client saw ${raw.error}`);
    assert.deepEqual([raw.status, raw.json?.code], [401, 3101]);
  });

  test('discarding is bounded: past the byte cap the service answers and closes, however much the client sends', async () => {
    const c = rawSocket(small.base);
    await once(c.sock, 'connect');
    c.sock.write(`POST ${CREATE} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${1024 * MiB}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const deadline = Date.now() + 20_000;
    // Bounded: at most 256 MiB or 20 s, well past the 2 MiB cap.
    while (!c.closed() && sent < 256 * MiB && Date.now() < deadline) {
      sent += chunk.length;
      if (!c.sock.write(chunk)) await Promise.race([once(c.sock, 'drain').catch(() => {}), c.whenClosed(1000)]);
    }
    assert.ok(await c.whenClosed(5000), `still open after ${sent} bytes`);
    // What the kernels buffer on both sides comes on top of the cap.
    assert.ok(sent < 64 * MiB, `the service read ${sent} bytes`);
    assert.match(c.received(), /^HTTP\/1\.1 413 /);
  });

  test('discarding is bounded in time: a client that stalls mid-body gets its answer and the connection closes', async () => {
    const c = rawSocket(small.base);
    await once(c.sock, 'connect');
    c.sock.write(`POST ${CREATE} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${10 * MiB}\r\n\r\n`);
    c.sock.write(Buffer.alloc(1024, 0x20));
    const started = Date.now();
    assert.ok(await c.whenClosed(8000), 'the service kept the stalled connection open');
    assert.ok(Date.now() - started < 8000);
    assert.match(c.received(), /^HTTP\/1\.1 413 /);
    assert.match(c.received(), /"code":3003/);
  });

  test('a body sent to a path with no endpoint is not read: 404 ROUTE_NOT_FOUND, whatever it holds', async () => {
    const r = await h.request('POST', `${API}/nope`, { key: KEY, body: '{not json', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([r.status, r.json.code], [404, 3005]);
    const big = await rawPost(h.base, `${API}/nope`, { 'content-type': 'application/json' }, json20);
    assert.deepEqual([big.error, big.status, big.json?.code], [undefined, 404, 3005]);
  });

  test('JSON bodies: parse errors name the problem, __proto__ keys are refused, no body at all is a 415', async () => {
    const bad = await h.request('POST', CREATE, { key: KEY, body: '{"videoName":', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([bad.status, bad.json.code], [400, 3001]);
    assert.match(bad.json.message, /^the request body is not a JSON object \(.+\)/);
    const proto = await h.request('POST', CREATE, { key: KEY, body: '{"__proto__":{"videoName":"x"},"param":"{}"}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([proto.status, proto.json.code], [400, 3001]);
    const none = await h.request('POST', CREATE, { key: KEY });
    assert.deepEqual([none.status, none.json.code], [415, 3004]);
    assert.match(none.json.message, /Content-Type "\(none\)"/);
    const empty = await h.request('POST', CREATE, { key: KEY, body: '', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([empty.status, empty.json.code], [400, 3001]);
  });
});

describe('multipart uploads', { timeout: 120_000 }, () => {
  let h: Harness;
  before(async () => { h = await startHarness({ DH_API_KEYS: KEY }); });
  after(() => h.close());

  const wav = () => fs.readFileSync(fixtureAudio('zh-poem.wav'));
  const headers = (boundary: string, extra: string) => `POST ${API}/files/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n${extra}\r\n`;

  test('an upload whose body ends without its closing boundary (and the file\'s last 200 bytes) is refused with 400, nothing stored', async () => {
    const records = fileRecords(h);
    const { head, file } = multipartBody('cutShort', wav());
    const body = Buffer.concat([head, file.subarray(0, file.length - 200)]);
    const c = rawSocket(h.base);
    await once(c.sock, 'connect');
    // Chunked: the HTTP message itself ends properly, only the multipart body inside is cut short.
    c.sock.write(headers('cutShort', 'Transfer-Encoding: chunked\r\nConnection: close\r\n'));
    c.sock.write(`${body.length.toString(16)}\r\n`);
    c.sock.write(body);
    c.sock.write('\r\n0\r\n\r\n');
    assert.ok(await c.whenClosed(10_000), 'no answer');
    const answer = c.received();
    assert.match(answer, /^HTTP\/1\.1 400 /);
    const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    assert.equal(json.code, 1000);
    assert.match(json.message, /^multipart body: is cut short or malformed/);
    assert.deepEqual([uploadTemps(h), storedUploads(h), fileRecords(h)], [[], [], records]);
  });

  test('an upload whose client closes the connection before the end leaves no file, record or temp file', async () => {
    const records = fileRecords(h);
    const { head, file, tail } = multipartBody('gone', Buffer.concat([wav(), Buffer.alloc(2 * MiB)]));
    const c = rawSocket(h.base);
    await once(c.sock, 'connect');
    c.sock.write(headers('gone', `Content-Length: ${head.length + file.length + tail.length}\r\n`));
    c.sock.write(head);
    c.sock.write(file.subarray(0, file.length - 200));
    // The service is streaming it to disk before the client gives up.
    await until('the upload to reach the scratch folder', () => uploadTemps(h).length > 0, 10_000);
    c.sock.end();
    await until('the temp file to go', () => uploadTemps(h).length === 0, 10_000);
    await sleep(200);
    assert.deepEqual([uploadTemps(h), storedUploads(h), fileRecords(h)], [[], [], records]);
    assert.equal((await h.request('GET', '/healthz')).status, 200);
  });

  test('an upload is streamed to disk as it arrives, not gathered in memory first', async () => {
    const big = Buffer.concat([wav(), Buffer.alloc(24 * MiB, 7)]);
    const { head, file, tail } = multipartBody('stream', big);
    const c = rawSocket(h.base);
    await once(c.sock, 'connect');
    c.sock.write(headers('stream', `Content-Length: ${head.length + file.length + tail.length}\r\nConnection: close\r\n`));
    c.sock.write(head);
    c.sock.write(file.subarray(0, 12 * MiB));
    const onDisk = () => uploadTemps(h).reduce((n, f) => n + fs.statSync(path.join(h.dataDir, 'work', f)).size, 0);
    // Half the file is on disk while the other half has not been sent yet.
    await until('8 MiB of the upload on disk', () => onDisk() >= 8 * MiB, 15_000);
    c.sock.write(file.subarray(12 * MiB));
    c.sock.write(tail);
    assert.ok(await c.whenClosed(30_000), 'no answer');
    const answer = c.received();
    const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    assert.equal(json.code, 0, answer.slice(0, 300));
    assert.deepEqual([json.data.kind, json.data.bytes], ['audio', big.length]);
    const back = await h.request('GET', json.data.url);
    assert.ok(back.bytes.equals(big), 'the stored bytes are the uploaded ones');
  });

  test('the file part arrives intact when every delimiter is split across 7-byte writes; its type comes from its content', async () => {
    const content = Buffer.concat([fs.readFileSync(fixtureImage('cartoon-alpaca.jpg')), Buffer.from('\r\n--notquite\r\n')]);
    const boundary = '----dhBoundary7MA4YWxk';
    const { head, file, tail } = multipartBody(boundary, content, { filename: 'a.txt', type: 'text/plain', before: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n` });
    const body = Buffer.concat([head, file, tail]);
    const answer = await new Promise<any>((resolve, reject) => {
      const u = new URL(h.base);
      const req = http.request({ host: u.hostname, port: u.port, path: `${API}/files/upload`, method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) } }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve(JSON.parse(text)));
      });
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      for (let i = 0; i < body.length; i += 7) req.write(body.subarray(i, i + 7));
      req.end();
    });
    assert.equal(answer.code, 0, JSON.stringify(answer));
    assert.deepEqual([answer.data.kind, answer.data.bytes], ['image', content.length]);
    assert.match(answer.data.url, /\.jpg\?sig=/);
    assert.ok((await h.request('GET', answer.data.url)).bytes.equals(content));
  });

  test('size limits: an image over 30 MiB is 413 SOURCE_TOO_LARGE; a request without a boundary is 415', async () => {
    const jpeg = Buffer.concat([fs.readFileSync(fixtureImage('cartoon-alpaca.jpg')), Buffer.alloc(31 * MiB)]);
    const r = await uploadFile(h, jpeg, KEY, 'big.jpg');
    assert.deepEqual([r.code, r.data], [1402, null]);
    assert.match(r.message, /larger than 31457280 bytes/);
    const noBoundary = await h.request('POST', `${API}/files/upload`, { key: KEY, body: 'x', headers: { 'content-type': 'multipart/form-data' } });
    assert.deepEqual([noBoundary.status, noBoundary.json.code], [415, 3004]);
    assert.deepEqual(uploadTemps(h), []);
  });
});

describe('downloads', { timeout: 60_000 }, () => {
  let h: Harness;
  let url = '';
  const whole = fs.readFileSync(fixtureAudio('zh-poem.wav'));
  const size = whole.length;
  before(async () => {
    h = await startHarness({ DH_API_KEYS: KEY });
    url = (await uploadFile(h, whole, KEY)).data.url;
  });
  after(() => h.close());

  test('Range: 206 with Content-Range, suffix and open ranges, 416 with bytes */size, several ranges get the whole file', async () => {
    const part = await h.request('GET', url, { headers: { range: 'bytes=100-199' } });
    assert.deepEqual([part.status, part.headers.get('content-range'), part.headers.get('content-length')], [206, `bytes 100-199/${size}`, '100']);
    assert.ok(part.bytes.equals(whole.subarray(100, 200)));
    const tail = await h.request('GET', url, { headers: { range: 'bytes=-10' } });
    assert.deepEqual([tail.status, tail.headers.get('content-range')], [206, `bytes ${size - 10}-${size - 1}/${size}`]);
    assert.ok(tail.bytes.equals(whole.subarray(size - 10)));
    const open = await h.request('GET', url, { headers: { range: `bytes=${size - 5}-` } });
    assert.ok(open.bytes.equals(whole.subarray(size - 5)));
    for (const bad of [`bytes=${size}-`, 'bytes=5-4', 'bytes=-0']) {
      const r = await h.request('GET', url, { headers: { range: bad } });
      assert.deepEqual([r.status, r.headers.get('content-range'), r.json.code], [416, `bytes */${size}`, 3205], bad);
    }
    for (const ignored of ['bytes=0-1,500-600', 'items=0-1', 'bytes=abc']) {
      const r = await h.request('GET', url, { headers: { range: ignored } });
      assert.deepEqual([r.status, r.bytes.length], [200, size], ignored);
    }
  });

  /**
   * A GET over node:http: fetch adds Cache-Control: no-cache to conditional requests (Fetch
   * standard, HTTP-network-or-cache fetch), and with it the answer is the whole file.
   */
  const get = (u: string, headers: Record<string, string>) => new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
    const req = http.get(u, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
  });

  test('validators: ETag and Last-Modified; If-None-Match and If-Modified-Since answer 304; If-Range guards a Range', async () => {
    const full = await h.request('GET', url);
    const tag = full.headers.get('etag')!;
    const modified = full.headers.get('last-modified')!;
    assert.match(tag, /^"[^"]+"$/, 'a strong validator, usable with If-Range');
    assert.deepEqual([full.headers.get('accept-ranges'), full.headers.get('content-type')], ['bytes', 'audio/wav']);
    const conditions: Record<string, string>[] = [{ 'if-none-match': tag }, { 'if-none-match': `"other", W/${tag}` }, { 'if-modified-since': modified }];
    for (const headers of conditions) {
      const r = await get(url, headers);
      assert.deepEqual([r.status, r.bytes.length, r.headers.etag], [304, 0, tag], JSON.stringify(headers));
    }
    assert.equal((await get(url, { 'if-none-match': '"other"' })).status, 200);
    assert.equal((await h.request('GET', url, { headers: { 'if-none-match': tag } })).status, 200, 'fetch asked for no-cache');
    const current = await h.request('GET', url, { headers: { range: 'bytes=0-9', 'if-range': tag } });
    assert.deepEqual([current.status, current.bytes.length], [206, 10]);
    const stale = await h.request('GET', url, { headers: { range: 'bytes=0-9', 'if-range': '"stale"' } });
    assert.deepEqual([stale.status, stale.bytes.length], [200, size]);
  });

  test('HEAD: the GET headers and no body', async () => {
    const head = await h.request('HEAD', url);
    assert.deepEqual([head.status, head.headers.get('content-length'), head.headers.get('content-type'), head.bytes.length], [200, String(size), 'audio/wav', 0]);
    const part = await h.request('HEAD', url, { headers: { range: 'bytes=0-99' } });
    assert.deepEqual([part.status, part.headers.get('content-length'), part.headers.get('content-range'), part.bytes.length], [206, '100', `bytes 0-99/${size}`, 0]);
    const missing = await h.request('HEAD', url.replace(/\?sig=.*/, '?sig=forged'));
    assert.equal(missing.status, 404);
  });

  test('a malformed percent-encoding in a file URL is a clean 4xx answer in the envelope', async () => {
    const r = await h.request('GET', '/files/%E0%A4%A');
    assert.ok(r.status >= 400 && r.status < 500, String(r.status));
    assert.equal(r.json.data, null);
  });
});

describe('/metrics', { timeout: 60_000 }, () => {
  test('with API keys it needs DH_METRICS_TOKEN: tenants\' keys do not open it; closed while no token is set', async () => {
    const withToken = await startHarness({ DH_API_KEYS: KEY, DH_METRICS_TOKEN: 'scrape-me' });
    const noToken = await startHarness({ DH_API_KEYS: KEY });
    try {
      for (const [h, opts] of [[withToken, {}], [withToken, { key: KEY }], [withToken, { key: 'scrape-mE' }], [noToken, {}], [noToken, { key: KEY }]] as const) {
        const r = await h.request('GET', '/metrics', opts);
        assert.deepEqual([r.status, r.json?.code, r.json?.data], [401, 3102, null], JSON.stringify(opts));
        assert.equal(r.headers.get('www-authenticate'), 'Bearer');
        assert.doesNotMatch(r.bytes.toString(), /dh_http_requests_total/);
      }
      const ok = await withToken.request('GET', '/metrics', { key: 'scrape-me' });
      assert.equal(ok.status, 200);
      assert.match(ok.bytes.toString(), /dh_http_requests_total\{route="GET \/metrics",status="401"\} 3/);
    } finally {
      await withToken.close();
      await noToken.close();
    }
  });

  test('without API keys (loopback only) it stays open', async () => {
    const h = await startHarness();
    try {
      const r = await h.request('GET', '/metrics');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    } finally {
      await h.close();
    }
  });
});
