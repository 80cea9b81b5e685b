// Several faces each speaking its own part, through the API: param.speakers is checked at create,
// a face number the picture does not have fails the task saying how many faces there are, and a
// two-person picture with one uploaded track and one typed line renders, the detail listing the
// faces (numbered left to right) and who says what.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API, startHarness, uploadFile, type Harness } from './harness.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

const done = (t: any) => t.status === 'succeeded' || t.status === 'failed';

test('param.speakers: malformed speakers are refused at create, naming the speaker and the fix', async () => {
  const img = await uploadFile(h, fixtureImage('two-portraits.jpg'));
  const aud = await uploadFile(h, fixtureAudio('dialogue-left.wav'));
  const base = { imageUrl: img.data.url, duration: 2 };
  const both = await h.create({ ...base, audioUrl: aud.data.url, speakers: [{ face: 0, audioUrl: aud.data.url }] });
  assert.equal(both.code, 1000);
  assert.match(both.message, /^param\.audioUrl: was given together with speakers/);
  const twice = await h.create({ ...base, speakers: [{ face: 1, audioUrl: aud.data.url }, { face: 1, audioUrl: aud.data.url }] });
  assert.equal(twice.code, 1107);
  assert.match(twice.message, /param\.speakers\[1\]\.face names face 1, which param\.speakers\[0\] already speaks for/);
  const noFace = await h.create({ ...base, speakers: [{ audioUrl: aud.data.url }] });
  assert.equal(noFace.code, 1000);
  assert.match(noFace.message, /^param\.speakers\[0\]\.face: is missing\. Give the face number \(0 = leftmost face\) or mark the face with facePoints/);
  const noSpeech = await h.create({ ...base, speakers: [{ face: 0 }] });
  assert.match(noSpeech.message, /^param\.speakers\[0\]\.audioUrl: is required/);
  const noVoice = await h.create({ ...base, speakers: [{ face: 0, text: 'Hello.' }] });
  assert.match(noVoice.message, /^param\.speakers\[0\]\.voice: is required with text/);
  const badVoice = await h.create({ ...base, speakers: [{ face: 0, text: 'Hello.', voice: 'nobody:none' }] });
  assert.equal(badVoice.code, 1503);
  const negative = await h.create({ ...base, speakers: [{ face: -1, audioUrl: aud.data.url }] });
  assert.match(negative.message, /^param\.speakers\.0\.face: /);
});

test('a face number the picture does not have fails the task, saying how many faces were found', async () => {
  const img = await uploadFile(h, fixtureImage('two-portraits.jpg'));
  const aud = await uploadFile(h, fixtureAudio('dialogue-left.wav'));
  const created = await h.create({ imageUrl: img.data.url, duration: 1, speakers: [{ face: 0, audioUrl: aud.data.url }, { face: 2, audioUrl: aud.data.url }] });
  assert.equal(created.code, 0, created.message);
  const t = await h.waitFor(created.data, done);
  assert.deepEqual([t.status, t.errorCode], ['failed', 1106]);
  assert.match(t.errorMessage, /speakers\[1\]\.face is 2, but 2 faces were found in the image \(numbered 0 to 1 from the left\) - give a face number below 2, or mark that face with facePoints/);
});

test('two faces, one uploaded track and one typed line: the video is made and the detail lists the faces and who says what', async () => {
  const img = await uploadFile(h, fixtureImage('two-portraits.jpg'));
  const aud = await uploadFile(h, fixtureAudio('dialogue-left.wav'));
  const speakers = [{ face: 0, audioUrl: aud.data.url }, { face: 1, text: 'Hello there.', voice: 'espeak:en-us' }];
  const created = await h.create({ imageUrl: img.data.url, duration: 2, speakers });
  assert.equal(created.code, 0, created.message);
  const t = await h.waitFor(created.data, done);
  assert.equal(t.status, 'succeeded', t.errorMessage);
  assert.equal(t.duration, 2);
  assert.deepEqual(t.faces.map((f: any) => [f.index, f.method]), [[0, 'facemesh'], [1, 'facemesh']]);
  assert.ok(t.faces[0].box.x + t.faces[0].box.width / 2 < 512 && t.faces[1].box.x + t.faces[1].box.width / 2 > 512, JSON.stringify(t.faces));
  assert.deepEqual(t.input.speakers.map((s: any) => [s.face, s.audioUrl, s.text, s.voice]), [[0, aud.data.url, null, null], [1, null, 'Hello there.', 'espeak:en-us']]);
  assert.equal(t.input.audioUrl, null);
  const video = await h.request('GET', new URL(t.videoUrl).pathname + new URL(t.videoUrl).search);
  assert.equal(video.status, 200);
});

test('the face check numbers every face from the left and names the one a single speech animates', async () => {
  const img = await uploadFile(h, fixtureImage('two-portraits.jpg'));
  const r = await h.request('POST', `${API}/face/detect`, { json: { imageUrl: img.data.url } });
  assert.equal(r.json.code, 0, r.json.message);
  const d = r.json.data;
  assert.deepEqual(d.faces.map((f: any) => f.index), [0, 1]);
  assert.ok(d.faces[0].box.x < d.faces[1].box.x);
  assert.equal(d.faces[0].method, 'facemesh');
  assert.ok(d.main === 0 || d.main === 1);
  assert.deepEqual(d.box, d.faces[d.main].box);
});

test('an avatar keeps every face of its picture: the avatar list numbers them, and a task with that avatarId names them as speakers without looking again', async () => {
  const img = await uploadFile(h, fixtureImage('two-portraits.jpg'));
  const aud = await uploadFile(h, fixtureAudio('dialogue-left.wav'));
  const aud2 = await uploadFile(h, fixtureAudio('dialogue-right.wav'));
  const first = await h.create({ imageUrl: img.data.url, duration: 1, isNewAvatar: true, speakers: [{ face: 0, audioUrl: aud.data.url }, { face: 1, audioUrl: aud2.data.url }] });
  assert.equal(first.code, 0, first.message);
  const made = await h.waitFor(first.data, done);
  assert.equal(made.status, 'succeeded', made.errorMessage);
  assert.ok(made.avatarId > 0);
  const avatar = (await h.request('GET', `${API}/avatar/list`)).json.data.items.find((a: any) => a.avatarId === made.avatarId);
  assert.deepEqual(avatar.faces, made.faces, 'the avatar lists the faces as the task that made it did');
  assert.deepEqual(avatar.faces.map((f: any) => [f.index, f.method]), [[0, 'facemesh'], [1, 'facemesh']]);
  // The speakers swapped, on the avatar alone (no imageUrl): its stored faces are used as numbered.
  const again = await h.create({ avatarId: made.avatarId, duration: 1, speakers: [{ face: 1, audioUrl: aud.data.url }, { face: 0, audioUrl: aud2.data.url }] });
  assert.equal(again.code, 0, again.message);
  const t = await h.waitFor(again.data, done);
  assert.equal(t.status, 'succeeded', t.errorMessage);
  assert.deepEqual(t.faces, made.faces);
  // Reading stored landmarks takes no time next to running the face model over the picture.
  assert.ok(t.timings.faceMs * 5 < made.timings.faceMs, `faces ${t.timings.faceMs} ms from the avatar vs ${made.timings.faceMs} ms detected`);
  const none = await h.create({ avatarId: made.avatarId, duration: 1, speakers: [{ face: 2, audioUrl: aud.data.url }] });
  const failed = await h.waitFor(none.data, done);
  assert.match(failed.errorMessage, /speakers\[0\]\.face is 2, but 2 faces were found/);
});
