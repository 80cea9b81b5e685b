import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EyeRig } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { lidFigures } from '../../src/eval-metrics/index.js';

const W = 100, H = 80;
const lid = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));
const eye: EyeRig = { center: { x: 50, y: 45 }, axis: { x: 1, y: 0 }, width: 40, upperLid: lid(-8), lowerLid: lid(7), iris: null };

/** Skin with a fine pattern everywhere; `over` paints the eye opening (y 38..50 around x 50). */
function frame(over: ((x: number, y: number) => [number, number, number]) | null): Uint8Array {
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const inEye = Math.abs(x - 50) < 14 && y > 37 && y < 51;
    const c: [number, number, number] = inEye && over ? over(x, y) : [200 + ((x * 3 + y) % 7), 150, 130];
    rgb.set(c, (y * W + x) * 3);
  }
  return rgb;
}

test('a lid of skin reads as the lid skin; a smear of lashes reads darker and browner', () => {
  const open = frame(() => [240, 240, 240]);
  const skin = lidFigures(frame(null), open, W, H, eye)!;
  assert.ok(Math.abs(skin.lumaRatio - 1) < 0.03, `skin lid luma ratio ${skin.lumaRatio}`);
  assert.ok(skin.colourDiff < 3);
  assert.ok(skin.textureRatio > 0.7 && skin.textureRatio < 1.4, `texture ratio ${skin.textureRatio}`);
  const smear = lidFigures(frame(() => [70, 45, 35]), open, W, H, eye)!;
  assert.ok(smear.lumaRatio < 0.4, `smear luma ratio ${smear.lumaRatio}`);
  assert.ok(smear.colourDiff > 100);
  // A flat fill has no texture at all.
  assert.ok(lidFigures(frame(() => [203, 150, 130]), open, W, H, eye)!.textureRatio < 0.1);
});

test("a drawing's lid may take any colour from the shade above the eye to the skin under it, and no darker", () => {
  // The socket shaded above the eye, the skin lit under it, each with a fine pattern.
  const scene = (over: [number, number, number] | null): Uint8Array => {
    const rgb = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const inEye = Math.abs(x - 50) < 14 && y > 37 && y < 51;
      const grain = (x * 3 + y) % 7;
      const c: [number, number, number] = inEye && over ? [over[0] + grain, over[1], over[2]] : y <= 45 ? [120 + grain, 80, 60] : [200 + grain, 150, 130];
      rgb.set(c, (y * W + x) * 3);
    }
    return rgb;
  };
  const open = scene([240, 240, 240]);
  const between = lidFigures(scene([160, 115, 95]), open, W, H, eye, { x: 0, y: 0 }, true)!;
  assert.ok(Math.abs(between.lumaRatio - 1) < 0.03 && between.colourDiff < 3, `lid between the two skins: ${JSON.stringify(between)}`);
  // Judged against the band above alone, as before, the same lid was far off.
  assert.ok(lidFigures(scene([160, 115, 95]), open, W, H, { ...eye, lowerLid: lid(7).map(() => 60) }, { x: 0, y: 0 }, true)!.colourDiff > 50);
  const smear = lidFigures(scene([70, 45, 35]), open, W, H, eye, { x: 0, y: 0 }, true)!;
  assert.ok(smear.lumaRatio < 0.7 && smear.colourDiff > 50, `smear: ${JSON.stringify(smear)}`);
  const white = lidFigures(scene([240, 240, 240]), open, W, H, eye, { x: 0, y: 0 }, true)!;
  assert.ok(white.colourDiff > 60, `white: ${JSON.stringify(white)}`);
});
