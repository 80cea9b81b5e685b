// The few-point face: the template bent onto marked points, the checks on the points, and the
// rig it gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFacePoints, faceSummary, landmarksFromPoints, LM, rigFromLandmarks, ROUND_EYES, roundEyeRadius, withRoundEyes } from '../../src/analyze/face/index.js';
import { FACE_TEMPLATE } from '../../src/analyze/face/template.js';
import { DhError } from '../../src/core/errors.js';
import type { FacePoints, Point } from '../../src/core/types.js';

const P = (x: number, y: number): Point => ({ x, y });
const CAT: FacePoints = { leftEye: P(414, 480), rightEye: P(630, 416), mouthLeft: P(540, 634), mouthRight: P(612, 626), chin: P(586, 690) };
const at = (pts: Float32Array, i: number) => P(pts[2 * i], pts[2 * i + 1]);
const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

test('the marked mouth corners and chin are where the landmarks put them', () => {
  const face = landmarksFromPoints(CAT);
  assert.equal(face.points.length, FACE_TEMPLATE.length);
  assert.equal(face.method, 'points');
  assert.ok(dist(at(face.points, LM.mouthCornerLeft), CAT.mouthLeft) < 1e-3);
  assert.ok(dist(at(face.points, LM.mouthCornerRight), CAT.mouthRight) < 1e-3);
  assert.ok(dist(at(face.points, LM.chin), CAT.chin!) < 1e-3);
  // The eye centres (means of the lid contours) land within a few percent of the eye distance.
  const s = faceSummary(face);
  assert.ok(dist(P(...s.points.leftEye), CAT.leftEye) < 0.03 * dist(CAT.leftEye, CAT.rightEye));
  assert.ok(dist(P(...s.points.rightEye), CAT.rightEye) < 0.03 * dist(CAT.leftEye, CAT.rightEye));
});

test('a face that is the template moved, turned and scaled comes back exactly (the spline is affine there)', () => {
  const k = 137, c = Math.cos(0.3), sn = Math.sin(0.3), t = P(400, 300);
  const map = (p: Point) => P(t.x + k * (c * p.x - sn * p.y), t.y + k * (sn * p.x + c * p.y));
  const tpl = (i: number) => P(FACE_TEMPLATE[2 * i], FACE_TEMPLATE[2 * i + 1]);
  const points: FacePoints = { leftEye: map(P(-0.5, 0)), rightEye: map(P(0.5, 0)), mouthLeft: map(tpl(LM.mouthCornerLeft)), mouthRight: map(tpl(LM.mouthCornerRight)) };
  const face = landmarksFromPoints(points);
  let worst = 0;
  // The inner lips are closed on purpose (checked below); every other point is the template's.
  const lips = new Set<number>([...LM.innerUpper, ...LM.innerLower]);
  for (let i = 0; i < FACE_TEMPLATE.length / 2; i++) if (!lips.has(i)) worst = Math.max(worst, dist(at(face.points, i), map(tpl(i))));
  assert.ok(worst < 0.01, `landmark off by ${worst.toFixed(4)} px`);
});

test('points that make no face are refused, naming the point and the fix', () => {
  const refused = (p: FacePoints, field: RegExp, w = 1080, h = 1439) => {
    try { checkFacePoints(p, w, h); } catch (err) {
      assert.ok(err instanceof DhError && err.code === 1000, String(err));
      assert.match(err.message, field);
      return;
    }
    assert.fail(`accepted ${JSON.stringify(p)}`);
  };
  checkFacePoints(CAT, 1080, 1439);
  refused({ ...CAT, leftEye: P(-5, 480) }, /^facePoints\.leftEye: \[-5, 480\] is outside the 1080x1439 image/);
  refused({ ...CAT, leftEye: CAT.rightEye, rightEye: CAT.leftEye }, /^facePoints\.leftEye: is right of rightEye.*swap/);
  refused({ ...CAT, mouthLeft: CAT.mouthRight, mouthRight: CAT.mouthLeft }, /^facePoints\.mouthLeft: is right of mouthRight/);
  refused({ ...CAT, mouthLeft: P(540, 380), mouthRight: P(612, 372) }, /^facePoints\.mouthLeft: the mouth is -?\d+ px below the eyes/);
  refused({ ...CAT, rightEye: P(416, 481) }, /^facePoints\.rightEye: is \d\.\d px from leftEye/);
  refused({ ...CAT, mouthRight: P(548, 633) }, /^facePoints\.mouthRight: the mouth is \d+ px wide/);
  refused({ ...CAT, chin: P(586, 560) }, /^facePoints\.chin: is not below the mouth/);
});

test('the rig from points: a closed mouth below the eyes, as wide as marked, with no drawn teeth', () => {
  const face = landmarksFromPoints(CAT);
  const rig = rigFromLandmarks(face.points, face.box, { teeth: false });
  const mouth = rig.mouth!;
  assert.ok(Math.abs(mouth.width - dist(CAT.mouthLeft, CAT.mouthRight)) < 0.5);
  assert.equal(mouth.teeth, false);
  for (const e of rig.eyes) assert.ok(e.center.y < mouth.center.y - 100, 'eyes above the mouth');
  // At rest the inner lips touch (the template's mouth is closed): the seam has no gap.
  for (let k = 0; k < mouth.upperInner.length; k++) assert.ok(mouth.lowerInner[k] - mouth.upperInner[k] < 0.06 * mouth.width, `gap at ${k}`);
  assert.ok(rig.head!.halfHeight > 0 && rig.head!.halfWidth > 0);
});

/** A light picture with a dark ellipse (semi-axes a, b) at (cx, cy). */
function eyePicture(a: number, b: number, cx = 100, cy = 100): { data: Uint8Array; width: number; height: number } {
  const width = 200, height = 200, data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 < 1;
      data.fill(inside ? 40 : 210, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { data, width, height };
}

test('round eyes: the rim of a round eye is found at its radius; flat or almond-shaped ones are left alone', () => {
  const r = roundEyeRadius(eyePicture(20, 20), P(100, 100), 150);
  assert.ok(r !== null && Math.abs(r - 20) <= 1.5, `radius ${r}`);
  assert.equal(roundEyeRadius({ data: new Uint8Array(200 * 200 * 3).fill(128), width: 200, height: 200 }, P(100, 100), 150), null, 'no rim');
  assert.equal(roundEyeRadius(eyePicture(30, 10), P(100, 100), 150), null, 'an almond eye is not round');
});

test('round eyes: a marked face\'s lids are laid on the round eye the picture shows, so a blink closes all of it', () => {
  const img = eyePicture(20, 20, 60, 100);
  // Two round eyes: the second drawn into the same picture.
  const two = eyePicture(20, 20, 140, 100);
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.min(img.data[i], two.data[i]);
  const face = landmarksFromPoints({ leftEye: P(60, 100), rightEye: P(140, 100), mouthLeft: P(85, 160), mouthRight: P(115, 160) });
  const round = withRoundEyes(face, img);
  const rig = rigFromLandmarks(round.points, round.box);
  for (const e of rig.eyes) {
    // The lids open over the whole disc: 2 x 20 px x the margin, not the template's almond.
    const open = Math.max(...Array.from(e.lowerLid, (v, k) => v - e.upperLid[k]));
    const across = 2 * 20 * ROUND_EYES.margin;
    assert.ok(open > 0.9 * across && open < 1.1 * across, `lids ${open.toFixed(1)} px apart`);
    assert.ok(Math.abs(e.width - across) < 2, `eye ${e.width.toFixed(1)} px wide`);
  }
  const human = rigFromLandmarks(face.points, face.box);
  assert.ok(Math.max(...Array.from(human.eyes[0].lowerLid, (v, k) => v - human.eyes[0].upperLid[k])) < 20, 'the template eye it replaces is an almond');
});
