import assert from 'node:assert/strict';
import { test } from 'node:test';
import { implausibleGeometry, measureFace } from '../../src/analyze/face/plausible.js';
import { landmarksFromPoints, quarterTurnsOf, turnFace, turnImage, undoTurns } from '../../src/analyze/face/index.js';
import type { FaceLandmarks, RgbImage } from '../../src/core/types.js';

const W = 400, H = 300;
/** A frontal face in a W x H picture, turned clockwise (as seen) by `quarter` quarter turns about the picture's centre. */
function faceTurned(quarter: number): FaceLandmarks {
  const up = landmarksFromPoints({ leftEye: { x: 160, y: 120 }, rightEye: { x: 240, y: 120 }, mouthLeft: { x: 170, y: 210 }, mouthRight: { x: 230, y: 210 }, chin: { x: 200, y: 270 } });
  const a = (quarter * Math.PI) / 2;
  const points = new Float32Array(up.points.length);
  for (let i = 0; i < points.length; i += 2) {
    const dx = up.points[i] - W / 2, dy = up.points[i + 1] - H / 2;
    points[i] = W / 2 + dx * Math.cos(a) - dy * Math.sin(a);
    points[i + 1] = H / 2 + dx * Math.sin(a) + dy * Math.cos(a);
  }
  return { ...up, points };
}

/** A picture whose every pixel holds its own coordinates (x in red, y in green, modulo 256). */
function coordinates(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) { data[(y * width + x) * 3] = x; data[(y * width + x) * 3 + 1] = y; }
  return { width, height, data };
}

test('a face on its side or upside down is a face (the whole picture is turned upright to render it); a diagonal one and a turned crop are not', () => {
  for (const q of [1, 2, 3]) assert.equal(implausibleGeometry(faceTurned(q)), null, `${q} quarter turns`);
  assert.match(implausibleGeometry(faceTurned(1), { x: 0, y: 0, width: W, height: H }) ?? '', /turned/);
  // 58 degrees: past maxRoll, and 32 from a quarter turn.
  assert.match(implausibleGeometry(faceTurned(0.65)) ?? '', /turned 5\d degrees/);
});

test('quarter turns bring the face upright, the points go with the pixels under them, and undoing them gives the face back', () => {
  assert.equal(quarterTurnsOf(faceTurned(0)), 0);
  const image = coordinates(W, H);
  for (const q of [1, 2, 3]) {
    const face = faceTurned(q);
    const turns = quarterTurnsOf(face);
    assert.notEqual(turns, 0, `${q}`);
    const picture = turnImage(image, turns);
    const upright = turnFace(face, turns, W, H);
    assert.ok(Math.abs(measureFace(upright).roll) < 1, `${q}: roll ${measureFace(upright).roll}`);
    assert.deepEqual([picture.width, picture.height], q === 2 ? [W, H] : [H, W]);
    // Each point's pixel in the turned picture is the pixel it lay on before.
    for (let i = 0; i < face.points.length; i += 2 * 37) {
      const x = Math.floor(face.points[i]), y = Math.floor(face.points[i + 1]);
      if (x < 0 || y < 0 || x >= W || y >= H) continue;
      const o = (Math.floor(upright.points[i + 1]) * picture.width + Math.floor(upright.points[i])) * 3;
      assert.ok(picture.data[o] === (x & 255) && picture.data[o + 1] === (y & 255), `${q}: point ${i / 2} at ${x},${y} reads ${picture.data[o]},${picture.data[o + 1]}`);
    }
    const back = turnFace(upright, undoTurns(turns), picture.width, picture.height);
    for (let i = 0; i < face.points.length; i++) assert.ok(Math.abs(back.points[i] - face.points[i]) < 1e-3);
    assert.ok(upright.box.x >= 0 && upright.box.y >= -1e-3 && upright.box.width > 0 && upright.box.height > 0);
  }
});
