// An animal's five points from its dark eyes and nose (analyze/face/animal-eyes.ts), on drawn cards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from '../../src/core/types.js';
import { animalFacePoints, meshMisfit } from '../../src/analyze/face/animal-eyes.js';
import { landmarksFromPoints } from '../../src/analyze/face/points.js';

const W = 300, H = 300;
type Disc = { x: number; y: number; r: number; rgb: readonly [number, number, number] };

/** Tan fur with the given discs drawn on it, and a little grain. */
function card(discs: readonly Disc[]): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const d = discs.find((c) => Math.hypot(x - c.x, y - c.y) < c.r);
    const g = (x * 7 + y * 13) % 11;
    data.set(d ? d.rgb : [200 + g, 150 + g, 100 + g], (y * W + x) * 3);
  }
  return { data, width: W, height: H };
}
const box = { x: 0, y: 0, width: W, height: H };
const dark = [20, 15, 12] as const;

test('two dark round eyes side by side and a dark nose below them give the eyes\' centres and a mouth under the nose', () => {
  const p = animalFacePoints(card([{ x: 90, y: 120, r: 14, rgb: dark }, { x: 210, y: 116, r: 14, rgb: dark }, { x: 150, y: 175, r: 26, rgb: dark }]), box);
  assert.ok(p, 'found');
  assert.ok(Math.hypot(p.leftEye.x - 90, p.leftEye.y - 120) < 3 && Math.hypot(p.rightEye.x - 210, p.rightEye.y - 116) < 3, JSON.stringify(p));
  const mouth = { x: (p.mouthLeft.x + p.mouthRight.x) / 2, y: (p.mouthLeft.y + p.mouthRight.y) / 2 };
  assert.ok(Math.abs(mouth.x - 150) < 6 && mouth.y > 175 && mouth.y < 260, `mouth at ${mouth.x.toFixed(0)},${mouth.y.toFixed(0)}`);
  // Square to the eyes' line, as wide as most of their distance.
  const tilt = Math.atan2(p.mouthRight.y - p.mouthLeft.y, p.mouthRight.x - p.mouthLeft.x), eyesTilt = Math.atan2(-4, 120);
  assert.ok(Math.abs(tilt - eyesTilt) < 0.02 && p.mouthRight.x - p.mouthLeft.x > 60, JSON.stringify(p));
});

test('no eyes and nose, no points: one dark blob, two eyes without a nose, eyes of very different sizes, a pale nose', () => {
  assert.equal(animalFacePoints(card([{ x: 150, y: 150, r: 30, rgb: dark }]), box), null);
  assert.equal(animalFacePoints(card([{ x: 90, y: 120, r: 14, rgb: dark }, { x: 210, y: 120, r: 14, rgb: dark }]), box), null);
  assert.equal(animalFacePoints(card([{ x: 90, y: 120, r: 6, rgb: dark }, { x: 210, y: 120, r: 22, rgb: dark }, { x: 150, y: 175, r: 26, rgb: dark }]), box), null);
  assert.equal(animalFacePoints(card([{ x: 90, y: 120, r: 14, rgb: dark }, { x: 210, y: 120, r: 14, rgb: dark }, { x: 150, y: 175, r: 20, rgb: [230, 150, 160] }]), box), null);
});

test('a mesh is measured against the dark eyes by its worse eye, as a share of their distance', () => {
  const eyes = { leftEye: { x: 100, y: 120 }, rightEye: { x: 200, y: 120 }, mouthLeft: { x: 120, y: 200 }, mouthRight: { x: 180, y: 200 } };
  assert.ok(meshMisfit(landmarksFromPoints(eyes), eyes) < 0.02);
  // One eye laid 40 px down, on the nose: 0.4 of the eyes' distance.
  const onNose = landmarksFromPoints({ ...eyes, rightEye: { x: 200, y: 160 } });
  assert.ok(Math.abs(meshMisfit(onNose, eyes) - 0.4) < 0.02, meshMisfit(onNose, eyes).toFixed(3));
});
