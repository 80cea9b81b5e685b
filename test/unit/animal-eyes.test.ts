// An animal's eye (and a drawing's, where it is dark all across): fitted to what the picture
// shows of it (dark-eye.ts), shut with both lids, its lid covering what was the eye.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EyeRig, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { fitDarkEye } from '../../src/render/dark-eye.js';
import { mapEye, updateEyeInPlace } from '../../src/render/eyes.js';
import { prepareEye } from '../../src/render/eye-prepare.js';
import { newPixelSource } from '../../src/render/map.js';
import { profileAt } from '../../src/render/sample.js';
import { darkEyeCard, drawn, eyeCard, lidProfile as lid, SYNTHETIC, syntheticRig as rig } from './eye-drawn.js';

const { W, H } = SYNTHETIC;

test('a dark animal eye wider than the mesh laid it out is rigged to its own size, and a blink covers all of it', () => {
  const img = darkEyeCard();
  // The mesh's human eye: 20 px wide, 7 px tall, off to the lower right of the round eye.
  const small: EyeRig = { center: { x: 66, y: 56 }, axis: { x: 1, y: 0 }, width: 20, upperLid: lid(-3), lowerLid: lid(4), iris: null };
  const fit = fitDarkEye(img, small);
  assert.ok(Math.abs(fit.center.x - 60) <= 2 && Math.abs(fit.center.y - 52) <= 3, `centre ${fit.center.x}, ${fit.center.y}`);
  assert.ok(fit.width >= 32, `width ${fit.width}`);
  const w = prepareEye(img, small, { darkEyes: true });
  updateEyeInPlace(w, 1, 0, 0);
  // Shut, nothing of the dark eye shows in its middle: the lid is fur, the lash line only at its edge.
  let dark = 0, n = 0;
  for (let y = 40; y <= 60; y++) for (let x = 50; x <= 70; x++) { n++; if (drawn(img, w, x, y) < 80) dark++; }
  assert.ok(dark / n < 0.12, `${dark} of ${n} pixels of the shut eye still dark`);
  // Left as rigged: the same rig on the human card (white shows), and any eye without the option.
  assert.equal(fitDarkEye(eyeCard(), rig), rig);
  // Without the option it is not recentred on the dark area (the drawn outline past its corners may widen it).
  assert.equal(prepareEye(img, small).rig.center.y, small.center.y);
});

test('an animal\'s lids meet across the eye\'s middle; a human\'s upper lid closes it alone', () => {
  const base = eyeCard();
  const s = newPixelSource();
  // Where the shut eye's pixels at its middle column are drawn from: above the eye (the upper
  // lid), below it (the lower lid), or the eye itself.
  const sources = (animal: boolean) => {
    const w = prepareEye(base, rig, { darkEyes: animal, animal });
    updateEyeInPlace(w, 1, 0, 0);
    const up = w.rig.upperLid[(PROFILE_SAMPLES - 1) / 2], low = w.rig.lowerLid[(PROFILE_SAMPLES - 1) / 2];
    const from: string[] = [];
    for (let v = Math.ceil(up) + 1; v < low; v++) {
      mapEye(w, w.rig.center.x, w.rig.center.y + v, s);
      const sv = s.y - w.rig.center.y;
      from.push(sv <= up ? 'upper' : sv >= low ? 'lower' : 'eye');
    }
    return from;
  };
  const human = sources(false), animal = sources(true);
  assert.ok(human.every((f) => f === 'upper'), `human: ${human.join(' ')}`);
  assert.ok(!animal.includes('eye'), `animal, eye showing: ${animal.join(' ')}`);
  const lower = animal.filter((f) => f === 'lower').length / animal.length;
  assert.ok(lower > 0.2 && lower < 0.5, `animal: ${(100 * lower).toFixed(0)} % of the shut eye is the lower lid (${animal.join(' ')})`);
});

/** The dark eye card with dark fur running on from the eye's lower left (the cat's grey fur at its outer corner). */
function leakingEyeCard(): RgbImage {
  const img = darkEyeCard();
  for (let y = 56; y <= 62; y++) for (let x = 30; x <= 46; x++) img.data.set([90, 70, 50], (y * W + x) * 3);
  return img;
}

test('an animal\'s dark eye that runs on into dark fur is fitted to the eye alone; a drawing\'s keeps all its dark (its liner)', () => {
  const img = leakingEyeCard();
  const rigged: EyeRig = { center: { x: 62, y: 54 }, axis: { x: 1, y: 0 }, width: 30, upperLid: lid(-3), lowerLid: lid(4), iris: null };
  const animal = fitDarkEye(img, rigged, { animal: true }), drawing = fitDarkEye(img, rigged);
  // The round eye is 32 px across (44..76); the lids run on a little past it (DARK_EYE.taper).
  const left = (e: EyeRig) => e.center.x - e.width / 2;
  assert.ok(left(animal) > 38 && animal.width < 46, `animal: from ${left(animal).toFixed(1)}, ${animal.width.toFixed(1)} px wide`);
  assert.ok(left(drawing) < 32, `drawing: from ${left(drawing).toFixed(1)}`);
  // An eye without a leak loses nothing to the cut.
  const round = fitDarkEye(darkEyeCard(), rigged, { animal: true }), uncut = fitDarkEye(darkEyeCard(), rigged);
  assert.ok(Math.abs(round.width - uncut.width) < 1.5, `round eye ${round.width.toFixed(1)} against ${uncut.width.toFixed(1)} px`);
});

test('an animal\'s or a drawing\'s shut lid covers what was its eye; the fur or skin above is the picture\'s, drawn down, not a flat patch', () => {
  const img = darkEyeCard();
  const small: EyeRig = { center: { x: 66, y: 56 }, axis: { x: 1, y: 0 }, width: 20, upperLid: lid(-3), lowerLid: lid(4), iris: null };
  const s = newPixelSource();
  const coverAt = (kind: { darkEyes: boolean; animal: boolean }, above: number) => {
    const w = prepareEye(img, small, kind);
    updateEyeInPlace(w, 1, 0, 0);
    const up = profileAt(w.rig.upperLid, w.rig.width, 0);
    mapEye(w, w.rig.center.x, w.rig.center.y + up - above * w.aperture, s);
    return s.cover;
  };
  // Above the eye's top (by 0.3 of its opening, within the lid skin): the fur or drawn skin uncovered, a human's lid skin covered.
  assert.equal(coverAt({ darkEyes: true, animal: true }, 0.3), 0);
  assert.equal(coverAt({ darkEyes: true, animal: false }, 0.3), 0);
  assert.ok(coverAt({ darkEyes: false, animal: false }, 0.3) > 0.1);
  // Over the eye itself all are covered.
  for (const kind of [{ darkEyes: true, animal: true }, { darkEyes: true, animal: false }, { darkEyes: false, animal: false }]) assert.ok(coverAt(kind, -0.3) > 0.5, JSON.stringify(kind));
});

test('an animal\'s eye with a bright iris of its own colour (a cat\'s amber) is fitted to the iris, not to its dark pupil', () => {
  // Grey fur, a yellow iris 32 px across (as bright as the fur) round a dark pupil 12 px across.
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const r = Math.hypot(x - 60, y - 52);
    const c: [number, number, number] = r < 6 ? [15, 12, 10] : r < 16 ? [225, 190, 40] : [150 + ((x * 7 + y * 3) % 9), 142, 132];
    data.set(c, (y * W + x) * 3);
  }
  const img = { data, width: W, height: H };
  const small: EyeRig = { center: { x: 62, y: 54 }, axis: { x: 1, y: 0 }, width: 20, upperLid: lid(-3), lowerLid: lid(4), iris: null };
  const fit = fitDarkEye(img, small, { animal: true });
  const top = fit.center.y + Math.min(...fit.upperLid), bottom = fit.center.y + Math.max(...fit.lowerLid);
  assert.ok(Math.abs(fit.center.x - 60) <= 2 && fit.width >= 32, `centre ${fit.center.x.toFixed(1)}, ${fit.width.toFixed(1)} px wide`);
  assert.ok(top <= 37 && bottom >= 67, `lids from ${top.toFixed(1)} to ${bottom.toFixed(1)}, the iris from 36 to 68`);
  // By its dark alone (a drawing's), the pupil is too small to be the eye: left as rigged.
  assert.equal(fitDarkEye(img, small), small);
});

test('an animal\'s shut lid is the fur above its eye slid down: its stripes keep their spacing, not a flat patch', () => {
  // Fur striped across (4 px a period, 60 levels apart) round the dark round eye.
  const img = darkEyeCard();
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    if (Math.hypot(x - 60, y - 52) >= 16) img.data.set(y % 4 < 2 ? [215, 180, 150] : [150, 115, 85], (y * W + x) * 3);
  }
  const small: EyeRig = { center: { x: 66, y: 56 }, axis: { x: 1, y: 0 }, width: 20, upperLid: lid(-3), lowerLid: lid(4), iris: null };
  const w = prepareEye(img, small, { darkEyes: true, animal: true });
  updateEyeInPlace(w, 1, 0, 0);
  // Row to row down the middle of what was the eye, above the lash line, against the fur's own.
  const up = w.rig.center.y + profileAt(w.rig.upperLid, w.rig.width, 0);
  const rows = Array.from({ length: 10 }, (_, k) => drawn(img, w, w.rig.center.x, Math.round(up) + 2 + k));
  const step = rows.slice(1).reduce((s, l, k) => s + Math.abs(l - rows[k]), 0) / (rows.length - 1);
  const fur = Array.from({ length: 10 }, (_, k) => drawn(img, w, 20, 20 + k));
  const furStep = fur.slice(1).reduce((s, l, k) => s + Math.abs(l - fur[k]), 0) / (fur.length - 1);
  assert.ok(step > 0.6 * furStep, `the shut lid's rows differ by ${step.toFixed(1)} levels, the fur's by ${furStep.toFixed(1)} (${rows.map((l) => l.toFixed(0)).join(' ')})`);
  assert.ok(Math.max(...rows) - Math.min(...rows) > 40, `the shut lid's rows: ${rows.map((l) => l.toFixed(0)).join(' ')}`);
});

/** White fur round a dark eye (radius 17 at (60, 52)) whose lower corners are drawn out into points below it. */
function pointedEyeCard(): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const r = Math.hypot(x - 60, y - 52);
    // The points: 4 px wide at the eye's bottom corners, tapering down to y = 70.
    const tip = y > 56 && y < 70 && [46, 74].some((c) => Math.abs(x - c) < (4 * (70 - y)) / 14);
    const c: [number, number, number] = r < 2.5 && x > 62 ? [250, 250, 250] : r < 17 || tip ? [15, 12, 10] : [232 + ((x * 7 + y * 3) % 5), 232, 229];
    data.set(c, (y * W + x) * 3);
  }
  return { data, width: W, height: H };
}

test('an animal\'s dark eye in white fur, in a rig laid out larger, is its own: its points below the rig are covered when it shuts', () => {
  const img = pointedEyeCard();
  // A round rig 40 px wide, 20 px each way: it takes in white fur round the eye (a quarter of its
  // opening, as much as a human eye's white), and misses the points' ends.
  const large: EyeRig = { center: { x: 60, y: 52 }, axis: { x: 1, y: 0 }, width: 40, upperLid: lid(-20), lowerLid: lid(20), iris: null };
  const w = prepareEye(img, large, { darkEyes: true, animal: true });
  updateEyeInPlace(w, 1, 0, 0);
  const low = (x: number) => w.rig.center.y + profileAt(w.rig.lowerLid, w.rig.width, x - w.rig.center.x);
  const dark: string[] = [];
  for (let y = 57; y < 70; y++) for (const x of [42, 43, 44, 45, 46, 47, 48, 49, 50, 70, 71, 72, 73, 74, 75, 76, 77, 78]) {
    if (img.data[(y * W + x) * 3] > 100 || y > low(x) + 4) continue;
    if (drawn(img, w, x, y) < 80) dark.push(`${x},${y}`);
  }
  assert.ok(dark.length <= 3, `still dark under the shut lid: ${dark.join(' ')}`);
  // A drawing's white round a dark iris is its eye's white: left as rigged.
  assert.equal(fitDarkEye(img, large), large);
});

test('an animal\'s dark eye is fitted without the brown shadow painted round it, so its lid shuts level', () => {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const r = Math.hypot(x - 60, y - 52);
    // A shadow round the eye's upper right, 10 px wide, half as dark as the eye.
    const shadow = r >= 14 && r < 24 && x > 60 && y < 52;
    const c: [number, number, number] = r < 14 ? [20, 15, 10] : shadow ? [120, 80, 50] : [222 + ((x * 7 + y * 3) % 5), 205, 188];
    data.set(c, (y * W + x) * 3);
  }
  const img = { data, width: W, height: H };
  const rigged: EyeRig = { center: { x: 62, y: 54 }, axis: { x: 1, y: 0 }, width: 24, upperLid: lid(-4), lowerLid: lid(5), iris: null };
  const fit = fitDarkEye(img, rigged, { animal: true });
  const top = fit.center.y + Math.min(...fit.upperLid), right = fit.center.x + fit.width / 2;
  // The eye is 28 px across (38..66 high); the shadow reaches up to 28 and right to 84.
  assert.ok(top > 34 && right < 79, `lids from ${top.toFixed(1)}, to the right up to ${right.toFixed(1)}`);
  assert.ok(fit.width >= 28, `${fit.width.toFixed(1)} px wide`);
});
