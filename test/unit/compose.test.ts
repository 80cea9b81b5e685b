// Several faces in one frame: each face's renderer draws its own region into the same buffer,
// so each half of a two-face picture is exactly what that face's renderer alone makes of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FaceRig, FrameParams, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { createFrameRenderer } from '../../src/render/index.js';
import { createComposedRenderer } from '../../src/render/compose.js';

const W = 480, H = 220, HALF = 240;

/** Two textured cards side by side, each with a dark lip line at y = 100. */
function twoCards(): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3, lx = x % HALF;
      const lip = Math.abs(y - 100) < 2 && Math.abs(lx - 120) < 30;
      data[i] = lip ? 90 : 180 + ((x * 7) % 40);
      data[i + 1] = lip ? 40 : 140 + ((y * 5) % 40);
      data[i + 2] = lip ? 40 : 120 + (x >= HALF ? 30 : 0);
    }
  }
  return { data, width: W, height: H };
}

const flat = (v: number) => new Float32Array(PROFILE_SAMPLES).fill(v);
const lid = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));

function rig(dx: number): FaceRig {
  const eye = (x: number) => ({ center: { x: x + dx, y: 60 }, axis: { x: 1, y: 0 }, width: 24, upperLid: lid(-5), lowerLid: lid(4), iris: { u: 0, v: 0, radius: 4 } });
  return {
    faceBox: { x: 60 + dx, y: 20, width: 120, height: 130 },
    mouth: {
      center: { x: 120 + dx, y: 100 }, axis: { x: 1, y: 0 }, width: 60, seam: flat(0),
      upperInner: flat(0), lowerInner: flat(0), lipTop: -6, lipBottom: 7, chinDepth: 40, noseHeight: 20, jawHalfWidth: 50,
    },
    eyes: [eye(95), eye(145)],
    head: { center: { x: 120 + dx, y: 80 }, axis: { x: 1, y: 0 }, halfWidth: 50, halfHeight: 70, pivot: { x: 120 + dx, y: 170 }, chin: { x: 120 + dx, y: 140 } },
  };
}

const talking: FrameParams = { jaw: 0.8, blinkLeft: 0, blinkRight: 0, headYaw: 2, headPitch: 1, gazeX: 0.3 };
const listening: FrameParams = { jaw: 0, blinkLeft: 1, blinkRight: 1, headYaw: -3, gazeX: -0.6 };

/** Luma rows of the frame within columns [x0, x1). */
const lumaCols = (f: Uint8Array, x0: number, x1: number) => Array.from({ length: H }, (_, y) => Array.from(f.subarray(y * W + x0, y * W + x1)));

test('two faces drawn in one pass: each half is what its own renderer makes, whatever the other face does', () => {
  const base = twoCards();
  const a = rig(0), b = rig(HALF);
  const group = createComposedRenderer(base, [a, b]);
  assert.equal(group.regions.length, 2);
  // The regions (head, shoulders) may overlap; where a renderer moves nothing it writes nothing.
  const both = group.newFrame();
  group.renderInto(both, [talking, listening]);
  const alone = (r: FaceRig, p: FrameParams) => { const one = createFrameRenderer(base, r); const f = one.newFrame(); one.renderInto(f, p); return f; };
  const left = alone(a, talking), right = alone(b, listening);
  assert.deepEqual(lumaCols(both, 0, HALF), lumaCols(left, 0, HALF));
  assert.deepEqual(lumaCols(both, HALF, W), lumaCols(right, HALF, W));
  // And the two faces really differ from the still picture: both are animated.
  const still = group.newFrame();
  assert.notDeepEqual(lumaCols(both, 0, HALF), lumaCols(still, 0, HALF));
  assert.notDeepEqual(lumaCols(both, HALF, W), lumaCols(still, HALF, W));
});
