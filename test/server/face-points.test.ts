// Faces marked by hand through the API: checked at create, rendered, reported in the detail and
// kept with the avatar, so the avatar talks again without them; unmarked faceless pictures fail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { API, startHarness, uploadFile, type Harness } from './harness.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

const CAT = { leftEye: [414, 480], rightEye: [630, 416], mouthLeft: [540, 634], mouthRight: [612, 626], chin: [586, 690] };
const done = (t: any) => t.status === 'succeeded' || t.status === 'failed';

test('param.facePoints: malformed or impossible points are refused at create, naming the point', async () => {
  const img = await uploadFile(h, fixtureImage('animal-cat.jpg'));
  const aud = await uploadFile(h, fixtureAudio('zh-bus.wav'));
  const base = { imageUrl: img.data.url, audioUrl: aud.data.url, duration: 1 };
  const missing = await h.create({ ...base, facePoints: { leftEye: [1, 2] } });
  assert.equal(missing.code, 1000);
  assert.match(missing.message, /^param\.facePoints\.rightEye: is required/);
  const wrongType = await h.create({ ...base, facePoints: { ...CAT, chin: 'below' } });
  assert.match(wrongType.message, /^param\.facePoints\.chin: .*\[x, y\] in source-image pixels/);
  const swapped = await h.create({ ...base, facePoints: { ...CAT, leftEye: CAT.rightEye, rightEye: CAT.leftEye } });
  assert.equal(swapped.code, 1000);
  assert.match(swapped.message, /^param\.facePoints\.leftEye: is right of rightEye/);
  const outside = await h.create({ ...base, facePoints: { ...CAT, chin: [586, 9000] } });
  assert.equal(outside.code, 0, 'accepted at create: the picture is not decoded yet');
  const t = await h.waitFor(outside.data, done);
  assert.equal(t.errorCode, 1000);
  assert.match(t.errorMessage, /facePoints\.chin: \[586, 9000\] is outside the 1080x1439 image/);
});

test('a cat marked by points talks (whatever the detectors find), the detail reports how the face was found, and its avatar talks again without them', async () => {
  const img = await uploadFile(h, fixtureImage('animal-cat.jpg'));
  const aud = await uploadFile(h, fixtureAudio('zh-bus.wav'));
  // A picture with nothing face-like: refused, with how to mark the face.
  const wall = await uploadFile(h, await sharp({ create: { width: 640, height: 480, channels: 3, background: '#8a7f70' } }).png().toBuffer());
  const unmarked = await h.create({ imageUrl: wall.data.url, audioUrl: aud.data.url, duration: 1 });
  const refused = await h.waitFor(unmarked.data, done);
  assert.deepEqual([refused.status, refused.errorCode], ['failed', 1105]);
  assert.match(refused.errorMessage, /param\.facePoints/);

  const marked = await h.create({ imageUrl: img.data.url, audioUrl: aud.data.url, duration: 1, facePoints: CAT, style: 'animal', isNewAvatar: true });
  const t = await h.waitFor(marked.data, done);
  assert.equal(t.status, 'succeeded', t.errorMessage);
  assert.equal(t.faceFound, true);
  assert.equal(t.face.method, 'points');
  assert.deepEqual(t.face.points.mouthLeft, [540, 634]);
  assert.deepEqual(t.input.facePoints, CAT);
  assert.equal(t.input.style, 'animal');
  const avatars = await h.request('GET', `${API}/avatar/list`);
  const avatar = avatars.json.data.items.find((a: any) => a.avatarId === t.avatarId);
  assert.equal(avatar.face.method, 'points');

  const again = await h.create({ avatarId: t.avatarId, audioUrl: aud.data.url, duration: 1 });
  const t2 = await h.waitFor(again.data, done);
  assert.equal(t2.status, 'succeeded', t2.errorMessage);
  assert.equal(t2.face.method, 'points');
});
