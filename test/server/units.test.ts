// Pure pieces of the service: content sniffing, WAV writing, webhook retry, path hiding. (Range and multipart
// are libraries' work now; http-protocol.test.ts checks them through HTTP.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { sniffMedia } from '../../src/media/sniff.js';
import { withoutServerPaths } from '../../src/core/errors.js';
import { deliverWebhook, signBody } from '../../src/worker/webhook.js';
import { encodeWav } from '../../src/encode/wav.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

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
  assert.equal(sniffMedia(Buffer.from('GIF89a'))?.ext, 'gif');
  assert.equal(sniffMedia(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic'))?.ext, 'heic');
  assert.equal(sniffMedia(Buffer.from('\0\0\0\x1cftypavif\0\0\0\0avifmif1'))?.ext, 'avif');
  assert.equal(sniffMedia(Buffer.from('BM6\x10\x0e\0\0\0\0\x006\0\0\0(\0\0\0\x80\x02\0\0\xe0\x01\0\0'))?.ext, 'bmp');
  assert.equal(sniffMedia(Buffer.from('BMW is a car, not a bitmap at all')), null);
  assert.equal(sniffMedia(Buffer.alloc(0)), null);
});

test('encodeWav writes a 44-byte PCM header and clipped 16-bit samples', () => {
  const wav = encodeWav({ samples: new Float32Array([0, 1, -1, 2]), sampleRate: 16000 });
  assert.equal(wav.length, 52);
  assert.equal(wav.toString('latin1', 0, 4) + wav.toString('latin1', 8, 16), 'RIFFWAVEfmt ');
  assert.deepEqual([wav.readUInt32LE(24), wav.readInt16LE(44), wav.readInt16LE(46), wav.readInt16LE(48), wav.readInt16LE(50)], [16000, 0, 32767, -32768, 32767]);
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

test('an internal error\'s message reaches the client without server paths; the API\'s own paths stay', () => {
  const shown = withoutServerPaths("ENOENT: no such file or directory, open '/tmp/dh-svc-x/media/t1/uploads/a.wav'");
  assert.equal(shown, "ENOENT: no such file or directory, open 'a server file'");
  const advice = 'use a public URL or upload the file (POST /api/2dvh/v1/files/upload); see GET /docs';
  assert.equal(withoutServerPaths(advice), advice);
  assert.equal(withoutServerPaths('no endpoint GET /apix/y', [], ['/srv/dh']), 'no endpoint GET /apix/y', 'what the client sent stays');
  assert.equal(withoutServerPaths('image /srv/dh/media/a.png could not be decoded', [], ['/srv/dh']), 'image a server file could not be decoded');
});
