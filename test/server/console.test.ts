// The service's part of the web console: the built files at `/` (types, caching, no path
// escapes, CSP) and the face check the create page calls before submitting.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createConsoleStatic } from '../../src/server/console-static.js';
import { fixtureImage, tempDir } from '../helpers.js';
import { API, startHarness, type Harness } from './harness.js';

describe('console static files', () => {
  let base = '';
  let server: http.Server;
  before(async () => {
    const root = tempDir('dh-console-');
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc123.css'), 'body{}');
    fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
    fs.writeFileSync(path.join(root, '.secret'), 'no');
    fs.writeFileSync(path.join(path.dirname(root), 'outside.txt'), 'no');
    const serve = createConsoleStatic(root);
    server = http.createServer((req, res) => { if (!serve(req, res)) { res.writeHead(404); res.end('api 404'); } });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('serves index.html at / with no-cache and a same-origin Content-Security-Policy', async () => {
    const r = await fetch(`${base}/`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.match(r.headers.get('content-security-policy')!, /^default-src 'self'; script-src 'self'/);
    assert.equal(await r.text(), '<!doctype html><title>x</title>');
    const again = await fetch(`${base}/`, { headers: { 'if-none-match': r.headers.get('etag')! } });
    assert.equal(again.status, 304);
  });

  it('serves hashed assets as immutable with their content types', async () => {
    const js = await fetch(`${base}/assets/index-abc123.js`);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const css = await fetch(`${base}/assets/index-abc123.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    const svg = await fetch(`${base}/favicon.svg`);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.equal(svg.headers.get('cache-control'), 'no-cache');
  });

  it('leaves everything else to the API (unknown paths, dot-files, escapes, other methods)', async () => {
    for (const p of ['/nope.js', '/.secret', '/assets/../../outside.txt', '/%2e%2e/outside.txt', '/assets/%2e%2e%2f%2e%2e%2foutside.txt', '/api/2dvh/v1/x']) {
      const r = await fetch(base + p);
      assert.equal(r.status, 404, p);
      assert.equal(await r.text(), 'api 404', p);
    }
    const post = await fetch(`${base}/`, { method: 'POST' });
    assert.equal(post.status, 404);
  });
});

describe('face check endpoint', { timeout: 120_000 }, () => {
  let svc: Harness;
  const upload = async (bytes: Buffer, name: string, key?: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const r = await fetch(`${svc.base}${API}/files/upload`, { method: 'POST', body: form, headers: key ? { authorization: `Bearer ${key}` } : {} });
    return (await r.json()) as { code: number; data: { url: string } };
  };
  const check = (imageUrl: string, key?: string) => svc.request('POST', `${API}/face/detect`, { json: { imageUrl }, key });

  before(async () => { svc = await startHarness({ DH_API_KEYS: 'key-a,key-b' }); });
  after(() => svc.close());

  it('finds the face in a portrait and plans both frames', async () => {
    const up = await upload(fs.readFileSync(fixtureImage('photo-woman-smiling.png')), 'p.png', 'key-a');
    const r = await check(up.data.url, 'key-a');
    assert.equal(r.json.code, 0, JSON.stringify(r.json));
    const d = r.json.data;
    assert.equal(d.found, true);
    assert.deepEqual([d.width, d.height], [256, 256]);
    assert.equal(d.faces.length, 1);
    assert.deepEqual(d.box, d.faces[d.main].box);
    assert.equal(d.faces[0].index, 0);
    // The face is in the middle of this head-and-shoulders picture and fills most of it.
    assert.ok(d.box.width > 150 && d.box.x > 0 && d.box.x + d.box.width < 256, JSON.stringify(d.box));
    assert.deepEqual([d.layouts.adaptive.width, d.layouts.adaptive.height], [1280, 720]);
    assert.equal(d.layouts.adaptive.padded, true, 'a square image is narrower than 16:9');
    assert.deepEqual(d.layouts.fixedMinSide, { width: 720, height: 720, crop: { x: 0, y: 0, width: 256, height: 256 }, padded: false });
    assert.equal(d.fixedMinSideError, null);
  });

  it('says no face for a picture without one, and refuses fixedMinSide beyond 3:1', async () => {
    const plain = await sharp({ create: { width: 800, height: 200, channels: 3, background: { r: 90, g: 140, b: 200 } } }).png().toBuffer();
    const up = await upload(plain, 'sky.png', 'key-a');
    const d = (await check(up.data.url, 'key-a')).json.data;
    assert.equal(d.found, false);
    assert.equal(d.box, null);
    assert.deepEqual(d.faces, []);
    assert.equal(d.layouts.fixedMinSide, null);
    assert.equal(d.fixedMinSideError.code, 1103);
  });

  it('refuses URLs that are not this service\'s uploads, other tenants\' files, and audio', async () => {
    assert.equal((await check('https://example.com/a.jpg', 'key-a')).json.code, 1000);
    const up = await upload(fs.readFileSync(fixtureImage('photo-woman-smiling.png')), 'p.png', 'key-a');
    assert.equal((await check(up.data.url, 'key-b')).json.code, 3203);
    assert.equal((await check(up.data.url)).json.code, 3101);
    const wav = Buffer.alloc(44 + 3200);
    wav.write('RIFF', 0); wav.writeUInt32LE(36 + 3200, 4); wav.write('WAVEfmt ', 8); wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22); wav.writeUInt32LE(16000, 24); wav.writeUInt32LE(32000, 28);
    wav.writeUInt16LE(2, 32); wav.writeUInt16LE(16, 34); wav.write('data', 36); wav.writeUInt32LE(3200, 40);
    const audio = await upload(wav, 'a.wav', 'key-a');
    assert.equal(audio.code, 0, JSON.stringify(audio));
    assert.equal((await check(audio.data.url, 'key-a')).json.code, 3303);
  });

  it('reports an image too small to animate with its own code', async () => {
    const tiny = await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
    const up = await upload(tiny, 'tiny.png', 'key-a');
    assert.equal((await check(up.data.url, 'key-a')).json.code, 1104);
  });
});
