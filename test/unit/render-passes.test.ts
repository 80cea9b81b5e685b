// The renderer's passes one by one, on inputs small enough to know every expected value.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { FaceRig, FrameParams, Rect, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { BlockKind, blockList } from '../../src/render/blocks.js';
import { classifyBlocks, type HeadMasks } from '../../src/render/classify.js';
import { eyeBox, mapEye, prepareEye, updateEyeInPlace } from '../../src/render/eyes.js';
import { headMotion, prepareHead, type HeadMotion } from '../../src/render/head.js';
import { createFrameRenderer, PASSES, type PassClock } from '../../src/render/index.js';
import { JS_KERNELS, loadNativeKernels, RENDER_ADDON, RENDER_ADDON_V3, renderKernels } from '../../src/render/kernels.js';
import { newPixelSource } from '../../src/render/map.js';
import { reblendOverlays } from '../../src/render/overlay.js';
import { tracePixel } from '../../src/render/pixels.js';
import { SampleAction } from '../../src/render/sample.js';
import { headTrace } from '../../src/render/trace.js';
import { warpBlocks, type FaceWarps } from '../../src/render/warp.js';
import { prepareMouth, updateMouthInPlace } from '../../src/render/mouth.js';
import { lipsReach } from '../../src/render/mouth-map.js';
import { planesOf, rgbToYuv420, yuv420Size, type YuvPlanes } from '../../src/render/yuv.js';

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

test('the native kernels are built and give the TypeScript kernels\' bytes on random blocks', () => {
  assert.equal(renderKernels().name, 'native', 'run `npm run setup` to build native/render');
  const W = 64, H = 48;
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const src = planesOf(Uint8Array.from({ length: yuv420Size(W, H) }, () => Math.floor(rnd() * 256)), W, H);
  const bg = planesOf(Uint8Array.from({ length: yuv420Size(W, H) }, () => Math.floor(rnd() * 256)), W, H);
  const list = blockList({ x: 0, y: 0, width: W, height: H }, W / 2, H / 2, () => rnd() < 0.7);
  const w = { weight: Float32Array.from({ length: list.n * 4 }, rnd), depth: Float32Array.from({ length: list.n * 4 }, rnd), body: Float32Array.from({ length: list.n * 4 }, rnd) };
  const m: HeadMotion = { a11: -0.01, a12: -0.13, a21: 0.13, a22: -0.01, lift: 0.3, tx: 0.1, ty: -0.3, sx: 7.3, sy: -2.9 };
  const action = Uint8Array.from({ length: list.n }, () => (rnd() < 0.9 ? SampleAction.Block : SampleAction.EdgePixels));
  // Some blocks (nearly) unmoved, some far outside the picture (clamped to its edge).
  const nudge = Float64Array.from({ length: list.n }, () => (rnd() - 0.5) * 0.05);
  const far = Float64Array.from({ length: 2 * list.n }, (_, i) => (i & 1 ? -20 + 90 * rnd() : -20 + 120 * rnd()));
  const run = (k: typeof JS_KERNELS) => {
    const qx = new Float64Array(list.n), qy = new Float64Array(list.n);
    k.traceBlocks(list, w, m, { x: 30.3, y: 60.7 }, qx, qy);
    const traced = [Float64Array.from(qx), Float64Array.from(qy)];
    for (let i = 0; i < list.n; i += 5) { qx[i] = list.x[i] + 0.5 + nudge[i]; qy[i] = list.y[i] + 0.5; }
    for (let i = 3; i < list.n; i += 17) { qx[i] = far[2 * i]; qy[i] = far[2 * i + 1]; }
    const out = new Uint8Array(yuv420Size(W, H)), fresh = new Uint8Array(list.n * 4);
    k.sampleBlocks(list, action, qx, qy, src, bg, planesOf(out, W, H), fresh);
    return { traced, out, fresh };
  };
  const js = run(JS_KERNELS), native = run(renderKernels());
  assert.deepEqual(native.traced, js.traced);
  assert.deepEqual(native.out, js.out);
  assert.deepEqual(native.fresh, js.fresh);
  assert.ok(js.fresh.includes(0) && js.fresh.includes(1));
});

const flat = (v: number) => new Float32Array(PROFILE_SAMPLES).fill(v);
const lid = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));
const eyeRig = (x: number) => ({ center: { x, y: 60 }, axis: { x: 1, y: 0 }, width: 24, upperLid: lid(-5), lowerLid: lid(4), iris: { u: 0, v: 0, radius: 4 } });

/** A 240x220 gradient card with a face rig: two eyes, a mouth, a head. */
function card(): { base: RgbImage; rig: FaceRig } {
  const W = 240, H = 220, data = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) { data[3 * i] = 150 + ((i % W) * 7) % 60; data[3 * i + 1] = 120 + (Math.floor(i / W) * 5) % 60; data[3 * i + 2] = 110; }
  return {
    base: { data, width: W, height: H },
    rig: {
      faceBox: { x: 60, y: 20, width: 120, height: 130 },
      mouth: {
        center: { x: 120, y: 100 }, axis: { x: 1, y: 0 }, width: 60, seam: flat(0),
        upperInner: lid(0), lowerInner: lid(0), lipTop: -6, lipBottom: 7, chinDepth: 40, noseHeight: 20, jawHalfWidth: 50,
      },
      eyes: [eyeRig(95), eyeRig(145)],
      head: { center: { x: 120, y: 80 }, axis: { x: 1, y: 0 }, halfWidth: 60, halfHeight: 75, pivot: { x: 120, y: 180 }, chin: { x: 120, y: 140 } },
    },
  };
}

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

test('warpJawBlocks: the native kernel moves jaw blocks through the mouth grid as the TypeScript does', () => {
  const { base, rig } = card();
  const mouth = prepareMouth(base, rig.mouth!);
  updateMouthInPlace(mouth, { jaw: 0.9, blinkLeft: 0, blinkRight: 0, smile: 0.4 });
  const b = mouth.bounds;
  // Every 2x2 block centre over the mouth area and a margin around it (outside the grid: unmoved).
  const xs: number[] = [], ys: number[] = [];
  for (let y = b.y - 6; y < b.y + b.height + 6; y += 2) for (let x = b.x - 6; x < b.x + b.width + 6; x += 2) { xs.push(x + 0.5); ys.push(y + 0.5); }
  const jaw = Int32Array.from(xs, (_, i) => i);
  const run = (k: typeof JS_KERNELS) => {
    const qx = Float64Array.from(xs), qy = Float64Array.from(ys), action = new Uint8Array(xs.length).fill(9);
    k.warpJawBlocks(mouth, jaw, qx, qy, action);
    return { qx, qy, action };
  };
  const js = run(JS_KERNELS), native = run(renderKernels());
  assert.deepEqual(native, js);
  assert.ok(js.qy.some((y, i) => Math.abs(y - ys[i]) > 1), 'the open jaw moves blocks');
  assert.equal(js.qx[0], xs[0]);
  assert.ok(js.action.every((a) => a === SampleAction.Block || a === SampleAction.JawPixels));
});

test('drawJawBlocks: the native kernel draws squeezed jaw blocks pixel by pixel as the TypeScript does', () => {
  const { base, rig } = card();
  const mouth = prepareMouth(base, rig.mouth!);
  updateMouthInPlace(mouth, { jaw: 0.9, blinkLeft: 0, blinkRight: 0, smile: 0.4 });
  const src = planesOf(rgbToYuv420(base.data, 240, 220), 240, 220);
  const list = blockList({ x: 60, y: 70, width: 120, height: 90 }, 60, 45, () => true);
  const positions = Int32Array.from({ length: list.n }, (_, i) => i);
  // Every other block per pixel, with a head displacement of its own.
  const action = Uint8Array.from(positions, (i) => (i % 2 ? SampleAction.JawPixels : SampleAction.Block));
  const qx = Float64Array.from(positions, (i) => list.x[i] + 0.5 + ((i * 7) % 5) * 0.3), qy = Float64Array.from(positions, (i) => list.y[i] + 0.5 - ((i * 3) % 4) * 0.4);
  const frames = [JS_KERNELS, renderKernels()].map((k) => {
    const out = new Uint8Array(yuv420Size(240, 220));
    k.drawJawBlocks(mouth, list, positions, action, qx, qy, src, planesOf(out, 240, 220));
    return out;
  });
  assert.deepEqual(frames[1], frames[0]);
  // Block-action blocks are left alone; per-pixel ones drawn.
  assert.equal(frames[0][70 * 240 + 60], 0);
  assert.notEqual(frames[0][70 * 240 + 62], 0);
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

test('a frame is the same bytes with either kernels, and the pass clock names every pass', () => {
  const { base, rig } = card();
  const clock: PassClock = { now: () => performance.now(), ms: {} };
  const frames = [JS_KERNELS, renderKernels()].map((k) => {
    const r = createFrameRenderer(base, rig, [], k);
    const out = r.newFrame();
    r.renderInto(out, { jaw: 0.7, blinkLeft: 0.5, blinkRight: 0, headYaw: 4, headPitch: -3, headRoll: 2, breath: 0.8, browRaise: 0.5, smile: 0.3 }, clock);
    return out;
  });
  assert.deepEqual(frames[1], frames[0]);
  assert.deepEqual(Object.keys(clock.ms).sort(), [...PASSES].sort());
});

const v3 = (createRequire(import.meta.url)(RENDER_ADDON) as { x86V3(): boolean }).x86V3();
test('the x86-64-v3 build of the addon gives the baseline build\'s and the TypeScript\'s bytes', { skip: !v3 && 'this CPU has no x86-64-v3' }, () => {
  const { base, rig } = card();
  const poses: FrameParams[] = [
    { jaw: 0, blinkLeft: 0, blinkRight: 0 },
    { jaw: 0.9, blinkLeft: 1, blinkRight: 0.4, gazeX: 0.7, gazeY: -0.4, browRaise: 1, smile: 0.5, lipSpread: 0.3, headYaw: 5, headPitch: -3, headRoll: 2, breath: 0.5 },
    { jaw: 0.5, blinkLeft: 0.2, blinkRight: 0.7, gazeX: -1, gazeY: 0.6, lipRound: 0.6, upperLipRaise: 0.5, headYaw: -4, headRoll: -3 },
  ];
  const [js, baseline, wide] = [JS_KERNELS, loadNativeKernels(RENDER_ADDON), loadNativeKernels(RENDER_ADDON_V3)].map((k) => {
    const r = createFrameRenderer(base, rig, [], k);
    return poses.map((p) => { const out = r.newFrame(); r.renderInto(out, p); return out; });
  });
  assert.deepEqual(wide, baseline);
  assert.deepEqual(wide, js);
  assert.notDeepEqual(wide[1], wide[0], 'the poses draw different frames');
});

/** The test card's face prepared as the renderer prepares it: its warps and the scene the per-pixel kernels read. */
function cardScene() {
  const { base, rig } = card();
  const src = planesOf(rgbToYuv420(base.data, 240, 220), 240, 220);
  const mouth = prepareMouth(base, rig.mouth!);
  const eyes = rig.eyes.map((e) => prepareEye(base, e));
  const head = prepareHead(rig.head!, 240, 220);
  const warps: FaceWarps = { mouth, mouthBox: mouth.bounds, eyes, eyeBoxes: eyes.map(eyeBox) };
  return { rig, mouth, eyes, head, warps, scene: { src, warps, head, pivot: rig.head!.pivot } };
}

test('drawEdgeBlocks: the native kernel draws the blocks at the lips and lids pixel by pixel as the TypeScript does', () => {
  const { rig, mouth, eyes, scene } = cardScene();
  // Every block of the face, all drawn per pixel: lips, interior, lids, eyeballs, brows and skin.
  const list = blockList({ x: 60, y: 20, width: 120, height: 150 }, 60, 75, () => true);
  const positions = Int32Array.from({ length: list.n }, (_, i) => i);
  const action = Uint8Array.from(positions, (i) => (i % 7 === 3 ? SampleAction.Block : SampleAction.EdgePixels));
  const poses: FrameParams[] = [
    { jaw: 0, blinkLeft: 0, blinkRight: 0 },
    { jaw: 0.9, blinkLeft: 1, blinkRight: 0.4, gazeX: 0.7, gazeY: -0.4, browRaise: 1, smile: 0.5, lipSpread: 0.3, headYaw: 5, headPitch: -3, headRoll: 2, breath: 0.5 },
    { jaw: 0.5, blinkLeft: 0.2, blinkRight: 0.7, gazeX: -1, gazeY: 0.6, lipRound: 0.6, upperLipRaise: 0.5, headYaw: -4, headRoll: -3 },
  ];
  for (const p of poses) {
    updateMouthInPlace(mouth, p);
    eyes.forEach((e, i) => updateEyeInPlace(e, i === 0 ? p.blinkLeft : p.blinkRight, p.gazeX ?? 0, p.gazeY ?? 0, p.browRaise ?? 0));
    const m = headMotion(rig.head!, p.headYaw ?? 0, p.headPitch ?? 0, p.headRoll ?? 0, p.breath ?? 0);
    const frames = [JS_KERNELS, renderKernels()].map((k) => {
      const out = new Uint8Array(yuv420Size(240, 220));
      k.drawEdgeBlocks(scene, list, positions, action, p.headYaw ? m : null, planesOf(out, 240, 220));
      return out;
    });
    assert.deepEqual(frames[1], frames[0], JSON.stringify(p));
    // Block-action blocks are left alone; per-pixel ones drawn.
    assert.equal(frames[0][20 * 240 + 66], 0);
    assert.notEqual(frames[0][20 * 240 + 60], 0);
  }
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

test('the native kernels\' cosine is Math.cos to the bit over the gaze\'s range', () => {
  const addon = createRequire(import.meta.url)(RENDER_ADDON) as { jsCos(x: Float64Array, out: Float64Array): void };
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const x = Float64Array.from({ length: 200000 }, (_, i) => (i < 8 ? [0, 1e-9, Math.PI / 4, -Math.PI / 4, Math.PI / 2, -Math.PI / 2, 0.3, 0.78125][i] : (random() - 0.5) * 4.7));
  const out = new Float64Array(x.length);
  addon.jsCos(x, out);
  const off = [...x].filter((v, i) => out[i] !== Math.cos(v));
  assert.deepEqual(off, []);
});

test('warpBlocks: the native kernel warps edge, brow and jaw blocks as the TypeScript does', () => {
  const { mouth, eyes, head, warps, scene } = cardScene();
  const region = { x: 0, y: 0, width: 240, height: 220 };
  const map = classifyBlocks(region, {
    head, eyeBoxes: warps.eyeBoxes, lidBoxes: eyes.map((e) => e.lidBounds), mouthBox: mouth.bounds, nearLips: lipsReach(mouth), slack: 6,
  });
  const list = blockList(region, map.bw, map.bh, (b) => [K.Edge, K.Brow, K.Jaw].includes(map.kind[b] as 2 | 3 | 4));
  const positions = Int32Array.from({ length: list.n }, (_, i) => i);
  let seen = 0;
  for (const p of [{ jaw: 0.9, blinkLeft: 0.3, blinkRight: 1, gazeX: 0.6, gazeY: 0.5, browRaise: 1, smile: 0.6 }, { jaw: 0.2, blinkLeft: 0, blinkRight: 0, browRaise: 0.4, lipRound: 1 }]) {
    updateMouthInPlace(mouth, p);
    eyes.forEach((e, i) => updateEyeInPlace(e, i === 0 ? p.blinkLeft : p.blinkRight, p.gazeX ?? 0, p.gazeY ?? 0, p.browRaise));
    // Block centres as a head motion might have traced them: up to 5 px away.
    const runs = [JS_KERNELS, renderKernels()].map((k) => {
      const qx = Float64Array.from(positions, (i) => list.x[i] + 0.5 + ((i * 7) % 11) - 5), qy = Float64Array.from(positions, (i) => list.y[i] + 0.5 + ((i * 5) % 9) - 4);
      const action = new Uint8Array(list.n).fill(9);
      k.warpBlocks(scene, map, list, positions, qx, qy, action);
      return { qx, qy, action };
    });
    assert.deepEqual(runs[1], runs[0]);
    for (const a of [SampleAction.Block, SampleAction.JawPixels, SampleAction.EdgePixels]) if (runs[0].action.includes(a)) seen |= 1 << a;
  }
  assert.equal(seen, 7, 'block, jaw-pixel and edge-pixel actions all occur');
});

test('updateMouthInPlace: the native column inversion and shift grid are the TypeScript\'s numbers', () => {
  const { base, rig } = card();
  const [js, native] = [JS_KERNELS, renderKernels()].map((k) => ({ k, w: prepareMouth(base, rig.mouth!) }));
  const poses: FrameParams[] = [
    { jaw: 1, blinkLeft: 0, blinkRight: 0, smile: 0.8, lipSpread: 0.5 },
    { jaw: 0.35, blinkLeft: 0, blinkRight: 0, lipRound: 0.9, upperLipRaise: 1 },
    { jaw: 0, blinkLeft: 0, blinkRight: 0, lipPress: 1 },
  ];
  for (const p of poses) {
    for (const { k, w } of [js, native]) updateMouthInPlace(w, p, k.mouthFill);
    for (const table of ['upperInv', 'lowerInv', 'gridX', 'gridY'] as const) assert.deepEqual(native.w[table], js.w[table], `${table} ${JSON.stringify(p)}`);
    assert.ok(js.w.gridY.some((d) => Math.abs(d) > 1), 'the warp moves the grid');
  }
});
