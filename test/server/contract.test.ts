// Contract tests: every endpoint over real HTTP on loopback, real SQLite, real ffmpeg, real
// face model and real speech engine. Renders are 2 s long to keep the suite quick.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { API, CREATE, DETAIL, startHarness, startMediaServer, uploadFile, type Harness } from './harness.js';
import { fixtureAudio, fixtureImage, tempDir } from '../helpers.js';

let h: Harness;
let media: Awaited<ReturnType<typeof startMediaServer>>;
const callbacks: { body: string; signature: string | undefined }[] = [];
let callbackServer: http.Server;
let callbackUrl = '';
let failuresLeft = 1;

before(async () => {
  h = await startHarness({ DH_API_KEYS: 'key-a', DH_METRICS_TOKEN: 'scraper-token' }, { webhook: { attempts: 3, baseDelayMs: 50 } });
  media = await startMediaServer();
  callbackServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      // The first delivery fails, to exercise the retry.
      if (failuresLeft-- > 0) { res.writeHead(503); res.end(); return; }
      callbacks.push({ body, signature: req.headers['x-dh-signature'] as string | undefined });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => callbackServer.listen(0, '127.0.0.1', r));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/hook`;
});
after(async () => { await h.close(); media.close(); callbackServer.closeAllConnections(); callbackServer.close(); });

const KEY = 'key-a';
const probe = (file: string) => JSON.parse(spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:format_tags=comment:stream=width,height,codec_type', '-of', 'json', file]).stdout.toString());

test('the spec\'s own request example (URLs on a loopback server) creates a task that renders', async () => {
  const param = `{"imageUrl":"${media.base}/photo.png","audioUrl":"${media.base}/sound.mp3","duration":2,"prompt":"夏日海滩场景 | Summer beach scene","isNewAvatar":false,"avatarId":15342352346}`;
  const r = await h.request('POST', CREATE, { key: KEY, json: { videoName: 'xxx', param } });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.json), ['code', 'message', 'data']);
  assert.equal(r.json.code, 0);
  assert.equal(r.json.message, 'success');
  assert.ok(Number.isInteger(r.json.data) && r.json.data > 0);
  const t = await h.waitFor(r.json.data, (d) => d.status === 'succeeded' || d.status === 'failed', { key: KEY });
  assert.equal(t.status, 'succeeded', t.errorMessage);
  assert.deepEqual([t.progress, t.width, t.height, t.duration, t.videoName], [100, 1280, 720, 2, 'xxx']);
  assert.match(t.warnings[0], /avatarId 15342352346 was not found/);
  assert.ok(t.expiresAt && Date.parse(t.expiresAt) - Date.parse(t.finishedAt) === 7 * 86_400_000);
  const video = await h.request('GET', t.videoUrl);
  assert.equal(video.status, 200);
  assert.equal(video.headers.get('content-type'), 'video/mp4');
  const file = path.join(tempDir(), 'v.mp4');
  fs.writeFileSync(file, video.bytes);
  const info = probe(file);
  assert.equal(info.format.tags.comment, 'AI-generated (Image Digital Human)');
  assert.ok(Math.abs(Number(info.format.duration) - 2) < 0.15);
  const thumb = await h.request('GET', t.thumbnailUrl);
  assert.deepEqual([thumb.status, thumb.headers.get('content-type'), thumb.bytes[0], thumb.bytes[1]], [200, 'image/jpeg', 0xff, 0xd8]);
});

test('downloads honour Range: 206 with Content-Range, suffix ranges, 416 outside the file', async () => {
  const up = await uploadFile(h, fixtureAudio('zh-poem.wav'), KEY, 'whatever.txt');
  assert.deepEqual([up.code, up.data.kind, up.data.bytes], [0, 'audio', fs.statSync(fixtureAudio('zh-poem.wav')).size]);
  const size = up.data.bytes;
  const whole = fs.readFileSync(fixtureAudio('zh-poem.wav'));
  const part = await h.request('GET', up.data.url, { headers: { range: 'bytes=100-199' } });
  assert.deepEqual([part.status, part.headers.get('content-range'), part.headers.get('accept-ranges')], [206, `bytes 100-199/${size}`, 'bytes']);
  assert.deepEqual(part.bytes, whole.subarray(100, 200));
  const tail = await h.request('GET', up.data.url, { headers: { range: 'bytes=-10' } });
  assert.deepEqual([tail.status, tail.bytes], [206, whole.subarray(size - 10)]);
  const open = await h.request('GET', up.data.url, { headers: { range: `bytes=${size - 5}-` } });
  assert.deepEqual([open.status, open.bytes.length], [206, 5]);
  const bad = await h.request('GET', up.data.url, { headers: { range: `bytes=${size}-` } });
  assert.deepEqual([bad.status, bad.headers.get('content-range'), bad.json.code], [416, `bytes */${size}`, 3205]);
  const full = await h.request('GET', up.data.url);
  assert.deepEqual([full.status, full.bytes.length, full.headers.get('content-type')], [200, size, 'audio/wav']);
  const unsigned = await h.request('GET', up.data.url.replace(/\?sig=.*/, '?sig=forged'));
  assert.deepEqual([unsigned.status, unsigned.json.code], [404, 3203]);
  const withKey = await h.request('GET', up.data.url.replace(/\?sig=.*/, ''), { key: KEY });
  assert.equal(withKey.status, 200, 'the owner\'s key works instead of a signature');
});

test('isNewAvatar stores the face; avatarId reuses it (its stored image, no fresh analysis)', async () => {
  const img = await uploadFile(h, fixtureImage('photo-woman-smiling.png'), KEY);
  const aud = await uploadFile(h, fixtureAudio('zh-poem.wav'), KEY);
  assert.equal(img.data.kind, 'image');
  const first = await h.create({ imageUrl: img.data.url, audioUrl: aud.data.url, duration: 1, isNewAvatar: true, watermark: { show: true } }, { key: KEY });
  const t1 = await h.waitFor(first.data, (d) => d.status === 'succeeded' || d.status === 'failed', { key: KEY });
  assert.equal(t1.status, 'succeeded', t1.errorMessage);
  assert.ok(Number.isInteger(t1.avatarId));
  // The second task names an image URL that does not exist: only the avatar's stored image can make it succeed.
  const second = await h.create({ imageUrl: `${media.base}/missing.png`, audioUrl: aud.data.url, duration: 1, avatarId: t1.avatarId }, { key: KEY, thumbnailUrl: 'https://cdn.example.com/thumb.jpg' });
  const t2 = await h.waitFor(second.data, (d) => d.status === 'succeeded' || d.status === 'failed', { key: KEY });
  assert.equal(t2.status, 'succeeded', t2.errorMessage);
  assert.equal(t2.avatarId, t1.avatarId);
  assert.deepEqual(t2.warnings, []);
  assert.equal(t2.thumbnailUrl, 'https://cdn.example.com/thumb.jpg', 'a given thumbnailUrl is kept');
  assert.ok(!media.hits.includes('/missing.png'), 'the imageUrl was not fetched');
  assert.ok(t2.timings.faceMs < t1.timings.faceMs, `detection skipped: ${t2.timings.faceMs} vs ${t1.timings.faceMs} ms`);

  // The tenant sees the avatar, with its image, and can delete it for good.
  const listAvatars = async () => (await h.request('GET', `${API}/avatar/list`, { key: KEY })).json.data;
  const mine = (await listAvatars()).items.find((a: any) => a.avatarId === t1.avatarId);
  assert.ok(mine, 'the avatar is listed');
  assert.equal(mine.faceFound, true);
  assert.equal((await fetch(mine.imageUrl)).status, 200);
  const del = await h.request('POST', `${API}/avatar/delete`, { key: KEY, json: { avatarId: t1.avatarId } });
  assert.deepEqual(del.json, { code: 0, message: 'success', data: { avatarId: t1.avatarId, deleted: true } });
  assert.ok(!(await listAvatars()).items.some((a: any) => a.avatarId === t1.avatarId), 'gone from the list');
  assert.equal((await fetch(mine.imageUrl)).status, 410, 'its image is deleted');
  assert.equal((await h.request('POST', `${API}/avatar/delete`, { key: KEY, json: { avatarId: t1.avatarId } })).json.code, 3202);
  assert.equal((await h.create({ audioUrl: aud.data.url, duration: 1, avatarId: t1.avatarId }, { key: KEY })).code, 3202);
  assert.equal((await h.request('GET', DETAIL + `?taskId=${first.data}`, { key: KEY })).json.data.status, 'succeeded', 'videos made with it stay');
});

test('text + voice: speech synthesized by the real engine drives the video; callback is signed and retried', async () => {
  const voices = await h.request('GET', `${API}/voice/list`, { key: KEY });
  assert.equal(voices.json.code, 0);
  assert.ok(voices.json.data.some((v: { id: string }) => v.id === 'espeak:en-us'));
  const created = await h.create({ imageUrl: `${media.base}/woman.png`, text: 'Hello there.', voice: 'espeak:en-us', duration: 1.5, callbackUrl }, { key: KEY });
  assert.equal(created.code, 0, created.message);
  const t = await h.waitFor(created.data, (d) => d.status === 'succeeded' || d.status === 'failed', { key: KEY });
  assert.equal(t.status, 'succeeded', t.errorMessage);
  const deadline = Date.now() + 10_000;
  while (callbacks.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(callbacks.length, 1, 'delivered once after one failed attempt');
  const { body, signature } = callbacks[0];
  assert.equal(signature, `sha256=${createHmac('sha256', KEY).update(body).digest('hex')}`);
  assert.deepEqual([JSON.parse(body).event, JSON.parse(body).data.taskId, JSON.parse(body).data.status], ['task.finished', created.data, 'succeeded']);
});

test('voice synthesize answers a playable WAV URL and its duration', async () => {
  const r = await h.request('POST', `${API}/voice/synthesize`, { key: KEY, json: { text: '你好，世界', voice: 'espeak:cmn', speed: 1.2 } });
  assert.equal(r.json.code, 0, r.json.message);
  assert.ok(r.json.data.durationSeconds > 0.3 && r.json.data.durationSeconds < 5);
  const wav = await h.request('GET', r.json.data.audioUrl);
  assert.equal(wav.bytes.subarray(0, 4).toString() + wav.bytes.subarray(8, 12).toString(), 'RIFFWAVE');
  const unknown = await h.request('POST', `${API}/voice/synthesize`, { key: KEY, json: { text: 'hi', voice: 'espeak:klingon' } });
  assert.deepEqual([unknown.status, unknown.json.code], [400, 1503]);
});

test('list pages and filters; delete removes the task and its files', async () => {
  const all = await h.request('GET', `${API}/material/single/image/video/list?page=1&pageSize=2`, { key: KEY });
  assert.equal(all.json.code, 0);
  assert.equal(all.json.data.items.length, 2);
  assert.ok(all.json.data.total >= 4);
  assert.ok(all.json.data.items[0].taskId > all.json.data.items[1].taskId, 'newest first');
  const page2 = await h.request('GET', `${API}/material/single/image/video/list?page=2&pageSize=2`, { key: KEY });
  assert.ok(page2.json.data.items[0].taskId < all.json.data.items[1].taskId);
  const failed = await h.request('GET', `${API}/material/single/image/video/list?status=failed`, { key: KEY });
  assert.deepEqual([failed.json.code, failed.json.data.total], [0, 0]);
  const victim = all.json.data.items[0];
  const del = await h.request('POST', `${API}/material/single/image/video/delete`, { key: KEY, json: { taskId: victim.taskId } });
  assert.deepEqual(del.json, { code: 0, message: 'success', data: { taskId: victim.taskId, deleted: true } });
  assert.equal((await h.request('GET', `${DETAIL}?taskId=${victim.taskId}`, { key: KEY })).json.code, 3201);
  assert.equal((await h.request('GET', victim.videoUrl)).status, 410);
  assert.equal((await h.request('POST', `${API}/material/single/image/video/delete`, { key: KEY, json: { taskId: victim.taskId } })).json.code, 3201);
});

test('health, metrics, OpenAPI and docs answer without the envelope', async () => {
  const health = await h.request('GET', '/healthz');
  assert.deepEqual([health.status, health.json.status], [200, 'ok']);
  assert.deepEqual([health.json.dependencies.database.backend, health.json.dependencies.database.ok], ['sqlite', true]);
  const metrics = await h.request('GET', '/metrics', { key: 'scraper-token' });
  const text = metrics.bytes.toString();
  assert.match(metrics.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  assert.match(text, /dh_tasks_created_total \d+/);
  assert.match(text, /dh_tasks_finished_total\{status="succeeded"\} [1-9]/);
  assert.match(text, /dh_render_seconds_count [1-9]/);
  assert.match(text, /dh_tasks\{status="queued"\} 0/);
  const doc = await h.request('GET', '/openapi.json');
  assert.equal(doc.json.openapi, '3.1.0');
  assert.ok(doc.json.paths[CREATE].post);
  const page = await h.request('GET', '/docs');
  assert.match(page.bytes.toString(), /<td>3002<\/td><td><code>PARAM_NOT_JSON<\/code>/);
  const none = await h.request('GET', '/nope', { key: KEY });
  assert.deepEqual([none.status, none.json.code], [404, 3005]);
});
