import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faceImplausibility, implausibleGeometry } from '../../src/analyze/face/plausible.js';
import { landmarksFromPoints, LM } from '../../src/analyze/face/index.js';
import { catFacePoints } from '../../src/analyze/face/cat.js';
import { sampleView, sourceToView, viewToSource } from '../../src/analyze/face/view.js';
import { groupBoxes } from '../../src/adapters/cat-cascade.js';
import type { FaceLandmarks, RgbImage } from '../../src/core/types.js';

/** A frontal human face, 100 px between the eyes, as a mesh. */
const good = (): FaceLandmarks => landmarksFromPoints({ leftEye: { x: 200, y: 200 }, rightEye: { x: 300, y: 200 }, mouthLeft: { x: 210, y: 310 }, mouthRight: { x: 290, y: 310 }, chin: { x: 250, y: 390 } });

function remap(face: FaceLandmarks, f: (x: number, y: number, i: number) => [number, number]): FaceLandmarks {
  const points = new Float32Array(face.points.length);
  for (let i = 0; i < points.length; i += 2) [points[i], points[i + 1]] = f(face.points[i], face.points[i + 1], i / 2);
  return { ...face, points };
}

test('a frontal face mesh is plausible, also tilted by 25 degrees', () => {
  assert.equal(implausibleGeometry(good()), null);
  const a = (25 * Math.PI) / 180;
  assert.equal(implausibleGeometry(remap(good(), (x, y) => [250 + (x - 250) * Math.cos(a) - (y - 250) * Math.sin(a), 250 + (x - 250) * Math.sin(a) + (y - 250) * Math.cos(a)])), null);
});

test('meshes fitted to fur or fabric are rejected, each for its reason', () => {
  // Upside down: the eyes below the mouth.
  assert.match(implausibleGeometry(remap(good(), (x, y) => [x, 500 - y])) ?? '', /turned|mouth/);
  // One eye moved far off.
  const eyeIdx = new Set<number>([...LM.eyes[1].upper, ...LM.eyes[1].lower]);
  assert.notEqual(implausibleGeometry(remap(good(), (x, y, i) => (eyeIdx.has(i) ? [x + 150, y - 60] : [x, y]))), null);
  // Squeezed into a line.
  assert.notEqual(implausibleGeometry(remap(good(), (x, y) => [x, 250 + (y - 250) * 0.05])), null);
  // Stretched sideways: the mouth as wide as two eye distances is not a face either.
  assert.notEqual(implausibleGeometry(remap(good(), (x, y) => [250 + (x - 250) * 3, y])), null);
  // Outside the region it was looked for in.
  assert.match(implausibleGeometry(good(), { x: 400, y: 400, width: 100, height: 100 }) ?? '', /outside/);
  assert.equal(implausibleGeometry(good(), { x: 100, y: 100, width: 300, height: 300 }), null);
});

function paint(eyes: boolean): RgbImage {
  const w = 500, h = 500, data = new Uint8Array(w * h * 3).fill(200);
  if (eyes) {
    for (const [cx, cy] of [[200, 200], [300, 200]]) {
      for (let y = cy - 12; y <= cy + 12; y++) for (let x = cx - 12; x <= cx + 12; x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 < 100) data.fill(30, (y * w + x) * 3, (y * w + x) * 3 + 3);
      }
    }
  }
  return { data, width: w, height: h };
}

test('image evidence: eyes must stand out from the cheeks', () => {
  assert.equal(faceImplausibility(good(), paint(true)), null);
  assert.match(faceImplausibility(good(), paint(false)) ?? '', /plain/);
});

test('views map points there and back, and sample the turned picture', () => {
  const spec = { center: { x: 120, y: 80 }, side: 100, angle: 30, size: 50 };
  const p = { x: 133, y: 61 };
  const q = viewToSource(spec, sourceToView(spec, p));
  assert.ok(Math.abs(q.x - p.x) < 1e-9 && Math.abs(q.y - p.y) < 1e-9);
  // A bright pixel at the window centre lands in the middle of the view; outside is grey.
  const img: RgbImage = { data: new Uint8Array(200 * 160 * 3), width: 200, height: 160 };
  img.data.fill(255, (80 * 200 + 120) * 3, (80 * 200 + 120) * 3 + 3);
  const v = sampleView(img, { ...spec, side: 4, size: 4 });
  assert.ok(v.data[(2 * 4 + 2) * 3] > 0 || v.data[(1 * 4 + 1) * 3] > 0);
  const far = sampleView(img, { center: { x: -500, y: -500 }, side: 10, angle: 0, size: 2 });
  assert.deepEqual([...far.data], new Array(12).fill(128));
});

test('cat points from a cascade box: eyes level above a narrow mouth, turned with the box', () => {
  const p = catFacePoints({ center: { x: 500, y: 500 }, side: 200, angle: 0 });
  assert.deepEqual([p.leftEye.x, p.leftEye.y, p.rightEye.x, p.mouthLeft.y].map(Math.round), [458, 484, 542, 556]);
  // The fixture cat's box (animal-cat.jpg): the points land on its eyes and mouth (measured by hand).
  const cat = catFacePoints({ center: { x: 532, y: 488 }, side: 526, angle: 18 });
  const near = (a: { x: number; y: number }, x: number, y: number, tol: number) => assert.ok(Math.hypot(a.x - x, a.y - y) < tol, `${a.x},${a.y} vs ${x},${y}`);
  near(cat.leftEye, 414, 480, 25);
  near(cat.rightEye, 630, 416, 25);
  near({ x: (cat.mouthLeft.x + cat.mouthRight.x) / 2, y: (cat.mouthLeft.y + cat.mouthRight.y) / 2 }, 576, 630, 25);
});

test('cascade boxes from several runs merge into one face with a hit count', () => {
  const g = groupBoxes([
    { center: { x: 100, y: 100 }, side: 90, angle: 12 },
    { center: { x: 110, y: 95 }, side: 100, angle: 24 },
    { center: { x: 400, y: 100 }, side: 90, angle: 0 },
  ]);
  assert.equal(g.length, 2);
  assert.equal(g[0].hits, 2);
  assert.equal(g[0].angle, 18);
});
