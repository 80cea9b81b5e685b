// Inputs that cannot be used fail their task with a message that says what was wrong with the
// input, and never shows where the server keeps its files (data folder, scratch, /tmp).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { INPUT_LIMITS } from '../../src/ingest/index.js';
import { withoutServerPaths } from '../../src/core/errors.js';
import { startHarness, uploadFile, type Harness } from './harness.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

/** A PNG that declares 20000x20000 pixels in a few kilobytes: a decompression bomb. */
function pngBomb(): Buffer {
  const side = 20000;
  const crc = (b: Buffer) => { let c = ~0; for (const x of b) { c ^= x; for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1)); } return ~c >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(side, 0); ihdr.writeUInt32BE(side, 4); ihdr[8] = 8; ihdr[9] = 0;
  const row = Buffer.alloc(side + 1);
  const idat = zlib.deflateSync(Buffer.concat(Array.from({ length: 64 }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

const jpeg = fs.readFileSync(fixtureImage('photo-man-flag.jpg'));
const wav = fs.readFileSync(fixtureAudio('zh-bus.wav'));
let tiny: Buffer;

// Each bad input, served on loopback, with what the failure message must say about it.
const CASES: { name: string; path: string; body: () => Buffer; kind: 'image' | 'audio'; says: RegExp }[] = [
  { name: 'truncated JPEG', path: '/truncated.jpg', body: () => jpeg.subarray(0, jpeg.length >> 1), kind: 'image', says: /image .*could not be decoded/ },
  { name: 'empty image', path: '/empty.png', body: () => Buffer.alloc(0), kind: 'image', says: /image .*could not be decoded/ },
  { name: 'oversized image', path: '/huge.jpg', body: () => Buffer.concat([jpeg, Buffer.alloc(INPUT_LIMITS.imageBytes)]), kind: 'image', says: /larger than/ },
  { name: 'decompression bomb', path: '/bomb.png', body: pngBomb, kind: 'image', says: /image .*could not be decoded.*pixel/i },
  { name: 'text served as an image', path: '/text.png', body: () => Buffer.from('this is plain text, not a picture'), kind: 'image', says: /image .*could not be decoded/ },
  { name: 'HTML served as an image', path: '/page.jpg', body: () => Buffer.from('<!doctype html><title>404</title>'), kind: 'image', says: /image .*could not be decoded/ },
  { name: 'image too small', path: '/tiny.png', body: () => tiny, kind: 'image', says: /image is 8x8/ },
  { name: 'garbage audio', path: '/noise.mp3', body: () => Buffer.from(Array.from({ length: 20000 }, (_, i) => (i * 7919) % 251)), kind: 'audio', says: /audio .*could not be decoded/ },
  { name: 'a JPEG given as audio', path: '/photo.mp3', body: () => jpeg, kind: 'audio', says: /audio .*(could not be decoded|contains no sound)/ },
  { name: 'empty audio', path: '/empty.wav', body: () => Buffer.alloc(0), kind: 'audio', says: /audio .*(could not be decoded|contains no sound)/ },
  { name: 'WAV header without samples', path: '/header.wav', body: () => wav.subarray(0, 44), kind: 'audio', says: /audio .*(could not be decoded|contains no sound)/ },
  { name: 'text served as audio', path: '/text.wav', body: () => Buffer.from('<html>not audio either</html>'), kind: 'audio', says: /audio .*could not be decoded/ },
];

let h: Harness;
let server: http.Server;
let base = '';
before(async () => {
  tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).png().toBuffer();
  h = await startHarness({ DH_ALLOW_PRIVATE_URLS: '1' });
  server = http.createServer((req, res) => {
    const c = CASES.find((x) => x.path === req.url);
    const file = req.url === '/good.jpg' ? jpeg : req.url === '/good.wav' ? wav : c?.body();
    if (!file) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-length': file.length });
    res.end(file);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => { await h.close(); server.closeAllConnections(); server.close(); });

/** Every place this service's files live, and any absolute path at all. */
function assertNoServerPath(text: string, what: string): void {
  for (const dir of [h.dataDir, os.tmpdir(), process.cwd()]) assert.ok(!text.includes(dir), `${what} shows ${dir}: ${text}`);
  assert.doesNotMatch(text, /(^|[\s"'(=])\/[\w.-]+\//, `${what} holds an absolute path: ${text}`);
}

test('withoutServerPaths: known paths get their labels, other absolute paths are hidden, URLs stay', () => {
  assert.equal(withoutServerPaths('image /srv/dh/work/12/input-image could not be decoded', [['/srv/dh/work/12/input-image', 'https://a.example/p.png']]),
    'image https://a.example/p.png could not be decoded');
  assert.equal(withoutServerPaths('/tmp/dh-render-x/input-audio: Invalid data found'), 'a server file: Invalid data found');
  assert.equal(withoutServerPaths('could not download https://cdn.example.com/a/b.png: HTTP 404 (ratio 16/9)'), 'could not download https://cdn.example.com/a/b.png: HTTP 404 (ratio 16/9)');
  assert.equal(withoutServerPaths('Input file is missing: "/var/lib/x.png"'), 'Input file is missing: "a server file"');
});

for (const c of CASES) {
  test(`a task with ${c.name} fails saying what is wrong, without server paths`, async () => {
    const param = c.kind === 'image'
      ? { imageUrl: `${base}${c.path}`, audioUrl: `${base}/good.wav`, duration: 1 }
      : { imageUrl: `${base}/good.jpg`, audioUrl: `${base}${c.path}`, duration: 1 };
    const created = await h.create(param);
    assert.equal(created.code, 0, JSON.stringify(created));
    const t = await h.waitFor(created.data, (x) => x.status === 'failed' || x.status === 'succeeded', { timeoutMs: 60_000 });
    assert.equal(t.status, 'failed');
    assert.match(t.errorMessage, c.says);
    assertNoServerPath(t.errorMessage, 'errorMessage');
    assertNoServerPath(JSON.stringify(t), 'the task detail');
  });
}

test('an uploaded file that turns out unusable is named as the upload, not by its server path', async () => {
  // Sniffed as JPEG from its first bytes, cut off after them.
  const up = await uploadFile(h, jpeg.subarray(0, 4096), undefined, 'cut.jpg');
  assert.equal(up.code, 0, JSON.stringify(up));
  const created = await h.create({ imageUrl: up.data.url, audioUrl: `${base}/good.wav`, duration: 1 });
  const t = await h.waitFor(created.data, (x) => x.status === 'failed' || x.status === 'succeeded', { timeoutMs: 60_000 });
  assert.equal(t.status, 'failed');
  assert.match(t.errorMessage, /the uploaded image could not be decoded/);
  assertNoServerPath(t.errorMessage, 'errorMessage');
});

test('the face check of an unusable upload answers what is wrong, without the server path', async () => {
  const up = await uploadFile(h, jpeg.subarray(0, 4096), undefined, 'cut.jpg');
  const r = await h.request('POST', '/api/2dvh/v1/face/detect', { json: { imageUrl: up.data.url } });
  assert.equal(r.json.code, 1102, JSON.stringify(r.json));
  assert.match(r.json.message, /the uploaded image could not be decoded/);
  assertNoServerPath(r.json.message, 'the face check\'s message');
  for (const [name, value] of r.headers) assertNoServerPath(value, `header ${name}`);
});
