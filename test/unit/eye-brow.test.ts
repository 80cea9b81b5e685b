import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EyeRig, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { EYE } from '../../src/render/eye-config.js';
import { prepareEye, updateEyeInPlace } from '../../src/render/eyes.js';
import { drawn, luma } from './eye-drawn.js';

// A synthetic human eye under a low brow (a squint, a heavy brow): skin, a dark brow band whose
// lower edge is BROW px above the eye's centre line, inside the band the lid's skin would
// otherwise start from (EYE.skinAbove x the eye's width above the lid), lashes at the lid line.
const W = 120, H = 100, EW = 40, BROW = 15;
const lid = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));
const rig: EyeRig = { center: { x: 60, y: 55 }, axis: { x: 1, y: 0 }, width: EW, upperLid: lid(-8), lowerLid: lid(7), iris: null };
const SKIN: [number, number, number] = [205, 160, 140];
const BROW_HAIR: [number, number, number] = [60, 45, 40];

function eyeUnderBrow(browThickness: number): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = x - 60, v = y - 55;
      const s = Math.abs(u) < EW / 2 ? Math.sin(Math.PI * (u / EW + 0.5)) : 0;
      const up = -8 * s, low = 7 * s;
      let c = SKIN;
      if (Math.abs(u) < EW / 2 && v > up && v < low) c = Math.hypot(u, v) < 7 ? [50, 35, 25] : [232, 230, 228];
      else if (Math.abs(u) < EW / 2 && v <= up && v > up - 3) c = [35, 25, 25];
      else if (Math.abs(u) < EW / 2 + 8 && v <= -BROW && v > -BROW - browThickness) c = BROW_HAIR;
      data.set(c, (y * W + x) * 3);
    }
  }
  return { data, width: W, height: H };
}

test('a brow reaching into the band above the lid: the lid skin starts below it, and the shut lid leaves the brow as it is', () => {
  const defaultTop = -8 - EYE.skinAbove * EW;
  assert.ok(defaultTop < -BROW - 2, 'the brow must lie inside the default band for this test');
  const img = eyeUnderBrow(10);
  const w = prepareEye(img, rig);
  assert.ok(Math.abs(w.vTop - -BROW) <= 1, `the lid skin starts at ${w.vTop.toFixed(1)}, the brow's lower edge is at ${-BROW}`);
  updateEyeInPlace(w, 1, 0, 0);
  const hair = luma(...BROW_HAIR);
  for (const x of [50, 60, 70]) {
    for (const y of [55 - BROW - 2, 55 - BROW - 5]) assert.ok(Math.abs(drawn(img, w, x, y) - hair) < 1, `brow pixel ${x},${y} drawn ${drawn(img, w, x, y).toFixed(0)}, picture ${hair.toFixed(0)}`);
  }
});

test('a thin dark line there (a crease, a liner\'s edge) is no brow: the lid skin starts where it did', () => {
  const w = prepareEye(eyeUnderBrow(2), rig);
  assert.ok(Math.abs(w.vTop - (-8 - EYE.skinAbove * EW)) < 1e-9, `the lid skin starts at ${w.vTop.toFixed(1)}`);
});
