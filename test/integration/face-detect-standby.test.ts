// A render process's detection thread made ready between renders (face-detect-once.ts): its models
// warmed on one picture, it answers the next picture exactly as a thread started for it does.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import type { RgbImage } from '../../src/core/types.js';
import { createOneShotFaceDetector, dropDetection, prepareDetection } from '../../src/worker/face-detect-once.js';
import { fixtureImage, ROOT } from '../helpers.js';

async function load(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

test('a detection thread warmed on another picture finds the same faces as one started for its picture; a warm-up that fails or a dropped thread change nothing', async () => {
  const [suit, shiba, warm] = await Promise.all([load(fixtureImage('photo-man-suit.png')), load(fixtureImage('animal-shiba-dog.jpg')), load(path.join(ROOT, 'assets', 'demo', 'portrait.jpg'))]);
  const detector = createOneShotFaceDetector();
  const cold = await detector.detect(suit);
  assert.equal(cold.length, 1);
  prepareDetection(warm);
  const warmed = await detector.detect(suit);
  assert.deepEqual(warmed, cold, 'the warmed thread answers as the cold one');
  // An animal is still told from a person by the warmed thread's object detector.
  prepareDetection(warm);
  const dog = await detector.detect(shiba);
  assert.ok(dog.length >= 1 && dog[0].animal === true, `shiba: ${JSON.stringify(dog.map((f) => ({ method: f.method, animal: f.animal })))}`);
  // A picture the models cannot read warms nothing and spoils nothing.
  prepareDetection({ data: new Uint8Array(3), width: 1, height: 1 });
  assert.deepEqual(await detector.detect(suit), cold);
  // A thread dropped before any detection ends unused; the next detection starts its own.
  prepareDetection(warm);
  dropDetection();
  assert.deepEqual(await detector.detect(suit), cold);
});
