// An eye the face mesh laid on the cheek is moved onto the iris the picture shows beside it
// (Pearl Earring's left eye); eyes already on their irises keep their landmarks exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eyeCentre, LM } from '../../src/analyze/face/landmarks.js';
import { landmarksFromPoints, withEyesOnIrises } from '../../src/analyze/face/index.js';
import type { FaceLandmarks, RgbImage } from '../../src/core/types.js';

/** A frontal face mesh, 100 px between the eyes, as the face model reports it. */
const mesh = (): FaceLandmarks => ({ ...landmarksFromPoints({ leftEye: { x: 200, y: 200 }, rightEye: { x: 300, y: 200 }, mouthLeft: { x: 210, y: 310 }, mouthRight: { x: 290, y: 310 }, chin: { x: 250, y: 390 } }), method: 'facemesh' });

/** Skin with an eye (white, a dark iris of radius 8) at each of `eyes`. */
function picture(eyes: { x: number; y: number }[]): RgbImage {
  const width = 500, height = 500, data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    let c = [215, 170, 150];
    for (const e of eyes) {
      if (((x - e.x) / 18) ** 2 + ((y - e.y) / 8) ** 2 <= 1) c = [235, 235, 230];
      if (Math.hypot(x - e.x, y - e.y) <= 8) c = [45, 35, 30];
    }
    data.set(c, (y * width + x) * 3);
  }
  return { width, height, data };
}

const centreOf = (f: FaceLandmarks, k: 0 | 1) => eyeCentre(f.points, LM.eyes[k]);

test('eyes on their irises keep the landmarks (the same face back)', () => {
  const face = mesh();
  const img = picture([{ x: face.points[2 * 473], y: face.points[2 * 473 + 1] }, { x: face.points[2 * 468], y: face.points[2 * 468 + 1] }]);
  assert.equal(withEyesOnIrises(face, img), face);
});

test('an eye laid on the cheek is moved onto the iris above it, lids and iris together; the other stays', () => {
  const face = mesh();
  // The image-left eye's iris is point 473 in this mesh (irises are matched to eyes by distance).
  const at = (f: FaceLandmarks, i: number) => ({ x: f.points[2 * i], y: f.points[2 * i + 1] });
  const real = { x: at(face, 473).x - 5, y: at(face, 473).y - 16 };
  // The picture's eye is 16 px higher and 5 px further out than the mesh put it.
  const img = picture([real, at(face, 468)]);
  const moved = withEyesOnIrises(face, img);
  assert.notEqual(moved, face);
  const iris = at(moved, 473);
  assert.ok(Math.hypot(iris.x - real.x, iris.y - real.y) <= 3, `iris ${iris.x.toFixed(1)},${iris.y.toFixed(1)} vs ${real.x.toFixed(1)},${real.y.toFixed(1)}`);
  const dc = { x: centreOf(moved, 0).x - centreOf(face, 0).x, y: centreOf(moved, 0).y - centreOf(face, 0).y };
  const di = { x: iris.x - at(face, 473).x, y: iris.y - at(face, 473).y };
  assert.ok(Math.abs(dc.x - di.x) < 1e-3 && Math.abs(dc.y - di.y) < 1e-3, 'the lids moved with the iris');
  const other = new Set<number>([...LM.eyes[1].upper, ...LM.eyes[1].lower, 468, 469, 470, 471, 472, LM.noseBase, LM.mouthCornerLeft]);
  for (const i of other) assert.equal(moved.points[2 * i], face.points[2 * i], `point ${i} stays`);
});

test('no iris near the eye, hair beside it, or a face not from the mesh: left alone', () => {
  const face = mesh();
  // A plain cheek with no eye anywhere near (a closed or hidden eye): nothing to move to.
  assert.equal(withEyesOnIrises(face, picture([centreOf(face, 1)])), face);
  // A dark band (hair, a shadow) above the eye is no iris.
  const img = picture([centreOf(face, 1)]);
  const y0 = Math.round(centreOf(face, 0).y - 30);
  for (let y = y0; y < y0 + 14; y++) for (let x = 0; x < 240; x++) img.data.set([40, 30, 25], (y * img.width + x) * 3);
  assert.equal(withEyesOnIrises(face, img), face);
  const real = centreOf(face, 0);
  const elsewhere = picture([{ x: real.x, y: real.y - 16 }, centreOf(face, 1)]);
  const points = { ...face, method: 'points' as const };
  assert.equal(withEyesOnIrises(points, elsewhere), points);
});
