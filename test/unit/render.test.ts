import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FaceRig, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { createFrameRenderer } from '../../src/render/index.js';

/** A textured test card: smooth gradients plus a dark horizontal lip line at y = 100. */
function testCard(width = 240, height = 220): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const lip = Math.abs(y - 100) < 2 && Math.abs(x - 120) < 30;
      data[i] = lip ? 90 : 180 + ((x * 7) % 40);
      data[i + 1] = lip ? 40 : 140 + ((y * 5) % 40);
      data[i + 2] = lip ? 40 : 120;
    }
  }
  return { data, width, height };
}

const lid = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));

const rig: FaceRig = {
  faceBox: { x: 60, y: 20, width: 120, height: 130 },
  mouth: { center: { x: 120, y: 100 }, axis: { x: 1, y: 0 }, width: 60, seam: new Float32Array(PROFILE_SAMPLES), chinDepth: 40, noseHeight: 20, jawHalfWidth: 50 },
  eyes: [
    { center: { x: 95, y: 60 }, axis: { x: 1, y: 0 }, width: 24, upperLid: lid(-5), lowerLid: lid(4) },
    { center: { x: 145, y: 60 }, axis: { x: 1, y: 0 }, width: 24, upperLid: lid(-5), lowerLid: lid(4) },
  ],
};

const rest = { jaw: 0, blinkLeft: 0, blinkRight: 0 };

function diffCount(a: Uint8Array, b: Uint8Array, width: number, test: (x: number, y: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 3) {
    const p = i / 3, x = p % width, y = Math.floor(p / width);
    if (test(x, y) && (Math.abs(a[i] - b[i]) > 2 || Math.abs(a[i + 1] - b[i + 1]) > 2 || Math.abs(a[i + 2] - b[i + 2]) > 2)) n++;
  }
  return n;
}

test('at rest the rendered frame equals the source', () => {
  const base = testCard();
  const r = createFrameRenderer(base, rig);
  const out = r.newFrame();
  r.renderInto(out, rest);
  assert.equal(diffCount(out, base.data, base.width, () => true), 0);
});

test('an open jaw parts the lips with a dark interior and moves nothing far from the mouth', () => {
  const base = testCard();
  const r = createFrameRenderer(base, rig);
  const out = r.newFrame();
  r.renderInto(out, { ...rest, jaw: 1 });
  // Below the seam at the mouth centre the interior is darker than the skin it replaced.
  const i = (106 * base.width + 120) * 3;
  assert.ok(out[i] + out[i + 1] + out[i + 2] < 300, `interior colour ${out[i]},${out[i + 1]},${out[i + 2]}`);
  assert.ok(diffCount(out, base.data, base.width, (x, y) => Math.abs(x - 120) < 25 && y > 95 && y < 130) > 200);
  // Above the nose and in the far corners nothing changes.
  assert.equal(diffCount(out, base.data, base.width, (_x, y) => y < 75), 0);
  assert.equal(diffCount(out, base.data, base.width, (x) => x < 5 || x > 235), 0);
});

test('the same buffer can go back to rest: every moving pixel is rewritten each frame', () => {
  const base = testCard();
  const r = createFrameRenderer(base, rig);
  const out = r.newFrame();
  r.renderInto(out, { jaw: 1, blinkLeft: 1, blinkRight: 1 });
  r.renderInto(out, rest);
  assert.equal(diffCount(out, base.data, base.width, () => true), 0);
});

test('a blink covers the eye and leaves the mouth alone', () => {
  const base = testCard();
  const r = createFrameRenderer(base, rig);
  const out = r.newFrame();
  r.renderInto(out, { ...rest, blinkLeft: 1 });
  assert.ok(diffCount(out, base.data, base.width, (x, y) => Math.abs(x - 95) < 12 && Math.abs(y - 60) < 6) > 0);
  assert.equal(diffCount(out, base.data, base.width, (x) => x > 125), 0);
  assert.equal(diffCount(out, base.data, base.width, (_x, y) => y > 75), 0);
});

test('without a face nothing moves', () => {
  const base = testCard();
  const r = createFrameRenderer(base, { faceBox: rig.faceBox, mouth: null, eyes: [] });
  const out = r.newFrame();
  r.renderInto(out, { jaw: 1, blinkLeft: 1, blinkRight: 1 });
  assert.deepEqual(r.regions, []);
  assert.equal(diffCount(out, base.data, base.width, () => true), 0);
});
