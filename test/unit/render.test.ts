import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FaceRig, FrameParams, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { createFrameRenderer, rgbToYuv420 } from '../../src/render/index.js';
import { newPixelSource } from '../../src/render/map.js';
import { prepareMouth, updateMouthInPlace } from '../../src/render/mouth.js';
import { MOUTH } from '../../src/render/mouth-config.js';
import { mapMouth } from '../../src/render/mouth-map.js';
import { mouthState } from '../../src/render/mouth-interior.js';

const W = 240, H = 220;

/** A textured test card: smooth gradients plus a dark horizontal lip line at y = 100. */
function testCard(): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      const lip = Math.abs(y - 100) < 2 && Math.abs(x - 120) < 30;
      data[i] = lip ? 90 : 180 + ((x * 7) % 40);
      data[i + 1] = lip ? 40 : 140 + ((y * 5) % 40);
      data[i + 2] = lip ? 40 : 120;
    }
  }
  return { data, width: W, height: H };
}

const flat = (v: number) => new Float32Array(PROFILE_SAMPLES).fill(v);
const lid = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));
const eye = (x: number) => ({ center: { x, y: 60 }, axis: { x: 1, y: 0 }, width: 24, upperLid: lid(-5), lowerLid: lid(4), iris: { u: 0, v: 0, radius: 4 } });

function rig(gap = 0): FaceRig {
  return {
    faceBox: { x: 60, y: 20, width: 120, height: 130 },
    mouth: {
      center: { x: 120, y: 100 }, axis: { x: 1, y: 0 }, width: 60, seam: flat(0),
      upperInner: Float32Array.from(lid(-gap / 2)), lowerInner: Float32Array.from(lid(gap / 2)),
      lipTop: -6, lipBottom: 7, chinDepth: 40, noseHeight: 20, jawHalfWidth: 50,
    },
    eyes: [eye(95), eye(145)],
    head: { center: { x: 120, y: 80 }, axis: { x: 1, y: 0 }, halfWidth: 60, halfHeight: 75, pivot: { x: 120, y: 180 }, chin: { x: 120, y: 140 } },
  };
}

const rest: FrameParams = { jaw: 0, blinkLeft: 0, blinkRight: 0 };

/** Pixels whose luma differs by more than 2 levels, among those where `where` holds. */
function lumaDiffs(a: Uint8Array, b: Uint8Array, where: (x: number, y: number) => boolean): number {
  let n = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (where(x, y) && Math.abs(a[y * W + x] - b[y * W + x]) > 2) n++;
  return n;
}

test('at rest the rendered frame equals the source', () => {
  const base = testCard();
  const r = createFrameRenderer(base, rig());
  const out = r.newFrame();
  r.renderInto(out, rest);
  assert.deepEqual(out, rgbToYuv420(base.data, W, H));
});

test('an open jaw parts the lips with a dark interior and moves nothing far from the mouth', () => {
  const base = testCard();
  const expected = rgbToYuv420(base.data, W, H);
  const r = createFrameRenderer(base, rig());
  const out = r.newFrame();
  r.renderInto(out, { ...rest, jaw: 1 });
  assert.ok(out[106 * W + 120] < 90, `interior luma ${out[106 * W + 120]}`);
  assert.ok(lumaDiffs(out, expected, (x, y) => Math.abs(x - 120) < 25 && y > 95 && y < 130) > 200);
  assert.equal(lumaDiffs(out, expected, (_x, y) => y < 75), 0);
  assert.equal(lumaDiffs(out, expected, (x) => x < 5 || x > 235), 0);
});

test('pressed lips stay shut even with the jaw open; spread widens and rounding narrows the mouth', () => {
  const base = testCard();
  const r = createFrameRenderer(base, rig());
  const pressed = r.newFrame();
  r.renderInto(pressed, { ...rest, jaw: 1, lipPress: 1 });
  assert.ok(pressed[106 * W + 120] > 150, 'lips parted under full press');
  const open = r.newFrame(), spread = r.newFrame(), round = r.newFrame();
  r.renderInto(open, { ...rest, jaw: 0.6 });
  r.renderInto(spread, { ...rest, jaw: 0.6, lipSpread: 1 });
  r.renderInto(round, { ...rest, jaw: 0.6, lipRound: 1 });
  const darkWidth = (f: Uint8Array) => { let n = 0; for (let x = 0; x < W; x++) if (f[104 * W + x] < 100) n++; return n; };
  assert.ok(darkWidth(spread) > darkWidth(open), `spread ${darkWidth(spread)} vs ${darkWidth(open)}`);
  assert.ok(darkWidth(round) < darkWidth(open), `round ${darkWidth(round)} vs ${darkWidth(open)}`);
});

test('a smile lifts the mouth corners more than the middle of the lips', () => {
  const base = testCard();
  const expected = rgbToYuv420(base.data, W, H);
  const r = createFrameRenderer(base, rig());
  const out = r.newFrame();
  r.renderInto(out, { ...rest, smile: 1 });
  // The lip line (y = 100) is dark between x = 90 and 150; at the corners it rises.
  const corner = lumaDiffs(out, expected, (x, y) => Math.abs(Math.abs(x - 120) - 28) < 4 && Math.abs(y - 100) < 6);
  const middle = lumaDiffs(out, expected, (x, y) => Math.abs(x - 120) < 4 && Math.abs(y - 100) < 6);
  assert.ok(corner > 8, `corners barely moved (${corner})`);
  assert.ok(middle < corner / 2, `middle moved as much as the corners (${middle} vs ${corner})`);
});

test('a source with an open mouth closes fully at rest and shows its own interior when open', () => {
  const base = testCard();
  // Paint the source's mouth gap bright, like teeth, between y = 95 and 105.
  for (let y = 95; y <= 105; y++) for (let x = 100; x <= 140; x++) base.data.fill(240, (y * W + x) * 3, (y * W + x) * 3 + 3);
  const openRig = rig(12);
  assert.equal(mouthState(openRig.mouth!), 'open');
  assert.equal(mouthState(rig().mouth!), 'closed');
  const r = createFrameRenderer(base, openRig);
  const shut = r.newFrame();
  r.renderInto(shut, rest);
  const teethLuma = 16 + 219 * 240 / 255;
  let bright = 0;
  for (let x = 110; x <= 130; x++) if (shut[100 * W + x] > teethLuma - 20) bright++;
  assert.ok(bright <= 2, `${bright} teeth pixels still visible with the lips closed`);
  const open = r.newFrame();
  r.renderInto(open, { ...rest, jaw: 0.4 });
  let shown = 0;
  for (let y = 92; y <= 108; y++) if (open[y * W + 120] > teethLuma - 20) shown++;
  assert.ok(shown >= 3, 'source teeth not reused when the mouth opens');
});

test('lips closed over a source showing teeth keep the lips\' colour on the seam, not the teeth\'s', () => {
  const base = testCard();
  // The mouth one row lower than the card's, so the closed seam runs through the middle of the
  // 2x2 blocks that share a chroma sample.
  const paint = (y0: number, y1: number, rgb: number[]) => {
    for (let y = y0; y <= y1; y++) for (let x = 95; x <= 145; x++) base.data.set(rgb, (y * W + x) * 3);
  };
  paint(89, 95, [200, 60, 70]);
  paint(96, 106, [240, 240, 240]);
  paint(107, 113, [200, 60, 70]);
  const openRig = rig(12);
  const r = createFrameRenderer(base, { ...openRig, mouth: { ...openRig.mouth!, center: { x: 120, y: 101 } } });
  const shut = r.newFrame();
  r.renderInto(shut, rest);
  const cw = W >> 1, cr = (x: number, y: number) => shut[W * H + cw * (H >> 1) + (y >> 1) * cw + (x >> 1)];
  const lips = rgbToYuv420(Uint8Array.from({ length: 12 }, (_, i) => [200, 60, 70][i % 3]), 2, 2)[5];
  let lowest = 255;
  for (let x = 110; x <= 130; x += 2) lowest = Math.min(lowest, cr(x, 100));
  assert.ok(lowest > 128 + 0.5 * (lips - 128), `seam Cr ${lowest}, lips ${lips}: the teeth's colour shows on the closed lips`);
});

test('the mouth warp never folds the picture: closing a wide-open source mouth squeezes the chin smoothly', () => {
  const w = prepareMouth(testCard(), rig(24).mouth!);
  for (const p of [rest, { ...rest, lipPress: 1 }, { ...rest, jaw: 1 }, { ...rest, jaw: 0.3, lipRound: 1, upperLipRaise: 1 }]) {
    updateMouthInPlace(w, p);
    // Each table maps output rows to source rows along a column. A fold shows as a jump: a
    // stretch of the source that no output row shows (before the fix, 12 px and more).
    for (const table of [w.upperInv, w.lowerInv]) {
      for (let c = 0; c < MOUTH.columns; c++) {
        for (let r = 1; r < w.rows; r++) {
          const step = table[c * w.rows + r] - table[c * w.rows + r - 1];
          assert.ok(step > -1e-3 && step < 4, `column ${c}, row ${r}: the source jumps ${step.toFixed(2)} px for ${JSON.stringify(p)}`);
        }
      }
    }
  }
});

test('the sideways lip shift and the smile fade out before the edges of the mouth area', () => {
  const w = prepareMouth(testCard(), rig().mouth!);
  updateMouthInPlace(w, { ...rest, jaw: 0.3, lipRound: 1, smile: 1 });
  const s = newPixelSource();
  const b = w.bounds;
  let worst = 0;
  const edge = (x: number, y: number) => { mapMouth(w, x, y, s); worst = Math.max(worst, Math.hypot(s.x - x, s.y - y)); };
  for (let x = b.x + 1; x < b.x + b.width - 1; x++) { edge(x, b.y + 1); edge(x, b.y + b.height - 2); }
  for (let y = b.y + 1; y < b.y + b.height - 1; y++) { edge(b.x + 1, y); edge(b.x + b.width - 2, y); }
  assert.ok(worst < 0.25, `the warp still moves the picture ${worst.toFixed(2)} px at the edge of its area: a visible step`);
});

test('the same buffer can go back to rest: every moving pixel is rewritten each frame', () => {
  const base = testCard();
  const r = createFrameRenderer(base, rig());
  const out = r.newFrame();
  r.renderInto(out, { jaw: 1, blinkLeft: 1, blinkRight: 1, headYaw: 3, headRoll: 2, gazeX: 1, breath: 1 });
  r.renderInto(out, rest);
  assert.deepEqual(out, rgbToYuv420(base.data, W, H));
});

test('a blink covers the eye and leaves the mouth alone', () => {
  const base = testCard();
  const expected = rgbToYuv420(base.data, W, H);
  const r = createFrameRenderer(base, rig());
  const out = r.newFrame();
  r.renderInto(out, { ...rest, blinkLeft: 1 });
  assert.ok(lumaDiffs(out, expected, (x, y) => Math.abs(x - 95) < 12 && Math.abs(y - 60) < 6) > 0);
  assert.equal(lumaDiffs(out, expected, (x) => x > 125), 0);
  assert.equal(lumaDiffs(out, expected, (_x, y) => y > 75), 0);
});

test('a brow raise lifts the skin above the eye and leaves the eye itself alone', () => {
  const base = testCard();
  const expected = rgbToYuv420(base.data, W, H);
  const r = createFrameRenderer(base, rig());
  const out = r.newFrame();
  r.renderInto(out, { ...rest, browRaise: 1 });
  // Eye width 24: the lid skin starts ~9 px above the lid (y ~ 46), the brow above it.
  assert.ok(lumaDiffs(out, expected, (x, y) => Math.abs(x - 95) < 10 && y > 25 && y < 45) > 20, 'brow did not lift');
  assert.equal(lumaDiffs(out, expected, (_x, y) => y > 50), 0);
});

test('head motion moves the head and fades out before the frame edges', () => {
  const base = testCard();
  const expected = rgbToYuv420(base.data, W, H);
  const r = createFrameRenderer(base, rig());
  const out = r.newFrame();
  r.renderInto(out, { ...rest, headYaw: 4, headRoll: 3 });
  assert.ok(lumaDiffs(out, expected, (x, y) => Math.abs(x - 120) < 40 && Math.abs(y - 80) < 40) > 100);
  // The mask reaches 1.5 head radii: 30..210 across, down to y = 192.
  assert.equal(lumaDiffs(out, expected, (x, y) => x < 28 || x > 212 || y > 195), 0);
});

test('the head\'s motion fades out at the picture\'s edges: the frame\'s top row and a padded picture\'s sides stay put', () => {
  const base = testCard();
  const expected = rgbToYuv420(base.data, W, H);
  const turn: FrameParams = { ...rest, headYaw: 5, headPitch: 4, headRoll: 3 };
  // The head's mask reaches past the frame's top (its top at y = 5, feathered out to y = -17).
  const free = createFrameRenderer(base, rig());
  const a = free.newFrame();
  free.renderInto(a, turn);
  assert.equal(lumaDiffs(a, expected, (_x, y) => y === 0), 0, 'the frame\'s top row moved');
  assert.ok(lumaDiffs(a, expected, (_x, y) => y > 0 && y < 12) > 0, 'the head\'s top did not move');
  // The picture 100 px wide in the middle of the frame, margins beside it: its side columns are
  // where it meets them, and they stay; the face between them moves as before.
  const r0 = rig(), picture = { x: 70, y: 0, width: 100, height: H };
  const padded = createFrameRenderer(base, { ...r0, head: { ...r0.head!, picture } });
  const b = padded.newFrame();
  padded.renderInto(b, turn);
  assert.equal(lumaDiffs(b, expected, (x) => x <= 70 || x >= 169), 0, 'the picture\'s sides or the margins moved');
  assert.ok(lumaDiffs(b, expected, (x, y) => Math.abs(x - 120) < 25 && Math.abs(y - 80) < 40) > 100, 'the face did not move');
});

test('breathing lifts the shoulders as well as the head, and nothing far from them', () => {
  const base = testCard();
  const expected = rgbToYuv420(base.data, W, H);
  const r = createFrameRenderer(base, rig());
  const out = r.newFrame();
  r.renderInto(out, { ...rest, breath: 1 });
  // The band below the neck base (pivot y = 180) moves, well beyond the head's own mask (x < 42).
  assert.ok(lumaDiffs(out, expected, (x, y) => x < 40 && y > 190) > 20, 'shoulders did not move');
  assert.equal(lumaDiffs(out, expected, (x, y) => x < 5 && y < 40), 0);
});

test('without a face nothing moves', () => {
  const base = testCard();
  const r = createFrameRenderer(base, { faceBox: rig().faceBox, mouth: null, eyes: [], head: null });
  const out = r.newFrame();
  r.renderInto(out, { jaw: 1, blinkLeft: 1, blinkRight: 1, headYaw: 5 });
  assert.equal(r.region.width, 0);
  assert.deepEqual(out, rgbToYuv420(base.data, W, H));
});
