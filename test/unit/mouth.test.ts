// The mouth's opening and interior: how far a jaw value opens the lips on faces of any shape,
// what shows between them, and a source mouth that is already open (issues 11 and 13).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MouthRig, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { landmarksFromPoints, openMouthDepth, rigFromLandmarks, withOpenMouth } from '../../src/analyze/face/index.js';
import { newPixelSource } from '../../src/render/map.js';
import { nearClosure, openingOf, openingScale, prepareMouth, updateMouthInPlace } from '../../src/render/mouth.js';
import { MOUTH } from '../../src/render/mouth-config.js';
import { mapMouth } from '../../src/render/mouth-map.js';
import { ACOUSTIC } from '../../src/animate/speech/acoustic-config.js';
import { DRAWN_TEETH, interiorInto, mouthPalette, mouthState } from '../../src/render/mouth-interior.js';

const flat = (v: number) => new Float32Array(PROFILE_SAMPLES).fill(v);
const bow = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));

function mouthRig(width: number, gap = 0): MouthRig {
  return {
    center: { x: 120, y: 100 }, axis: { x: 1, y: 0 }, width, seam: flat(0),
    upperInner: bow(-gap / 2), lowerInner: bow(gap / 2),
    lipTop: -6, lipBottom: 7, chinDepth: 45, noseHeight: 25, jawHalfWidth: 70, teeth: true,
  };
}

function card(w: number, h: number, rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) data.set(rgb, 3 * i);
  return { data, width: w, height: h };
}

test('the opening curve keeps rest and full open, and parts the lips visibly for the small jaw values of fast speech', () => {
  assert.equal(openingOf(0), 0);
  assert.equal(openingOf(MOUTH.openDeadZone), 0, 'a jaw settling towards rest shows no slit');
  assert.equal(openingOf(1), 1);
  let prev = 0;
  for (let j = 0.01; j <= 1; j += 0.01) { const o = openingOf(j); assert.ok(o >= prev, `not monotone at ${j}`); prev = o; }
  // Mandarin at 8 syllables a second has a median jaw of about 0.09 and a 75th percentile of 0.2.
  assert.ok(openingOf(0.09) > 1.5 * 0.09, `jaw 0.09 opens ${openingOf(0.09).toFixed(3)} of the widest gap`);
  assert.ok(openingOf(0.2) > 1.4 * 0.2, `jaw 0.2 opens ${openingOf(0.2).toFixed(3)}`);
});

test('the opening is sized by the face, not by the lips: a thin narrow mouth opens as far as a wide one on the same face', () => {
  const usual = mouthRig(58), narrow = mouthRig(46), smile = mouthRig(76);
  assert.ok(Math.abs(openingScale(narrow) - openingScale(usual)) < 0.02 * openingScale(usual), `${openingScale(narrow)} vs ${openingScale(usual)}`);
  // A broad smile keeps at least its own width's opening.
  assert.equal(openingScale(smile), 76);
  // Held near the mouth's own size where the proportions are odd (a cat's tiny mouth in a big face).
  assert.ok(openingScale(mouthRig(20)) <= 1.4 * 20 + 1e-9);
  const w = prepareMouth(card(240, 220, [180, 140, 120]), narrow);
  updateMouthInPlace(w, { jaw: 1, blinkLeft: 0, blinkRight: 0 });
  const mid = MOUTH.columns >> 1;
  assert.ok(Math.abs(w.bottom[mid] - w.top[mid] - MOUTH.maxOpen * openingScale(narrow)) < 1, `gap ${w.bottom[mid] - w.top[mid]}`);
});

test('a tongue\'s near-closure (t, d, n, k) leaves the lips just apart; a p/b/m press and rest shut them', () => {
  const rig = mouthRig(58);
  const w = prepareMouth(card(240, 220, [180, 140, 120]), rig);
  const mid = MOUTH.columns >> 1;
  const gapAt = (lipPress: number) => { updateMouthInPlace(w, { jaw: 0, lipPress, blinkLeft: 0, blinkRight: 0 }); return w.bottom[mid] - w.top[mid]; };
  const apart = gapAt(ACOUSTIC.tongueClosure);
  assert.ok(Math.abs(apart - MOUTH.tongueGap * openingScale(rig) * MOUTH.maxOpen) < 0.5 && apart >= 2, `tongue closure gap ${apart.toFixed(2)} px`);
  assert.ok(gapAt(1) <= 0, `a p/b/m press leaves ${gapAt(1).toFixed(2)} px`);
  assert.ok(Math.abs(gapAt(0)) < 1e-9, 'rest opens');
  assert.equal(nearClosure(0), 0);
  assert.equal(nearClosure(1), 0);
});

test('between the lips: lower teeth show once the jaw drops, a tongue behind them, never teeth for an animal', () => {
  const rig = mouthRig(60);
  const palette = mouthPalette(card(240, 220, [190, 140, 120]), rig);
  const s = newPixelSource();
  const lumaAt = (gap: number, depth: number, lowerTeeth: boolean, tu = 0) => {
    interiorInto(palette, 60, tu, depth, gap, { upperTeeth: lowerTeeth, lowerTeeth }, s);
    return s.cy;
  };
  const wide = 0.3 * 60;
  assert.ok(lumaAt(wide, wide - 1.5, true) > lumaAt(wide, wide - 1.5, false) + 40, 'no lower teeth at the lower lip of a wide-open mouth');
  assert.ok(lumaAt(3, 2, true) < 110, 'lower teeth in a mouth barely open');
  assert.ok(lumaAt(wide, 0.5, true) > lumaAt(wide, 0.5, false) + 60, 'upper teeth missing');
  // The animal's interior: dark, warmer (tongue) low in the middle than at the top.
  interiorInto(palette, 60, 0, 0.8 * wide, wide, { upperTeeth: false, lowerTeeth: false }, s);
  const tongueCr = s.cv;
  interiorInto(palette, 60, 0, 0.3 * wide, wide, { upperTeeth: false, lowerTeeth: false }, s);
  assert.ok(tongueCr > s.cv, `tongue Cr ${tongueCr} vs cavity ${s.cv}`);
});

test('drawn upper teeth are rounded and narrow towards the corners, not evenly spaced keys with hard lines', () => {
  const W = 120, rig = mouthRig(W);
  const palette = mouthPalette(card(240, 220, [190, 140, 120]), rig);
  const s = newPixelSource();
  const gap = 0.3 * W, depth = 0.04 * W;
  // Across the upper teeth a pixel at a time (tu: 1 at the mouth's corner, W / 2 px away).
  const luma = Array.from({ length: 40 }, (_, i) => { interiorInto(palette, W, i / (W / 2), depth, gap, { upperTeeth: true, lowerTeeth: false }, s); return s.cy; });
  const teeth = Math.max(...luma);
  const steps = luma.slice(1).map((l, i) => Math.abs(l - luma[i]));
  assert.ok(Math.max(...steps) < 0.08 * teeth, `a step of ${Math.max(...steps).toFixed(1)} levels between neighbouring pixels (teeth at ${teeth.toFixed(0)})`);
  // The grooves between teeth (the darkest pixels between lighter ones), from the middle out.
  const grooves = luma.flatMap((l, i) => (i > 0 && i < luma.length - 1 && l < luma[i - 1] && l <= luma[i + 1] ? [i] : []));
  assert.ok(grooves.length >= 3, `grooves at ${grooves.join(', ')} px`);
  const widths = grooves.slice(1).map((g, i) => g - grooves[i]);
  assert.ok(widths.every((w, i) => i === 0 || w <= widths[i - 1]) && widths[0] > widths[widths.length - 1], `teeth ${widths.join(', ')} px wide from the middle out`);
});

test('under the source\'s own teeth the drawn shadow fades in over a few pixels, not in one step', () => {
  // Source: skin, lips, bright teeth in a gap 12 px tall.
  const W = 240, H = 220, base = card(W, H, [190, 140, 120]);
  for (let y = 86; y <= 114; y++) for (let x = 80; x <= 160; x++) base.data.set(y >= 94 && y <= 106 ? [235, 230, 220] : [170, 70, 80], (y * W + x) * 3);
  const rig = mouthRig(70, 12);
  assert.equal(mouthState(rig), 'open');
  const w = prepareMouth(base, rig);
  assert.ok(w.sourceTeeth);
  updateMouthInPlace(w, { jaw: 1, blinkLeft: 0, blinkRight: 0 });
  const s = newPixelSource();
  const covers: number[] = [];
  for (let y = 80; y < 140; y++) { mapMouth(w, 120, y, s); covers.push(s.cover); }
  const steps = covers.slice(1).map((c, i) => c - covers[i]);
  assert.ok(Math.max(...covers) > 0.95, 'no drawn interior below the teeth');
  assert.ok(Math.max(...steps) < 0.75, `the interior starts in one step under the teeth (${Math.max(...steps).toFixed(2)})`);
});

test('a smile showing tall teeth of its own opens as far below them as a closed mouth opens below drawn teeth', () => {
  // Source: lips around a gap 24 px tall (a fifth of the mouth's width) full of bright teeth,
  // with room below for the neck (a frame ending sooner limits the opening: the next test).
  const W = 240, H = 320, base = card(W, H, [190, 140, 120]);
  for (let y = 78; y <= 122; y++) for (let x = 70; x <= 170; x++) base.data.set(Math.abs(y - 100) <= 12 ? [235, 230, 220] : [170, 70, 80], (y * W + x) * 3);
  const toothy: MouthRig = { ...mouthRig(100, 24), lipTop: -20, lipBottom: 22 };
  const closed: MouthRig = { ...mouthRig(100), lipTop: -20, lipBottom: 22 };
  const drawnRows = (rig: MouthRig, image: RgbImage) => {
    const w = prepareMouth(image, rig);
    updateMouthInPlace(w, { jaw: 1, blinkLeft: 0, blinkRight: 0 });
    const s = newPixelSource();
    let n = 0;
    for (let y = 40; y < 200; y++) { mapMouth(w, 120, y, s); if (s.cover > 0.5) n++; }
    return { w, n };
  };
  const own = drawnRows(toothy, base), plain = drawnRows(closed, card(W, H, [190, 140, 120]));
  assert.ok(own.w.sourceTeeth && own.w.teethDepth[MOUTH.columns >> 1] > 20, 'the source\'s teeth are reused');
  // The closed mouth's drawn interior includes its drawn upper teeth; below the real ones, the rest.
  assert.ok(own.n >= plain.n - DRAWN_TEETH * 100 - 2, `${own.n} rows drawn below the teeth, ${plain.n} in a closed mouth opened as far`);
});

test('a picture cut under the lips: the jaw fades out by the frame\'s last row, which keeps its own row, and opens no further than the room allows', () => {
  // Rows of the mouth's middle column drawn from (source y per output y), each frame row from
  // the lip down; a frame ending below the chin leaves the warp as it was.
  const sourceRows = (w: ReturnType<typeof prepareMouth>, from: number, to: number) => {
    const s = newPixelSource(), ys: number[] = [];
    for (let y = from; y < to; y++) { mapMouth(w, 120, y, s); ys.push(s.y); }
    return ys;
  };
  const tall = prepareMouth(card(240, 400, [180, 140, 120]), mouthRig(58));
  for (const [H, rig, jaw] of [[150, mouthRig(58), 1], [125, mouthRig(58), 1], [150, { ...mouthRig(100, 24), lipTop: -20, lipBottom: 22 }, 0]] as const) {
    const w = prepareMouth(card(240, H, [180, 140, 120]), rig);
    updateMouthInPlace(w, { jaw, blinkLeft: 0, blinkRight: 0 });
    const ys = sourceRows(w, 100, H);
    assert.ok(Math.abs(ys[ys.length - 1] - (H - 1)) < 0.5, `${H} px frame: its last row drawn from source row ${ys[ys.length - 1].toFixed(1)}`);
    assert.ok(ys.every((y) => y <= H - 1 + 0.01), `${H} px frame: rows drawn from past its edge (${Math.max(...ys).toFixed(1)})`);
    // No fold: the rows below the lower lip keep their order.
    const lip = ys.findIndex((y) => y > 100 + 30);
    for (let k = Math.max(1, lip); k < ys.length; k++) assert.ok(ys[k] >= ys[k - 1] - 1e-6, `${H} px frame: folded at row ${100 + k}`);
    if (jaw === 1) assert.ok(w.openPx <= Math.min(tall.openPx, (H - 1 - 100) / 2.2) + 1e-9 && (H > 125 || w.openPx < tall.openPx), `${H} px frame opens ${w.openPx.toFixed(1)} px (${tall.openPx.toFixed(1)} with a neck)`);
  }
  assert.ok(!Number.isFinite(tall.frameV) || tall.frameV > 250);
});

test('a marked face whose picture shows an open mouth gets an open source mouth (so silence closes it); a closed one is left closed', () => {
  const W = 200, H = 200;
  const points = { leftEye: { x: 70, y: 50 }, rightEye: { x: 130, y: 50 }, mouthLeft: { x: 70, y: 100 }, mouthRight: { x: 130, y: 100 } };
  const closed = card(W, H, [150, 150, 150]);
  for (let x = 72; x <= 128; x++) closed.data.set([40, 40, 40], (100 * W + x) * 3);
  const open = card(W, H, [150, 150, 150]);
  for (let y = 99; y < H; y++) for (let x = 0; x < W; x++) if (((x - 100) / 30) ** 2 + ((y - 100) / 20) ** 2 < 1) open.data.set([30, 25, 25], (y * W + x) * 3);
  assert.equal(openMouthDepth(closed, points.mouthLeft, points.mouthRight), 0);
  const depth = openMouthDepth(open, points.mouthLeft, points.mouthRight);
  assert.ok(Math.abs(depth - 20) <= 2, `depth ${depth}`);
  const face = landmarksFromPoints(points);
  assert.equal(withOpenMouth(face, closed), face);
  const box = { x: 0, y: 0, width: W, height: H };
  assert.equal(mouthState(rigFromLandmarks(face.points, box).mouth!), 'closed');
  const opened = rigFromLandmarks(withOpenMouth(face, open).points, box).mouth!;
  assert.equal(mouthState(opened), 'open');
  const gap = Math.max(...opened.lowerInner.map((l, k) => l - opened.upperInner[k]));
  assert.ok(Math.abs(gap - depth) < 3, `gap ${gap} for a ${depth} px deep mouth`);
});
