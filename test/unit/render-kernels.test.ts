// The native render kernels against the TypeScript ones: the same bytes and numbers, kernel by
// kernel and for whole frames, with both builds of the addon.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { FrameParams } from '../../src/core/types.js';
import { BlockKind, blockList } from '../../src/render/blocks.js';
import { classifyBlocks } from '../../src/render/classify.js';
import { updateEyeInPlace } from '../../src/render/eyes.js';
import { headMotion, type HeadMotion } from '../../src/render/head.js';
import { createFrameRenderer, PASSES, type PassClock } from '../../src/render/index.js';
import { JS_KERNELS, loadNativeKernels, RENDER_ADDON, RENDER_ADDON_V3, renderKernels } from '../../src/render/kernels.js';
import { SampleAction } from '../../src/render/sample.js';
import { prepareMouth, updateMouthInPlace } from '../../src/render/mouth.js';
import { lipsReach } from '../../src/render/mouth-map.js';
import { planesOf, rgbToYuv420, yuv420Size } from '../../src/render/yuv.js';
import { card, cardScene } from './render-card.js';

const K = BlockKind;

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

test('an animal\'s frame (its lids slid fur, both lids closing, their edges split) is the same bytes with either kernels', () => {
  const { base, rig } = card();
  const animal = { ...rig, mouth: { ...rig.mouth!, teeth: false } };
  const poses: FrameParams[] = [{ jaw: 0.3, blinkLeft: 1, blinkRight: 0.6 }, { jaw: 0.6, blinkLeft: 0.35, blinkRight: 0.85, gazeX: 0.4, headYaw: 3, headRoll: -2 }];
  const [js, native] = [JS_KERNELS, renderKernels()].map((k) => {
    const r = createFrameRenderer(base, animal, [], k);
    return poses.map((p) => { const out = r.newFrame(); r.renderInto(out, p); return out; });
  });
  assert.deepEqual(native, js);
  const human = createFrameRenderer(base, rig, [], JS_KERNELS), out = human.newFrame();
  human.renderInto(out, poses[0]);
  assert.notDeepEqual(js[0], out, 'an animal\'s lids are drawn differently');
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
