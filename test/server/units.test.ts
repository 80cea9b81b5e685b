// Pure pieces of the service: Range parsing, content sniffing, multipart streaming, webhook retry.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { DhError } from '../../src/core/errors.js';
import { sniffMedia } from '../../src/media/sniff.js';
import { parseRange } from '../../src/server/routes/files.js';
import { receiveFilePart } from '../../src/server/multipart.js';
import { deliverWebhook, signBody } from '../../src/worker/webhook.js';
import { encodeWav } from '../../src/media/wav.js';
import { fixtureAudio, fixtureImage, tempDir } from '../helpers.js';

test('parseRange: RFC 9110 single ranges, suffixes, open ends; unsatisfiable; ignored forms', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
  assert.deepEqual(parseRange('bytes=900-', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-5000', 1000), { start: 0, end: 999 });
  assert.deepEqual(parseRange('bytes=990-5000', 1000), { start: 990, end: 999 });
  assert.equal(parseRange('bytes=1000-', 1000), 'invalid');
  assert.equal(parseRange('bytes=5-4', 1000), 'invalid');
  assert.equal(parseRange('bytes=-0', 1000), 'invalid');
  assert.equal(parseRange(undefined, 1000), null);
  assert.equal(parseRange('bytes=0-1,5-6', 1000), null);
  assert.equal(parseRange('items=0-1', 1000), null);
});

test('sniffMedia recognises the fixtures by content and refuses text', () => {
  const head = (f: string) => fs.readFileSync(f).subarray(0, 64);
  assert.equal(sniffMedia(head(fixtureImage('photo-man-flag.jpg')))?.ext, 'jpg');
  assert.equal(sniffMedia(head(fixtureImage('anime-girl.png')))?.ext, 'png');
  assert.equal(sniffMedia(head(fixtureAudio('zh-bus.wav')))?.ext, 'wav');
  assert.equal(sniffMedia(head(fixtureAudio('mixed-long-65s.mp3')))?.kind, 'audio');
  assert.equal(sniffMedia(head(fixtureAudio('en-speech-2.m4a')))?.ext, 'm4a');
  assert.equal(sniffMedia(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))?.ext, 'webp');
  assert.equal(sniffMedia(Buffer.from([0xff, 0xf1, 0x50, 0x80]))?.ext, 'aac');
  assert.equal(sniffMedia(Buffer.from([0xff, 0xfb, 0x90, 0x64]))?.ext, 'mp3');
  assert.equal(sniffMedia(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">')), null);
  assert.equal(sniffMedia(Buffer.from('GIF89a')), null);
  assert.equal(sniffMedia(Buffer.alloc(0)), null);
});

test('encodeWav writes a 44-byte PCM header and clipped 16-bit samples', () => {
  const wav = encodeWav({ samples: new Float32Array([0, 1, -1, 2]), sampleRate: 16000 });
  assert.equal(wav.length, 52);
  assert.equal(wav.toString('latin1', 0, 4) + wav.toString('latin1', 8, 16), 'RIFFWAVEfmt ');
  assert.deepEqual([wav.readUInt32LE(24), wav.readInt16LE(44), wav.readInt16LE(46), wav.readInt16LE(48), wav.readInt16LE(50)], [16000, 0, 32767, -32768, 32767]);
});

test('multipart: the file part streams to disk intact even when delimiters straddle tiny chunks', async () => {
  const content = Buffer.concat([fs.readFileSync(fixtureImage('cartoon-alpaca.jpg')), Buffer.from('\r\n--notquite\r\n')]);
  const boundary = '----dhBoundary7MA4YWxk';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: text/plain\r\n\r\n`),
    content, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const dir = tempDir();
  const results: unknown[] = [];
  const server = http.createServer(async (req, res) => {
    try { results.push(await receiveFilePart(req, 'file', path.join(dir, 'out'), Number(req.headers['x-limit']))); } catch (e) { results.push(e); }
    // Drain what the parser refused, so the connection ends cleanly instead of being reset.
    req.resume();
    if (!req.readableEnded) await new Promise((r) => req.once('end', r));
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const send = (limit: number) => new Promise<void>((resolve) => {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-limit': String(limit) } }, (res) => { res.on('error', () => resolve()); res.resume(); res.on('end', resolve); });
    // The server refuses the oversized body early and resets the connection mid-write: expected.
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    // 7-byte writes: every delimiter is split somewhere.
    for (let i = 0; i < body.length; i += 7) req.write(body.subarray(i, i + 7));
    req.end();
  });
  try {
    await send(1 << 20);
    assert.deepEqual((results[0] as { bytes: number }).bytes, content.length);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'out')), content);
    await send(1000);
    assert.ok(results[1] instanceof DhError && results[1].id === 'BODY_TOO_LARGE');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('webhooks: signed body, exponential backoff, bounded attempts, no retry on a 4xx', async () => {
  const sleeps: number[] = [];
  const seen: { body: string; sig: string }[] = [];
  let answers = [500, 502, 200];
  const request = async (_url: string, req: { body?: Uint8Array; headers?: Record<string, string> }) => {
    seen.push({ body: Buffer.from(req.body!).toString(), sig: req.headers!['x-dh-signature'] });
    return { status: answers.shift() ?? 500, body: Buffer.alloc(0), url: _url };
  };
  const opts = { request, attempts: 4, baseDelayMs: 100, sleep: async (ms: number) => { sleeps.push(ms); } };
  assert.equal(await deliverWebhook('https://hooks.example/x', { a: 1 }, 'sekret', opts), 3);
  assert.deepEqual(sleeps, [100, 200]);
  assert.equal(seen[0].body, '{"a":1}');
  assert.equal(seen[0].sig, signBody('sekret', '{"a":1}'));
  assert.equal(signBody('key', 'The quick brown fox jumps over the lazy dog'), 'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8'); // the HMAC example on Wikipedia
  answers = [];
  sleeps.length = 0;
  await assert.rejects(deliverWebhook('https://hooks.example/x', {}, null, opts));
  assert.deepEqual(sleeps, [100, 200, 400], 'four attempts, then give up');
  answers = [404];
  seen.length = 0;
  await assert.rejects(deliverWebhook('https://hooks.example/x', {}, null, opts));
  assert.equal(seen.length, 1);
  assert.equal(seen[0].sig, undefined, 'unsigned when there is no secret');
});
