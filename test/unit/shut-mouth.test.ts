// A face whose mouth is pressed shut (a listener) is drawn from the picture with that mouth baked
// in (render/shut-mouth.ts): the same frame as the full pass while the head is still, within a
// level or two at the lip line while it moves, and whatever frame came before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FaceRig, FrameParams, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { createFrameRenderer } from '../../src/render/index.js';
import { isShut } from '../../src/render/shut-mouth.js';

const W = 240, H = 220;

/** Skin with a smooth texture (as a photo's at this scale) and a dark open mouth (lips apart: the shut warp is far from the identity). */
function card(): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      const lips = Math.abs(y - 100) < 7 && Math.abs(x - 120) < 30, gap = Math.abs(y - 100) < 3 && Math.abs(x - 120) < 26;
      const t = 15 * Math.sin(x / 5) + 10 * Math.cos(y / 4);
      data[i] = gap ? 30 : lips ? 150 + t : 190 + t;
      data[i + 1] = gap ? 20 : lips ? 60 + t : 150 + t;
      data[i + 2] = gap ? 20 : lips ? 70 : 130 + t;
    }
  }
  return { data, width: W, height: H };
}

const lid = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));
const eye = (x: number) => ({ center: { x, y: 60 }, axis: { x: 1, y: 0 }, width: 24, upperLid: lid(-5), lowerLid: lid(4), iris: { u: 0, v: 0, radius: 4 } });
const rig: FaceRig = {
  faceBox: { x: 60, y: 20, width: 120, height: 130 },
  mouth: {
    center: { x: 120, y: 100 }, axis: { x: 1, y: 0 }, width: 60, seam: new Float32Array(PROFILE_SAMPLES),
    upperInner: lid(-3), lowerInner: lid(3), lipTop: -7, lipBottom: 7, chinDepth: 40, noseHeight: 20, jawHalfWidth: 50,
  },
  eyes: [eye(95), eye(145)],
  head: { center: { x: 120, y: 80 }, axis: { x: 1, y: 0 }, halfWidth: 60, halfHeight: 75, pivot: { x: 120, y: 180 }, chin: { x: 120, y: 140 } },
};

const shut: FrameParams = { jaw: 0, lipPress: 1, blinkLeft: 0.4, blinkRight: 0.4, gazeX: 0.5, browRaise: 0.3 };
const moving: FrameParams = { ...shut, headYaw: 3.3, headPitch: -1.7, headRoll: 1.1, breath: 0.6 };

function render(bake: boolean, frames: readonly FrameParams[]): Uint8Array[] {
  const r = createFrameRenderer(card(), rig, [], undefined, { bakeShutMouth: bake });
  return frames.map((p) => { const out = r.newFrame(); r.renderInto(out, p); return out; });
}

test('isShut: pressed lips, no jaw and no other articulation; the smile may be anything', () => {
  assert.equal(isShut(shut), true);
  assert.equal(isShut({ ...shut, smile: 0.7 }), true);
  assert.equal(isShut({ ...shut, jaw: 0.01 }), false);
  assert.equal(isShut({ ...shut, lipPress: 0.9 }), false);
  assert.equal(isShut({ ...shut, lipRound: 0.2 }), false);
  assert.equal(isShut({ jaw: 0, blinkLeft: 0, blinkRight: 0 }), false);
});

test('a shut mouth drawn from the baked picture: the full pass byte for byte while the head is still', () => {
  const frames = [shut, { ...shut, smile: 0.6, blinkLeft: 1, blinkRight: 0.8, gazeX: -0.7 }, shut];
  const [full, baked] = [render(false, frames), render(true, frames)];
  frames.forEach((_, i) => assert.deepEqual(baked[i], full[i], `frame ${i}`));
  // The shut mouth is not the source's open one: the bake did draw the warp.
  const src = render(false, [{ jaw: 0, blinkLeft: 0, blinkRight: 0, lipPress: 0 }])[0];
  assert.notDeepEqual(full[0].subarray(90 * W, 110 * W), src.subarray(90 * W, 110 * W));
});

test('while the head moves the baked shut mouth differs from the full pass only by resampling', () => {
  const [full] = render(false, [moving]), [baked] = render(true, [moving]);
  let se = 0, big = 0, n = 0, max = 0;
  for (let y = 40; y < 180; y++) {
    for (let x = 50; x < 190; x++) {
      const d = full[y * W + x] - baked[y * W + x];
      se += d * d; n++; max = Math.max(max, Math.abs(d));
      if (Math.abs(d) > 2) big++;
    }
  }
  const psnr = 10 * Math.log10((255 * 255) / (se / n));
  assert.ok(max > 0, 'the moving head resamples the baked picture: not byte-identical');
  assert.ok(psnr > 40, `luma PSNR ${psnr.toFixed(1)} dB over the face`);
  console.log(`moving head: luma PSNR ${psnr.toFixed(1)} dB, max |diff| ${max}, ${big} of ${n} pixels differ by more than 2 levels`);
  assert.ok(big / n < 0.02, `${big} of ${n} pixels differ by more than 2 levels`);
});

test('frames that are not shut are the full pass whatever was baked before, and the bake follows the smile', () => {
  const talking: FrameParams = { jaw: 0.7, lipPress: 0, blinkLeft: 0, blinkRight: 0, headYaw: 2 };
  const order = [shut, talking, { ...moving, smile: 0.5 }, moving, talking, shut];
  const [full, baked] = [render(false, order), render(true, order)];
  assert.deepEqual(baked[1], full[1]);
  assert.deepEqual(baked[4], full[4]);
  assert.deepEqual(baked[5], full[5]);
  // Each frame is the same whichever frames its renderer drew before (threads render in any order).
  const alone = order.map((p) => render(true, [p])[0]);
  order.forEach((_, i) => assert.deepEqual(baked[i], alone[i], `frame ${i}`));
});
