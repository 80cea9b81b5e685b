// Malformed requests, tenant isolation and URL refusals: each gets its documented code, and the
// service keeps serving after every one of them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ERRORS } from '../../src/core/errors.js';
import { API, CREATE, DETAIL, startHarness, startMediaServer, uploadFile, type Harness } from './harness.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

let h: Harness;
let media: Awaited<ReturnType<typeof startMediaServer>>;
const A = 'tenant-a-key', B = 'tenant-b-key';

before(async () => {
  // Private URLs are refused here, as in production.
  h = await startHarness({ DH_API_KEYS: `${A}, ${B}`, DH_ALLOW_PRIVATE_URLS: '0' });
  media = await startMediaServer();
});
after(async () => { await h.close(); media.close(); });

// Only ever used in requests that validation refuses: no task with these URLs is queued.
const good = { imageUrl: 'https://cdn.example.com/photo.png', audioUrl: 'https://cdn.example.com/sound.mp3', duration: 10 };

async function expectCode(res: { status: number; json: any }, code: number, http?: number, field?: RegExp): Promise<void> {
  assert.equal(res.json?.code, code, JSON.stringify(res.json));
  assert.equal(res.json.data, null);
  if (http) assert.equal(res.status, http);
  if (field) assert.match(res.json.message, field);
  const entry = Object.values(ERRORS).find((e) => e.code === code);
  assert.ok(entry, `code ${code} is in the catalogue`);
  assert.equal(res.status, entry.http);
  const health = await h.request('GET', '/healthz');
  assert.equal(health.status, 200, 'still serving');
}

const create = (body: unknown, key = A) => h.request('POST', CREATE, { key, json: body });
const createRaw = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => h.request('POST', CREATE, { key: A, body, headers });

test('bad bodies: not JSON, not an object, wrong content type, too large', async () => {
  await expectCode(await createRaw('{"videoName":'), 3001, 400);
  await expectCode(await createRaw('[1,2]'), 3001, 400);
  await expectCode(await createRaw('"text"'), 3001, 400);
  await expectCode(await createRaw('videoName=x', { 'content-type': 'application/x-www-form-urlencoded' }), 3004, 415);
  await expectCode(await createRaw(JSON.stringify({ videoName: 'x', param: 'a'.repeat(300 * 1024) })), 3003, 413);
});

test('param: bad JSON, not an object, wrong types, missing fields, out of range, huge strings', async () => {
  await expectCode(await create({ videoName: 'x', param: '{imageUrl: nope}' }), 3002, 400, /param is not a JSON-escaped object/);
  await expectCode(await create({ videoName: 'x', param: '[]' }), 3002);
  await expectCode(await create({ videoName: 'x', param: 'null' }), 3002);
  await expectCode(await create({ videoName: 'x', param: { ...good } }), 1000, 400, /^param: /);
  await expectCode(await create({ param: JSON.stringify(good) }), 1000, 400, /^videoName: is required/);
  await expectCode(await create({ videoName: 'x' }), 1000, 400, /^param: is required/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, duration: 'ten' }) }), 1000, 400, /^param\.duration: .*Expected: Video length/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, duration: '10 s' }) }), 1000, 400, /^param\.duration: .*got "10 s"/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, duration: '0' }) }), 1301, 400, /duration 0 is out of range/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, duration: undefined }) }), 1000, 400, /^param\.duration: is required/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, duration: 0 }) }), 1301, 400, /duration 0 is out of range/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, duration: 181 }) }), 1301);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, resizeMode: 'stretch' }) }), 1000, 400, /^param\.resizeMode/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, watermark: { content: 'x' } }) }), 1000, 400, /^param\.watermark\.show: is required/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, imageUrl: undefined }) }), 1000, 400, /^param\.imageUrl: is required/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, audioUrl: undefined }) }), 1000, 400, /^param\.audioUrl: is required/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, audioUrl: undefined, text: 'hi' }) }), 1000, 400, /^param\.voice/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, audioUrl: undefined, text: 'hi', voice: 'espeak:nope' }) }), 1503, 400);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, prompt: '长'.repeat(5000) }) }), 1000, 400, /^param\.prompt/);
  await expectCode(await create({ videoName: 'v'.repeat(5000), param: JSON.stringify(good) }), 1000, 400, /^videoName/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, imageUrl: 'x'.repeat(10_000) }) }), 1000, 400, /^param\.imageUrl/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, avatarId: -1 }) }), 1000);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, imageUrl: undefined, avatarId: 999 }) }), 3202, 404);
});

test('URLs: schemes, credentials and literal private addresses are refused at create', async () => {
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, imageUrl: 'file:///etc/passwd' }) }), 1404, 400);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, audioUrl: 'gopher://x/' }) }), 1404);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, imageUrl: 'https://u:p@cdn.example.com/a.png' }) }), 1404);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, imageUrl: 'http://169.254.169.254/latest/meta-data/' }) }), 1403, 400, /link-local/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, imageUrl: 'http://[::ffff:10.0.0.1]/a.png' }) }), 1403, 400, /private/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, callbackUrl: 'http://127.0.0.1:1/hook' }) }), 1403);
});

test('a name that resolves to loopback is refused when fetched: the task fails with 1403, nothing is requested', async () => {
  const port = new URL(media.base).port;
  const before = media.hits.length;
  const r = await create({ videoName: 'x', param: JSON.stringify({ imageUrl: `http://localhost:${port}/photo.png`, audioUrl: `http://localhost:${port}/sound.mp3`, duration: 1 }) });
  assert.equal(r.json.code, 0);
  const t = await h.waitFor(r.json.data, (d) => d.status === 'failed' || d.status === 'succeeded', { key: A });
  assert.deepEqual([t.status, t.errorCode], ['failed', 1403]);
  assert.match(t.errorMessage, /loopback address/);
  assert.equal(media.hits.length, before);
});

test('uploads: content decides the kind; non-media, empty and missing parts are refused', async () => {
  const img = await uploadFile(h, fixtureImage('cartoon-alpaca.jpg'), A, 'sound.mp3');
  assert.deepEqual([img.code, img.data.kind], [0, 'image']);
  assert.match(img.data.url, /\.jpg\?sig=/);
  assert.equal((await uploadFile(h, Buffer.from('#!/bin/sh\nrm -rf /\n'), A, 'photo.png')).code, 3302);
  assert.equal((await uploadFile(h, Buffer.alloc(0), A, 'photo.png')).code, 3302);
  const form = new FormData();
  form.append('other', 'x');
  const missing = await fetch(`${h.base}${API}/files/upload`, { method: 'POST', body: form, headers: { authorization: `Bearer ${A}` } });
  assert.deepEqual([missing.status, (await missing.json()).code], [400, 3301]);
  await expectCode(await h.request('POST', `${API}/files/upload`, { key: A, json: {} }), 3004, 415);
});

test('a non-image as image and a non-audio as audio fail the task with the catalogue codes', async () => {
  const audio = await uploadFile(h, fixtureAudio('zh-poem.wav'), A);
  const image = await uploadFile(h, fixtureImage('cartoon-alpaca.jpg'), A);
  // Uploaded files are checked at create: the kind is known.
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ imageUrl: audio.data.url, audioUrl: audio.data.url, duration: 1 }) }), 3303, 400, /param\.imageUrl points at an uploaded audio/);
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ imageUrl: image.data.url, audioUrl: image.data.url, duration: 1 }) }), 3303);
  // Downloaded files are checked when decoded. Private URLs are allowed on this second service.
  const open = await startHarness({ DH_API_KEYS: A });
  try {
    const t1 = await open.create({ imageUrl: `${media.base}/text.png`, audioUrl: `${media.base}/sound.mp3`, duration: 1 }, { key: A });
    const t2 = await open.create({ imageUrl: `${media.base}/photo.png`, audioUrl: `${media.base}/text.mp3`, duration: 1 }, { key: A });
    const t3 = await open.create({ imageUrl: `${media.base}/gone.png`, audioUrl: `${media.base}/sound.mp3`, duration: 1 }, { key: A });
    const done = (d: any) => d.status === 'failed' || d.status === 'succeeded';
    assert.deepEqual([(await open.waitFor(t1.data, done, { key: A })).errorCode, (await open.waitFor(t2.data, done, { key: A })).errorCode, (await open.waitFor(t3.data, done, { key: A })).errorCode], [1102, 1202, 1101]);
    assert.equal((await open.request('GET', '/healthz')).status, 200);
  } finally {
    await open.close();
  }
});

test('auth: missing, malformed and unknown keys get 401 with code 3101', async () => {
  await expectCode(await h.request('GET', `${DETAIL}?taskId=1`), 3101, 401, /no Authorization header/);
  await expectCode(await h.request('GET', `${DETAIL}?taskId=1`, { headers: { authorization: 'Basic abc' } }), 3101);
  await expectCode(await h.request('GET', `${DETAIL}?taskId=1`, { key: 'not-a-key' }), 3101, 401, /not known/);
  await expectCode(await h.request('GET', `${API}/voice/list`), 3101);
  const r = await h.request('GET', `${DETAIL}?taskId=1`);
  assert.equal(r.headers.get('www-authenticate'), 'Bearer');
});

test('tenants see only their own tasks, files and avatars', async () => {
  // Inputs are A's own uploads, so the queued task never reaches for a non-loopback host.
  const ownImage = await uploadFile(h, fixtureImage('cartoon-alpaca.jpg'), A);
  const ownAudio = await uploadFile(h, fixtureAudio('zh-poem.wav'), A);
  const mine = await create({ videoName: 'a-task', param: JSON.stringify({ imageUrl: ownImage.data.url, audioUrl: ownAudio.data.url, duration: 1 }) });
  assert.equal(mine.json.code, 0);
  const id = mine.json.data;
  await expectCode(await h.request('GET', `${DETAIL}?taskId=${id}`, { key: B }), 3201, 404);
  await expectCode(await h.request('POST', `${API}/material/single/image/video/delete`, { key: B, json: { taskId: id } }), 3201);
  const listB = await h.request('GET', `${API}/material/single/image/video/list`, { key: B });
  assert.ok(listB.json.data.items.every((t: { taskId: number }) => t.taskId !== id));
  assert.equal((await h.request('GET', `${DETAIL}?taskId=${id}`, { key: A })).json.data.videoName, 'a-task');
  const fileA = await uploadFile(h, fixtureImage('cartoon-alpaca.jpg'), A);
  // B may not use A's upload as input, nor read it with B's key and no signature.
  await expectCode(await create({ videoName: 'x', param: JSON.stringify({ ...good, imageUrl: fileA.data.url }) }, B), 3203, 404);
  await expectCode(await h.request('GET', fileA.data.url.replace(/\?sig=.*/, ''), { key: B }), 3203, 404);
  await expectCode(await h.request('GET', `${DETAIL}?taskId=abc`, { key: A }), 1000, 400, /^taskId/);
  await expectCode(await h.request('GET', `${API}/material/single/image/video/list?pageSize=1000`, { key: A }), 1000, 400, /^pageSize/);
  await expectCode(await h.request('GET', `${API}/material/single/image/video/list?status=done`, { key: A }), 1000, 400, /^status/);
});

test('a queue that fills between the check and the add (as a shared queue can) refuses with 3401 and leaves no task behind', async () => {
  // The queue's count is stale (always 0), as when other instances add to a shared queue at
  // the same moment; only the add itself can hold the limit.
  const q = await startHarness({ DH_MAX_QUEUED: '1', DH_RENDER_WORKERS: '1' }, {
    wrapQueue: (inner) => ({ ...inner, waiting: async () => 0 }),
  });
  try {
    const image = (await uploadFile(q, fixtureImage('photo-woman-dark-hair.png'))).data.url;
    const audio = (await uploadFile(q, fixtureAudio('en-speech-1.wav'))).data.url;
    const create = () => q.request('POST', CREATE, { json: { videoName: 'burst', param: JSON.stringify({ imageUrl: image, audioUrl: audio, duration: 2 }) } });
    // The first goes straight to the idle worker, the second waits, the third finds no room.
    const first = await create(), second = await create(), third = await create();
    assert.equal(first.json.code, 0);
    assert.equal(second.json.code, 0);
    assert.equal(third.json.code, 3401, JSON.stringify(third.json));
    assert.equal(third.status, 503);
    const list = (await q.request('GET', `${API}/material/single/image/video/list?page=1&pageSize=20`)).json.data;
    assert.deepEqual(list.items.map((t: any) => t.taskId).sort(), [first.json.data, second.json.data].sort(), 'the refused task is not listed');
  } finally {
    await q.close();
  }
});
