import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FaceRig, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { EYE } from '../../src/render/eye-config.js';
import { updateEyeInPlace } from '../../src/render/eyes.js';
import { prepareEye } from '../../src/render/eye-prepare.js';
import { drawn, luma, SYNTHETIC, syntheticEye, syntheticRig } from './eye-drawn.js';
import { profileAt } from '../../src/render/sample.js';
import { createFrameRenderer } from '../../src/render/index.js';
import { JS_KERNELS, renderKernels } from '../../src/render/kernels.js';

// A synthetic human eye whose upper lid has a crease: skin, a 2 px darker crease line CREASE px
// above the upper lid line (following its curve), skin below it (the tarsal skin that shows),
// a 3 px band of dark lashes at the lid line, a white eye with a dark iris.
const { W, EW } = SYNTHETIC, CREASE = 10;
const rig = syntheticRig;
const SKIN = SYNTHETIC.skin;
const FOLD: [number, number, number] = [150, 110, 95];

const creasedEye = (): RgbImage => syntheticEye((u, v, up) => (Math.abs(u) < EW / 2 + 4 && v <= up - CREASE + 1 && v > up - CREASE - 1 ? FOLD : null));


/** The darkest row (0.25 px steps, as y) of column x between y0 and y1, and its luma. */
function darkest(img: RgbImage, w: ReturnType<typeof prepareEye>, x: number, y0: number, y1: number): { y: number; l: number } {
  let best = { y: y0, l: Infinity };
  for (let y = y0; y <= y1; y += 0.25) { const l = drawn(img, w, x, y); if (l < best.l) best = { y, l }; }
  return best;
}

test('the crease is found in the picture, above the lashes', () => {
  const w = prepareEye(creasedEye(), rig);
  const mid = (PROFILE_SAMPLES - 1) / 2;
  assert.ok(Math.abs(w.creaseHeight[mid] - CREASE) <= 1.5, `crease ${w.creaseHeight[mid].toFixed(1)} px above the lid line, drawn ${CREASE}`);
  assert.ok(w.creaseDepth[mid] > 20, `crease depth ${w.creaseDepth[mid].toFixed(0)} levels`);
  assert.equal(w.creaseHold[mid], 1);
});

test('mid-blink the crease folds: lower than in the picture, by less than the lid edge has come down', () => {
  const img = creasedEye();
  const w = prepareEye(img, rig);
  updateEyeInPlace(w, 0.5, 0, 0);
  const r = w.rig, up = profileAt(r.upperLid, r.width, 0), low = profileAt(r.lowerLid, r.width, 0);
  const edge = up + 0.5 * EYE.closeReach * (low - up);
  const cy = r.center.y;
  const source = cy + up - CREASE;
  // Between the brow-side skin and a few px above the (dark) lash line at the edge.
  const fold = darkest(img, w, 60, cy + w.vTop + 1, cy + edge - 3);
  const skin = luma(...SKIN);
  assert.ok(fold.l < skin - 10, `a crease line mid-blink (${fold.l.toFixed(0)} vs skin ${skin.toFixed(0)})`);
  const moved = fold.y - source, edgeMoved = edge - up;
  assert.ok(moved >= 0.5, `the crease moved down ${moved.toFixed(2)} px`);
  assert.ok(moved < 0.6 * edgeMoved, `the crease moved ${moved.toFixed(2)} px, the lid edge ${edgeMoved.toFixed(2)} px`);
});

test('a third into a blink the crease is one line at the fold: its shadow does not travel down with the lashes as a second line', () => {
  const img = creasedEye();
  const w = prepareEye(img, rig);
  const skin = luma(...SKIN), cy = w.rig.center.y;
  for (const blink of [0.2, 0.3, 0.4]) {
    updateEyeInPlace(w, blink, 0, 0);
    const up = profileAt(w.rig.upperLid, w.rig.width, 0), low = profileAt(w.rig.lowerLid, w.rig.width, 0);
    const edge = up + blink * EYE.closeReach * (low - up);
    // Dark runs down the lid's middle, from under the brow to just above the lash line at its edge.
    const runs: number[] = [];
    let inRun = false;
    for (let y = cy + w.vTop + 1; y < cy + edge - 3; y += 0.25) {
      const dark = drawn(img, w, 60, y) < skin - 15;
      if (dark && !inRun) runs.push(y);
      inRun = dark;
    }
    assert.equal(runs.length, 1, `blink ${blink}: dark lines on the lid start at y ${runs.map((y) => y.toFixed(2)).join(', ')}`);
  }
});

test('eye shadow reaching above the crease is covered as the fold opens: mid-blink no dark band is left along the fold', () => {
  // The creased eye with its crease 5 px above the lid line and a shadow (make-up, the socket's)
  // from the lashes up past the crease: lighter than the crease, darker than the skin, so it is
  // part of the dark band over the lid, and its part above the crease is squeezed into the fold.
  const SHADOW: [number, number, number] = [178, 132, 116];
  const img = syntheticEye((u, v, up) => {
    if (Math.abs(u) >= EW / 2 + 4) return null;
    if (v <= up - 5 + 1 && v > up - 5 - 1) return FOLD;
    return v <= up && v > up - 8 ? SHADOW : null;
  });
  const w = prepareEye(img, rig);
  const skin = luma(...SKIN), cy = w.rig.center.y;
  for (const blink of [0.5, 0.6]) {
    updateEyeInPlace(w, blink, 0, 0);
    const up = profileAt(w.rig.upperLid, w.rig.width, 0), low = profileAt(w.rig.lowerLid, w.rig.width, 0);
    const edge = up + blink * EYE.closeReach * (low - up);
    // Between the brow-side skin and the lash line, only the fold's own line is dark: covered
    // only as far as the lid had travelled, the squeezed shadow beside it made the line 2 px
    // thick or more (a pencil line round a pale dome on a photo).
    let darkRows = 0;
    for (let y = cy + w.vTop + 1; y < cy + edge - 3; y += 0.25) if (drawn(img, w, 60, y) < skin - 12) darkRows += 0.25;
    assert.ok(darkRows <= 1.5, `blink ${blink}: ${darkRows} px of dark rows along the fold`);
  }
});

test('shut, the lid shows a faint crease line across its middle, not the picture\'s crease shadow', () => {
  const img = creasedEye();
  const w = prepareEye(img, rig);
  updateEyeInPlace(w, 1, 0, 0);
  const r = w.rig, cy = r.center.y;
  const up = profileAt(r.upperLid, r.width, 0), low = profileAt(r.lowerLid, r.width, 0);
  const skin = luma(...SKIN);
  // Expected: CREASE above the lid line, moved down creaseTravel of the edge's travel.
  const at = cy + up - CREASE + EYE.creaseTravel * EYE.closeReach * (low - up);
  const line = darkest(img, w, 60, at - 3, at + 3);
  const around = (drawn(img, w, 60, line.y - 3) + drawn(img, w, 60, line.y + 3)) / 2;
  const depth = around - line.l;
  assert.ok(depth >= 3, `the shut lid's crease is ${depth.toFixed(1)} levels darker than the lid round it`);
  assert.ok(depth <= 20, `the shut lid's crease is ${depth.toFixed(1)} levels darker: a faint line, not the picture's crease (${(skin - luma(...FOLD)).toFixed(0)})`);
  // Not the picture's crease shadow anywhere on the lid above the fold: skin there.
  for (let y = Math.ceil(cy + w.vTop + 0.5 * (at - cy - w.vTop)); y < line.y - 2; y++) {
    const l = drawn(img, w, 60, y);
    assert.ok(l > 0.85 * skin, `(60, ${y}) luma ${l.toFixed(0)} on the lid above the fold`);
  }
});

test('an eye without a crease does not fold: no line at the lashes or the brow, skin over the eye', () => {
  // The plain eye: skin and lashes only.
  const img = creasedEye();
  for (let i = 0; i < img.data.length; i += 3) if (img.data[i] === FOLD[0] && img.data[i + 1] === FOLD[1]) img.data.set(SKIN, i);
  const w = prepareEye(img, rig);
  const mid = (PROFILE_SAMPLES - 1) / 2;
  assert.equal(w.creaseHold[mid], EYE.creaseNone);
  assert.ok(w.creaseDepth[mid] === 0, 'no crease depth of its own');
  updateEyeInPlace(w, 1, 0, 0);
  const cy = w.rig.center.y, skin = luma(...SKIN);
  const edge = profileAt(w.rig.upperLid, w.rig.width, 0) + EYE.closeReach * (profileAt(w.rig.lowerLid, w.rig.width, 0) - profileAt(w.rig.upperLid, w.rig.width, 0));
  for (let y = Math.ceil(cy + w.vTop); y < cy + edge - 3; y++) {
    const l = drawn(img, w, 60, y);
    assert.ok(l > 0.85 * skin, `(60, ${y}) luma ${l.toFixed(0)}: skin`);
  }
});

test('an animal\'s or a drawing\'s lid does not fold: it unfolds as one sheet, as before', () => {
  const img = creasedEye();
  const w = prepareEye(img, rig, { darkEyes: true });
  assert.equal(w.creaseHeight.length, 0);
  assert.equal(w.creaseHold.length, 0);
});

test('the shut lid\'s lash line runs smoothly down to the lid\'s middle: drawn from three rows per pixel, it does not step from row to row', () => {
  const img = creasedEye();
  const face: FaceRig = { faceBox: { x: 20, y: 20, width: 80, height: 80 }, mouth: null, eyes: [rig], head: null };
  for (const kernels of [JS_KERNELS, renderKernels()]) {
    const r = createFrameRenderer(img, face, [], kernels);
    const out = r.newFrame();
    r.renderInto(out, { jaw: 0, blinkLeft: 1, blinkRight: 1 });
    // The lash line's height in each column from a quarter of the eye in to its middle: the
    // darkness-weighted mean row below the lid skin; the lid line dips smoothly there.
    const at: number[] = [];
    for (let x = 45; x <= 57; x++) {
      let sw = 0, sy = 0;
      for (let y = 55; y < 72; y++) { const d = Math.max(0, 140 - out[y * W + x]); sw += d; sy += d * y; }
      at.push(sy / sw);
    }
    for (let i = 1; i < at.length; i++) assert.ok(at[i] >= at[i - 1] - 0.015, `${kernels.name}: the line rises from ${at[i - 1].toFixed(2)} to ${at[i].toFixed(2)} at x ${45 + i}: ${at.map((a) => a.toFixed(2)).join(' ')}`);
  }
});
