import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from '../../src/core/types.js';
import { EYE } from '../../src/render/eye-config.js';
import { updateEyeInPlace } from '../../src/render/eyes.js';
import { prepareEye } from '../../src/render/eye-prepare.js';
import { drawn, luma, SYNTHETIC, syntheticEye, syntheticRig } from './eye-drawn.js';

// A synthetic human eye under a low brow (a squint, a heavy brow): skin, a dark brow band whose
// lower edge is BROW px above the eye's centre line, inside the band the lid's skin would
// otherwise start from (EYE.skinAbove x the eye's width above the lid), lashes at the lid line.
const { EW } = SYNTHETIC, BROW = 15;
const rig = syntheticRig;
const BROW_HAIR: [number, number, number] = [60, 45, 40];

const eyeUnderBrow = (thickness: number): RgbImage => syntheticEye((u, v) => (Math.abs(u) < EW / 2 + 8 && v <= -BROW && v > -BROW - thickness ? BROW_HAIR : null));

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
