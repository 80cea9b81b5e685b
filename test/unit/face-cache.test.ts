import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedFaceDetector } from '../../src/adapters/face-cache.js';
import type { FaceLandmarks, RgbImage } from '../../src/core/types.js';

test('face analysis is cached per image content, least recently used first out', async () => {
  let calls = 0;
  const inner = { detect: async (img: RgbImage): Promise<FaceLandmarks[]> => { calls++; return [{ points: new Float32Array(2), box: { x: img.data[0], y: 0, width: 1, height: 1 }, score: 1 }]; } };
  const cached = cachedFaceDetector(inner, 2);
  const img = (v: number): RgbImage => ({ data: new Uint8Array(12).fill(v), width: 2, height: 2 });
  assert.equal((await cached.detect(img(1)))[0].box.x, 1);
  assert.equal((await cached.detect(img(1)))[0].box.x, 1);
  assert.equal(calls, 1);
  await cached.detect(img(2));
  await cached.detect(img(1));
  await cached.detect(img(3));
  assert.equal(calls, 3);
  await cached.detect(img(1));
  assert.equal(calls, 3, 'recently used entry was evicted');
  await cached.detect(img(2));
  assert.equal(calls, 4, 'least recently used entry was kept');
});
