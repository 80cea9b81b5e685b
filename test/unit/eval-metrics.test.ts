// The quality-measurement maths, on synthetic frames and series with known answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  pearson,
  argExtreme, bestShift, detrend, darkAperture, descriptorDistance, detectBlinks, evenlySpaced, faceRegions, luminance, meanAbsDiff,
  medianIn, nearestFace, perMinute, rmsPerFrame, rollDegrees, scaleBox, sheetLayout, shiftedLumDiff, speechMask, squareCrop,
} from '../../src/eval-metrics/index.js';
import { TARGETS, judge, formatTable, type EvalRow } from '../../eval/lib/report.js';

/** A deterministic textured luminance image (so block matching has something to lock on). */
function texture(width: number, height: number, ox = 0, oy = 0): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const u = x - ox, v = y - oy;
    out[y * width + x] = (128 + 60 * Math.sin(u * 0.7) * Math.cos(v * 0.45) + 40 * Math.sin((u + 2 * v) * 0.23)) & 255;
  }
  return out;
}

test('scaleBox grows about the centre', () => {
  assert.deepEqual(scaleBox({ x: 10, y: 20, width: 40, height: 30 }, 2), { x: -10, y: 5, width: 80, height: 60 });
});

test('luminance uses Rec. 601 integer weights', () => {
  assert.deepEqual([...luminance(Uint8Array.from([255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]), 4, 1)], [255, 76, 149, 28]);
});

test('meanAbsDiff inside and outside a box', () => {
  const w = 4, h = 2, a = new Uint8Array(w * h * 3), b = new Uint8Array(w * h * 3);
  b.fill(30, 0, 3); // pixel (0,0) differs by 30 in all channels
  const box = { x: 0, y: 0, width: 2, height: 1 };
  assert.equal(meanAbsDiff(a, b, w, h, box), 15);
  assert.equal(meanAbsDiff(a, b, w, h, box, true), 0);
  assert.equal(meanAbsDiff(a, b, w, h, { x: 2, y: 0, width: 2, height: 2 }, true), 7.5);
});

test('bestShift recovers a known translation and shiftedLumDiff is 0 there', () => {
  const w = 120, h = 100, ref = texture(w, h), cur = texture(w, h, 3, -2);
  const box = { x: 30, y: 30, width: 50, height: 40 };
  const s = bestShift(ref, cur, w, h, box, { radius: 4, step: 1 });
  assert.deepEqual(s, { dx: 3, dy: -2 });
  assert.equal(shiftedLumDiff(ref, cur, w, h, box, s), 0);
  assert.ok(shiftedLumDiff(ref, cur, w, h, box, { dx: 0, dy: 0 }) > 10);
  // Tracking from the previous answer finds motion beyond the radius around zero.
  const far = texture(w, h, 7, 0);
  assert.deepEqual(bestShift(ref, far, w, h, box, { around: { dx: 5, dy: 0 }, radius: 3, step: 1 }), { dx: 7, dy: 0 });
});

test('darkAperture counts the dark rows of the central columns; medianIn finds the skin level', () => {
  const w = 40, h = 30, lum = new Uint8Array(w * h).fill(180);
  for (let y = 10; y < 17; y++) for (let x = 10; x < 30; x++) lum[y * w + x] = 20; // 7 px tall cavity
  lum[5 * w + 20] = 0; // a stray dark pixel in one column does not move the median
  const box = { x: 8, y: 2, width: 24, height: 26 };
  assert.equal(darkAperture(lum, w, h, box, 90), 7);
  assert.equal(darkAperture(lum, w, h, box, 90, { dx: 0, dy: 20 }), 0);
  assert.equal(medianIn(lum, w, h, { x: 0, y: 0, width: w, height: h }), 180);
});

test('detectBlinks finds runs above median + threshold, merges one-frame dips, ignores noise', () => {
  const series = Array.from({ length: 100 }, (_, i) => 2 + 0.3 * Math.sin(i));
  [20, 21, 23, 24].forEach((i) => { series[i] = 15; }); // one blink with a one-frame dip at 22
  series[22] = 3;
  [60, 61, 62].forEach((i, k) => { series[i] = 10 + 5 * k; });
  series[80] = 5; // 3 levels over the median: below the 4-level minimum rise
  const { events, threshold } = detectBlinks(series);
  assert.deepEqual(events, [{ start: 20, end: 24, peak: 20 }, { start: 60, end: 62, peak: 62 }]);
  assert.ok(threshold >= 4 && threshold < 5, `threshold ${threshold}`);
  assert.equal(detectBlinks(series, { mergeGap: 0 }).events.length, 3);
  // A slow rise (a head turn changing the eye region) is not a blink; the blinks riding on it are
  // still found, where without detrending the drift inflates the spread and hides them.
  const drift = series.map((v, i) => v + (i < 40 ? 0 : Math.min(20, (i - 40) * 0.8)));
  assert.deepEqual(detectBlinks(drift).events.map((e) => e.peak), [20, 62]);
  assert.deepEqual(detectBlinks(drift, { detrendWindow: 0 }).events, []);
  assert.equal(perMinute(2, 250, 25), 12);
});

test('detrend takes away the running median', () => {
  assert.deepEqual(detrend([1, 1, 9, 1, 1, 2, 2], 3), [0, 0, 8, 0, 0, 0, 0]);
});

test('speechMask keeps frames within 26 dB of the loud part; rmsPerFrame measures each frame', () => {
  const sr = 1000, fps = 10, samples = new Float32Array(1000);
  for (let i = 300; i < 600; i++) samples[i] = i % 2 ? 0.5 : -0.5;
  for (let i = 700; i < 800; i++) samples[i] = i % 2 ? 0.01 : -0.01; // -34 dB: room noise
  const rms = rmsPerFrame(samples, sr, fps, 10);
  assert.deepEqual([...rms].map((v) => +v.toFixed(3)), [0, 0, 0, 0.5, 0.5, 0.5, 0, 0.01, 0, 0]);
  assert.deepEqual(speechMask(rms), [false, false, false, true, true, true, false, false, false, false]);
});

test('argExtreme respects the mask; evenlySpaced includes both ends', () => {
  assert.equal(argExtreme([3, 9, 1, 7]), 1);
  assert.equal(argExtreme([3, 9, 1, 7], [true, false, false, true], true), 0);
  assert.equal(argExtreme([3, 9], [false, false]), -1);
  assert.deepEqual(evenlySpaced(175, 8), [0, 25, 50, 75, 99, 124, 149, 174]);
  assert.deepEqual(evenlySpaced(3, 8), [0, 1, 2]);
});

test('descriptorDistance is Euclidean; nearestFace picks by box centre', () => {
  assert.equal(descriptorDistance([0, 3, 0], [4, 0, 0]), 5);
  assert.throws(() => descriptorDistance([1], [1, 2]));
  const faces = [{ box: { x: 0, y: 0, width: 10, height: 10 }, id: 'a' }, { box: { x: 100, y: 0, width: 10, height: 10 }, id: 'b' }];
  assert.equal(nearestFace(faces, { x: 90, y: 5, width: 20, height: 10 })?.id, 'b');
  assert.equal(nearestFace([], faces[0].box), null);
});

test('rollDegrees from the eye line; faceRegions from landmarks and from the box', () => {
  const lm = new Float32Array(136);
  for (let i = 36; i <= 41; i++) { lm[2 * i] = 100 + (i - 36); lm[2 * i + 1] = 100; }
  for (let i = 42; i <= 47; i++) { lm[2 * i] = 200 + (i - 42); lm[2 * i + 1] = 200; }
  assert.ok(Math.abs(rollDegrees(lm) - 45) < 1e-9);
  for (let i = 48; i <= 59; i++) { lm[2 * i] = 140 + 2 * (i - 48); lm[2 * i + 1] = 300 + (i % 2); }
  const r = faceRegions({ x: 0, y: 0, width: 400, height: 400 }, lm);
  assert.equal(r.mouthWidth, 22);
  assert.ok(r.mouth.height > 0.6 * r.mouthWidth, 'mouth box leaves room for a dropped jaw');
  const guessed = faceRegions({ x: 0, y: 0, width: 100, height: 100 }, null);
  assert.equal(guessed.fromLandmarks, false);
  assert.equal(guessed.eyes.length, 2);
});

test('sheetLayout stacks rows with titles and label bands; squareCrop stays inside the frame', () => {
  const l = sheetLayout([{ count: 2, tileWidth: 100, tileHeight: 50, title: 't' }, { count: 3, tileWidth: 40, tileHeight: 40 }],
    { margin: 10, gap: 5, labelHeight: 20, titleHeight: 15 });
  assert.equal(l.width, 10 + 100 + 5 + 100 + 10);
  assert.deepEqual(l.tiles[1].image, { x: 115, y: 25, width: 100, height: 50 });
  assert.deepEqual(l.tiles[1].label, { x: 115, y: 75, width: 100, height: 20 });
  assert.deepEqual(l.tiles[2].image, { x: 10, y: 100, width: 40, height: 40 });
  assert.equal(l.height, 100 + 40 + 20 + 10);
  assert.deepEqual(l.titles, [{ row: 0, x: 10, y: 10 }]);
  assert.deepEqual(squareCrop({ x: 0, y: 10, width: 40, height: 60 }, 1.5, 200, 100), { x: 0, y: 0, width: 90, height: 90 });
});

test('judge marks figures against the targets and the table has a row per fixture plus mean and target', () => {
  const row: EvalRow = {
    name: 'x', clip: 'en.wav', faceFound: true, recognised: true, identityMean: 0.25, identityMax: 0.4, backgroundMean: 2.5, backgroundMax: 3,
    blinks: 3, blinksPerMinute: 15, headRangePx: 8, headMaxStepPx: 1, faceWidth: 300, rollRangeDeg: 2, apertureMin: 0, apertureMax: 20, mouthWidth: 100,
    renderMs: 1000, measureMs: 1000,
  };
  assert.deepEqual(judge(row), { identity: true, background: false, blinks: true, head: true, mouth: true });
  assert.deepEqual(judge({ ...row, faceFound: false, identityMean: null }), { identity: null, background: false, blinks: null, head: null, mouth: null });
  assert.equal(judge({ ...row, apertureMax: TARGETS.openOfMouthWidth * 100 - 1 }).mouth, false);
  const lines = formatTable([row, { ...row, name: 'y', identityMean: 0.45 }]).split('\n');
  assert.match(lines.find((l) => l.startsWith('MEAN'))!, /✗ 0\.350 \(1\/2\)/);
  assert.ok(lines.some((l) => l.startsWith('TARGET')));
});

test('pearson: exact values, sign, and 0 for a constant series', () => {
  assert.equal(pearson([1, 2, 3, 4], [2, 4, 6, 8]), 1);
  assert.equal(pearson([1, 2, 3, 4], [8, 6, 4, 2]), -1);
  assert.equal(pearson([1, 2, 3], [5, 5, 5]), 0);
  assert.ok(Math.abs(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12);
});
