// The render evaluation on one short real render: real pipeline, ffmpeg, face-api and sharp.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { defaultPipelineDeps } from '../../src/adapters/index.js';
import { createFaceApiRecognizer } from '../../src/adapters/face-recognition.js';
import { descriptorDistance } from '../../src/eval-metrics/index.js';
import { renderVideo } from '../../src/pipeline/index.js';
import { writeContactSheet } from '../../eval/lib/contact-sheet.js';
import { measureVideo } from '../../eval/lib/measure-video.js';
import { fixtureAudio, fixtureImage, tempDir } from '../helpers.js';

const recognizer = createFaceApiRecognizer();

async function rgbOf(file: string) {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

test('face-api descriptors tell two people apart and find no face on a cat', async () => {
  const two = await rgbOf(fixtureImage('photo-two-people.jpg'));
  const faces = await recognizer.describe(two.rgb, two.width, two.height);
  assert.equal(faces.length, 2);
  assert.equal(faces[0].landmarks.length, 136);
  assert.equal(faces[0].descriptor.length, 128);
  assert.ok(descriptorDistance(faces[0].descriptor, faces[1].descriptor) > 0.6, 'different people fall over 0.6');
  const cat = await rgbOf(fixtureImage('animal-cat.jpg'));
  assert.deepEqual(await recognizer.describe(cat.rgb, cat.width, cat.height), []);
});

test('measures a 4 s render: same person, still background, moving mouth, key frames, contact sheet', async () => {
  const dir = tempDir();
  const image = fixtureImage('photo-woman-outdoors.jpg');
  const video = path.join(dir, 'out.mp4');
  const r = await renderVideo({ duration: 4, resizeMode: 'adaptive' }, { image, audio: fixtureAudio('en-speech-1.wav') }, defaultPipelineDeps(), { output: video });
  const rendered = { video, width: r.width, height: r.height, fps: r.fps, faceBox: r.faceBox };
  const m = await measureVideo(rendered, image, recognizer, { timelineFrames: 4 });

  assert.equal(m.frameCount, 100);
  assert.ok(m.sourceFace && m.frameFace && m.regions.fromLandmarks);
  assert.ok(m.identityMean !== null && m.identityMean < 0.45, `identity ${m.identityMean}`);
  const background = m.background.reduce((a, b) => a + b, 0) / m.background.length;
  assert.ok(background < 2, `background changed by ${background}`);
  assert.ok(Math.max(...m.aperture) > 0.1 * m.regions.mouthWidth, `mouth opened by only ${Math.max(...m.aperture)} px`);
  assert.ok(m.speech.filter(Boolean).length > 50, 'most of the clip is speech');
  assert.deepEqual(m.keyFrames.map((k) => k.why.split(' ')[0]), ['first', 'widest', 'most', m.blinks.length ? 'blink,' : 'no']);
  for (const k of m.keyFrames) assert.ok(m.frames.has(k.frame) && k.frame < m.frameCount);
  assert.equal(m.identity.length, new Set([...m.timeline, ...m.keyFrames.map((k) => k.frame)]).size);

  const sheet = path.join(dir, 'sheet.png');
  await writeContactSheet(sheet, 'test', rendered, m);
  const meta = await sharp(sheet).metadata();
  assert.equal(meta.format, 'png');
  assert.ok(meta.width! >= 4 * 400 && meta.height! > 600, `sheet is ${meta.width}x${meta.height}`);
});
