// The renderer's passes one by one, on inputs small enough to know every expected value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Rect } from '../../src/core/types.js';
import { BlockKind, blockList } from '../../src/render/blocks.js';
import { classifyBlocks, type HeadMasks } from '../../src/render/classify.js';
import { eyeBox, mapEye, updateEyeInPlace } from '../../src/render/eyes.js';
import { prepareEye } from '../../src/render/eye-prepare.js';
import type { HeadMotion } from '../../src/render/head.js';
import { JS_KERNELS, renderKernels } from '../../src/render/kernels.js';
import { newPixelSource } from '../../src/render/map.js';
import { reblendOverlays } from '../../src/render/overlay.js';
import { tracePixel } from '../../src/render/pixels.js';
import { SampleAction } from '../../src/render/sample.js';
import { headTrace } from '../../src/render/trace.js';
import { warpBlocks, type FaceWarps } from '../../src/render/warp.js';
import { updateMouthInPlace } from '../../src/render/mouth.js';
import { planesOf, yuv420Size, type YuvPlanes } from '../../src/render/yuv.js';
import { card, cardScene } from './render-card.js';

const K = BlockKind;

test('blockList lists the kept blocks with their top-left pixels, row by row', () => {
  const l = blockList({ x: 10, y: 4, width: 8, height: 4 }, 4, 2, (b) => b % 2 === 0);
  assert.equal(l.n, 4);
  assert.deepEqual([...l.b], [0, 2, 4, 6]);
  assert.deepEqual([...l.x], [10, 14, 10, 14]);
  assert.deepEqual([...l.y], [4, 4, 6, 6]);
});

/** A 16x8 region: head weight left of x = 7, shoulders right of x = 12, an eye top left, a mouth in the middle. */
function areas() {
  const bounds: Rect = { x: 0, y: 0, width: 16, height: 8 };
  const head: HeadMasks = {
    bounds,
    weight: Float32Array.from({ length: 128 }, (_, i) => (i % 16 < 7 ? 1 : 0)),
    weightDepth: Float32Array.from({ length: 128 }, (_, i) => (i % 16 < 7 ? 0.5 : 0)),
    bodyWeight: Float32Array.from({ length: 128 }, (_, i) => (i % 16 >= 12 ? 0.5 : 0)),
  };
  return {
    head, eyeBoxes: [{ x: 0, y: 0, width: 4, height: 2 }], lidBoxes: [{ x: 2, y: 0, width: 2, height: 2 }],
    mouthBox: { x: 4, y: 4, width: 4, height: 4 }, nearLips: (_x: number, y: number) => y > 6, slack: 0,
  };
}

test('classifyBlocks: brow, lids, jaw, lips, head, still and shoulder blocks, with their mean weights', () => {
  const map = classifyBlocks({ x: 0, y: 0, width: 16, height: 8 }, areas());
  assert.equal(map.bw, 8);
  assert.equal(map.bh, 4);
  assert.deepEqual([...map.kind], [
    K.Brow, K.Edge, K.Head, K.Head, K.Still, K.Still, K.Body, K.Body,
    K.Head, K.Head, K.Head, K.Head, K.Still, K.Still, K.Body, K.Body,
    K.Head, K.Head, K.Jaw, K.Jaw, K.Still, K.Still, K.Body, K.Body,
    K.Head, K.Head, K.Edge, K.Edge, K.Still, K.Still, K.Body, K.Body,
  ]);
  // An Edge block is calm as what it is around the edges; still and shoulder blocks as Head.
  assert.deepEqual([...map.calm.slice(0, 8)], [K.Brow, K.Brow, K.Head, K.Head, K.Head, K.Head, K.Head, K.Head]);
  assert.deepEqual([...map.calm.slice(24, 28)], [K.Head, K.Head, K.Jaw, K.Jaw]);
  assert.deepEqual([...map.eye.slice(0, 3)], [0, 0, 0]);
  // Block 3 covers x = 6 (head) and x = 7 (not): half the weight.
  assert.deepEqual([...map.weight.slice(0, 8)], [1, 1, 1, 0.5, 0, 0, 0, 0]);
  assert.deepEqual([...map.depth.slice(0, 8)], [0.5, 0.5, 0.5, 0.25, 0, 0, 0, 0]);
  assert.deepEqual([...map.body.slice(0, 8)], [0, 0, 0, 0, 0, 0, 0.5, 0.5]);
});

test('classifyBlocks grows the warp areas by the head motion\'s reach', () => {
  const map = classifyBlocks({ x: 0, y: 0, width: 16, height: 8 }, { ...areas(), slack: 2 });
  // Block (2, 0), centre x 4.5, is within 2 px of the eye and lid boxes (x < 4).
  assert.equal(map.kind[2], K.Edge);
  assert.equal(map.calm[2], K.Brow);
});

// A motion with binary-exact coefficients, so the traced points are exact.
const motion: HeadMotion = { a11: 0.25, a12: -0.5, a21: 0.5, a22: 0.25, lift: 0, tx: 1, ty: 2, sx: 3, sy: 4 };

test('headTrace: p - (w (A (p - pivot) + t) + wd s + wb t)', () => {
  const out = { x: 0, y: 0 };
  headTrace(motion, { x: 10, y: 20 }, 12, 24, 0.5, 0.25, 0.5, out);
  assert.deepEqual(out, { x: 11, y: 20 });
  headTrace(motion, { x: 10, y: 20 }, 12, 24, 0, 0, 0, out);
  assert.deepEqual(out, { x: 12, y: 24 });
});

test('traceBlocks traces each block centre with its mean weights; without motion every centre shows itself', () => {
  const list = blockList({ x: 10, y: 20, width: 4, height: 2 }, 2, 1, () => true);
  const w = { weight: Float32Array.of(0.5, 0), depth: Float32Array.of(0.25, 0), body: Float32Array.of(0.5, 0) };
  const qx = new Float64Array(2), qy = new Float64Array(2);
  for (const k of [JS_KERNELS, renderKernels()]) {
    // Centre (10.5, 20.5) about pivot (8.5, 16.5): the same offsets (2, 4) as above.
    k.traceBlocks(list, w, motion, { x: 8.5, y: 16.5 }, qx, qy);
    assert.deepEqual([...qx, ...qy], [9.5, 12.5, 16.5, 20.5], k.name);
    k.traceBlocks(list, w, null, { x: 8.5, y: 16.5 }, qx, qy);
    assert.deepEqual([...qx, ...qy], [10.5, 12.5, 20.5, 20.5], k.name);
  }
});

/** 8x8 planes: luma 10 x + y, chroma 100 + 10 x + y per chroma sample; and a background of 7s. */
function planes(): { src: YuvPlanes; bg: YuvPlanes } {
  const src = planesOf(new Uint8Array(yuv420Size(8, 8)), 8, 8);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) src.y[y * 8 + x] = 10 * x + y;
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) { src.u[y * 4 + x] = 100 + 10 * x + y; src.v[y * 4 + x] = 200 - 10 * x - y; }
  return { src, bg: planesOf(new Uint8Array(yuv420Size(8, 8)).fill(7), 8, 8) };
}

test('sampleBlocks moves blocks as a whole, copies the unmoved ones and leaves per-pixel ones to their pass', () => {
  const { src, bg } = planes();
  const list = blockList({ x: 0, y: 0, width: 8, height: 8 }, 4, 4, (b) => b === 5 || b === 6 || b === 10);
  // Block 5 (pixels 2-3, 2-3) from 2 px right and a half pixel down; 6 moves by 0.01 px; 10 is per pixel.
  const qx = Float64Array.of(4.5, 4.51, 0), qy = Float64Array.of(3, 2.5, 0);
  const action = Uint8Array.of(SampleAction.Block, SampleAction.Block, SampleAction.EdgePixels);
  for (const k of [JS_KERNELS, renderKernels()]) {
    const out = planesOf(new Uint8Array(yuv420Size(8, 8)), 8, 8), fresh = new Uint8Array(16);
    k.sampleBlocks(list, action, qx, qy, src, bg, out, fresh);
    // Luma 10 (x + 2) + y + 0.5, rounded: e.g. (2, 2) -> 42.5 + 0.5 -> 43.
    assert.deepEqual([out.y[18], out.y[19], out.y[26], out.y[27]], [43, 53, 44, 54], k.name);
    // Chroma at ((4.5 - 0.5) / 2, (3 - 0.5) / 2) = (2, 1.25): 100 + 20 + 1.25 + 0.5 -> 121.
    assert.deepEqual([out.u[5], out.v[5]], [121, 179], k.name);
    assert.deepEqual([out.y[20], out.y[21], out.y[28], out.y[29], out.u[6], out.v[6]], [7, 7, 7, 7, 7, 7], k.name);
    assert.deepEqual([out.y[36], out.u[9]], [0, 0], k.name);
    assert.deepEqual([fresh[5], fresh[6], fresh[10]], [1, 0, 1], k.name);
  }
});

test('warpBlocks sends brow blocks on through the eye warp and marks blocks at the lids per pixel', () => {
  const { base, rig } = card();
  const eye = prepareEye(base, rig.eyes[0]);
  updateEyeInPlace(eye, 0.8, 0, 0, 1);
  const warps: FaceWarps = { mouth: null, mouthBox: null, eyes: [eye], eyeBoxes: [eyeBox(eye)] };
  const region = { x: 0, y: 0, width: 240, height: 220 };
  const map = classifyBlocks(region, { head: null, eyeBoxes: warps.eyeBoxes, lidBoxes: [eye.lidBounds], mouthBox: null, nearLips: () => false, slack: 2 });
  const list = blockList(region, map.bw, map.bh, (b) => map.kind[b] === K.Brow || map.kind[b] === K.Edge);
  const warped = Int32Array.from({ length: list.n }, (_, i) => i);
  const qx = Float64Array.from(list.x, (x) => x + 0.5), qy = Float64Array.from(list.y, (y) => y + 0.5);
  const action = new Uint8Array(list.n).fill(9);
  warpBlocks(warps, map, list, warped, qx, qy, action, newPixelSource());
  const s = newPixelSource();
  let brows = 0, lids = 0;
  for (let i = 0; i < list.n; i++) {
    const kind = map.kind[list.b[i]], lidBox = eye.lidBounds;
    const nearLid = list.x[i] + 0.5 >= lidBox.x - 6 && list.x[i] + 0.5 < lidBox.x + lidBox.width + 6 && list.y[i] + 0.5 >= lidBox.y - 6 && list.y[i] + 0.5 < lidBox.y + lidBox.height + 6;
    if (kind === K.Edge && nearLid) { assert.equal(action[i], SampleAction.EdgePixels); lids++; }
    if (kind === K.Brow) {
      mapEye(eye, list.x[i] + 0.5, list.y[i] + 0.5, s);
      assert.deepEqual([action[i], qx[i], qy[i]], [SampleAction.Block, s.x, s.y]);
      brows++;
    }
  }
  assert.ok(brows > 50 && lids > 50, `${brows} brow and ${lids} lid blocks`);
});

test('reblendOverlays draws the overlay again only over blocks drawn from the clean base', () => {
  const out = planesOf(new Uint8Array(yuv420Size(4, 2)), 4, 2);
  // An opaque white 4x2 overlay over two blocks: block 0 fresh, block 1 copied from the background.
  const o = { rgba: new Uint8Array(4 * 2 * 4).fill(255), width: 4, height: 2, x: 0, y: 0 };
  reblendOverlays(out, [{ o, clip: { x: 0, y: 0, width: 4, height: 2 } }], { x: 0, y: 0, width: 4, height: 2 }, 2, Uint8Array.of(K.Head, K.Head), Uint8Array.of(1, 0));
  // White is Y 235 in studio swing; the blend truncates (16 + 219 / 255 * 255 is 234.99999999999997).
  assert.deepEqual([...out.y], [234, 234, 0, 0, 234, 234, 0, 0]);
  assert.deepEqual([...out.u, ...out.v], [128, 0, 128, 0]);
});

test('round its lids an eye\'s warp comes first where the mouth\'s area reaches over them (an animal\'s face), with either kernels', () => {
  const { mouth, eyes, scene } = cardScene();
  // The mouth's area over the whole face, the eyes' lids included.
  const over = { ...scene, warps: { ...scene.warps, mouthBox: { x: 0, y: 0, width: 240, height: 220 } } };
  updateMouthInPlace(mouth, { jaw: 0.6, blinkLeft: 0.7, blinkRight: 0.7 });
  eyes.forEach((e) => updateEyeInPlace(e, 0.7, 0, 0, 0));
  const s = newPixelSource(), t = newPixelSource();
  let n = 0;
  for (const [e, eye] of eyes.entries()) {
    const b = eye.lidBounds;
    for (let y = Math.ceil(b.y); y < b.y + b.height; y += 2) for (let x = Math.ceil(b.x); x < b.x + b.width; x += 2) {
      tracePixel(over, null, x, y, s);
      mapEye(eye, x, y, t);
      assert.deepEqual([s.x, s.y, s.cover, s.dark, s.eye], [t.x, t.y, t.cover, t.dark, e], `(${x}, ${y})`);
      n++;
    }
  }
  assert.ok(n > 50, `${n} lid pixels`);
  const list = blockList({ x: 60, y: 20, width: 120, height: 150 }, 60, 75, () => true);
  const positions = Int32Array.from({ length: list.n }, (_, i) => i);
  const action = new Uint8Array(list.n).fill(SampleAction.EdgePixels);
  const frames = [JS_KERNELS, renderKernels()].map((k) => {
    const out = new Uint8Array(yuv420Size(240, 220));
    k.drawEdgeBlocks(over, list, positions, action, null, planesOf(out, 240, 220));
    return out;
  });
  assert.deepEqual(frames[1], frames[0]);
});
