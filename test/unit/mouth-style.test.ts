// How a mouth opens by the kind of picture it is in (issue 11): the style read from a face or
// given, a drawing's flat mouth in the drawing's colours, an animal's soft opening, and a cat's
// mouth put on its nose line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FaceLandmarks, MouthRig, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { DRAWN, faceProportions, resolveStyle, rigFromLandmarks } from '../../src/analyze/face/index.js';
import { mouthOnNoseLine } from '../../src/analyze/face/cat.js';
import { newPixelSource } from '../../src/render/map.js';
import { prepareMouth, updateMouthInPlace } from '../../src/render/mouth.js';
import { MOUTH } from '../../src/render/mouth-config.js';
import { mapMouth } from '../../src/render/mouth-map.js';
import { interiorInto, mouthPalette } from '../../src/render/mouth-interior.js';
import { RenderSpecSchema, specFromArgs } from '../../src/spec/index.js';
import { DhError } from '../../src/core/errors.js';

const flat = (v: number) => new Float32Array(PROFILE_SAMPLES).fill(v);

function mouthRig(style: MouthRig['style'], width = 60): MouthRig {
  return {
    center: { x: 120, y: 100 }, axis: { x: 1, y: 0 }, width, seam: flat(0), upperInner: flat(0), lowerInner: flat(0),
    lipTop: -6, lipBottom: 7, chinDepth: 45, noseHeight: 25, jawHalfWidth: 70, teeth: style === 'photo', style,
  };
}

/** Skin, with lips (rows 94-106) and a dark-blue drawn line along their seam (rows 99-101). */
function drawnCard(): RgbImage {
  const W = 240, H = 220, data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const lips = x >= 90 && x <= 150 && y >= 94 && y <= 106;
      const line = x >= 90 && x <= 150 && y >= 99 && y <= 101;
      data.set(line ? [40, 40, 110] : lips ? [220, 130, 140] : [245, 225, 210], (y * W + x) * 3);
    }
  }
  return { data, width: W, height: H };
}

/** A face with FaceMesh's eye corners, mouth corners, forehead and chin where the proportions say. */
function meshFace(mouthToEyes: number, eyesToFace: number, extra: Partial<FaceLandmarks> = {}): FaceLandmarks {
  const p = new Float32Array(478 * 2);
  const set = (i: number, x: number, y: number) => { p[2 * i] = x; p[2 * i + 1] = y; };
  const eyes = 100;
  set(33, 140, 200); set(133, 160, 200); set(362, 240, 200); set(263, 260, 200);
  set(61, 200 - (mouthToEyes * eyes) / 2, 300); set(291, 200 + (mouthToEyes * eyes) / 2, 300);
  set(10, 200, 150); set(152, 200, 150 + eyes / eyesToFace);
  return { points: p, box: { x: 100, y: 100, width: 200, height: 300 }, score: 1, method: 'facemesh', ...extra };
}

test('auto: a face with a drawn face\'s proportions is a drawing, a photo\'s a photo; animals and faces found by other means open as animals\'', () => {
  // Figures measured on the fixtures (see analyze/face/style.ts): anime girl 0.62 / 0.44, 3D boy
  // 0.67 / 0.42; photos and paintings 0.72-1.18 / 0.29-0.37, and one photo 0.72 / 0.43.
  for (const [m, e, want] of [[0.62, 0.44, 'drawing'], [0.67, 0.42, 'drawing'], [0.72, 0.43, 'photo'], [0.74, 0.37, 'photo'], [1.18, 0.36, 'photo'], [0.65, 0.36, 'photo']] as const) {
    const face = meshFace(m, e);
    const got = faceProportions(face.points);
    assert.ok(Math.abs(got.mouthToEyes - m) < 1e-4 && Math.abs(got.eyesToFace - e) < 1e-4, `proportions ${JSON.stringify(got)}`);
    assert.equal(resolveStyle(undefined, face).style, want, `${m} / ${e}`);
    assert.equal(resolveStyle('auto', face).style, want);
  }
  assert.ok(DRAWN.maxMouthToEyes > 0.67 && DRAWN.maxMouthToEyes < 0.72);
  assert.deepEqual(resolveStyle(undefined, meshFace(1, 0.35, { animal: true })), { style: 'animal', by: 'animal' });
  for (const method of ['points', 'cat-cascade', 'facemesh-crop'] as const) assert.equal(resolveStyle(undefined, meshFace(0.6, 0.45, { method })).style, 'animal');
  // Given: the spec's wins over the avatar's, the avatar's over what the face looks like.
  assert.deepEqual(resolveStyle('photo', meshFace(0.62, 0.44, { style: 'drawing' })), { style: 'photo', by: 'given' });
  assert.equal(resolveStyle(undefined, meshFace(1, 0.35, { style: 'drawing' })).style, 'drawing');
  assert.equal(resolveStyle('auto', meshFace(1, 0.35, { style: 'animal', method: 'points' })).style, 'animal');
  // The rig carries it: teeth only for a photo.
  assert.equal(rigFromLandmarks(meshFace(1, 0.35).points, { x: 0, y: 0, width: 9, height: 9 }, { style: 'drawing' }).mouth!.teeth, false);
  assert.equal(rigFromLandmarks(meshFace(1, 0.35).points, { x: 0, y: 0, width: 9, height: 9 }, { style: 'photo' }).mouth!.teeth, true);
});

test('--style and param.style are the one option; a style not known is refused with the flag\'s name', () => {
  assert.equal(specFromArgs({ style: 'drawing' }).style, 'drawing');
  assert.equal(RenderSpecSchema.parse({ resizeMode: 'adaptive', style: 'animal' }).style, 'animal');
  assert.throws(() => specFromArgs({ style: 'cartoon' }), (e: unknown) => e instanceof DhError && e.id === 'INVALID_ARGUMENT' && /^--style:/.test(e.message));
});

test('a drawing\'s mouth: one flat fill and the drawing\'s line colour round it, a flat tongue, no teeth; colours from the picture', () => {
  const rig = mouthRig('drawing');
  const p = mouthPalette(drawnCard(), rig);
  const s = newPixelSource();
  const gap = 12, W = rig.width;
  const at = (tu: number, depth: number) => { interiorInto(p, W, tu, depth, gap, { upperTeeth: false, lowerTeeth: false }, s); return [s.cy, s.cu, s.cv]; };
  // Flat: the same colour across the mouth and down to where the tongue starts (no shading).
  const fill = at(0, 3);
  for (const [tu, d] of [[-0.5, 3], [0.4, 4], [0.2, 2.5], [-0.3, 5]]) assert.deepEqual(at(tu, d).map(Math.round), fill.map(Math.round), `not flat at ${tu}, ${d}`);
  // The outline along both lips, darker than the fill and as blue as the drawn line (Cb > 128).
  const top = at(0, 0.2), bottom = at(0, gap - 0.2);
  assert.ok(top[0] < fill[0] && bottom[0] < fill[0], `outline ${top[0]} / ${bottom[0]} vs fill ${fill[0]}`);
  assert.ok(top[1] > 128, `outline Cb ${top[1]}`);
  // The tongue: one tone where it shows, redder than the fill, with an edge a pixel or two wide.
  const tongue = at(0, 9);
  assert.ok(tongue[2] > fill[2] + 5, `tongue Cr ${tongue[2]} vs fill ${fill[2]}`);
  assert.deepEqual(at(0.1, 9.5).map(Math.round), tongue.map(Math.round));
  // No teeth whatever the parts say: a drawn interior draws none (the rig has teeth false).
  assert.equal(rig.teeth, false);
  // Small: a drawing opens to MOUTH.drawnOpen of a photo's gap, over a narrower span.
  const base = drawnCard();
  const gapAt = (r: MouthRig, u: number) => {
    const w = prepareMouth(base, r);
    updateMouthInPlace(w, { jaw: 1, blinkLeft: 0, blinkRight: 0 });
    const c = Math.round(((u - w.uMin) / (w.uMax - w.uMin)) * (MOUTH.columns - 1));
    return w.bottom[c] - w.top[c];
  };
  const drawn = gapAt(rig, 0), photo = gapAt(mouthRig('photo'), 0);
  assert.ok(Math.abs(drawn / photo - MOUTH.drawnOpen) < 0.02, `gap ${drawn} vs ${photo}`);
  // A photo's gap ends inside the corner points, where real lips stay together; a drawing's sooner.
  const inside = 0.84 * MOUTH.openWidth * (W / 2);
  assert.ok(gapAt(rig, inside) < 0.05, 'the drawn opening stops short of the corners');
  assert.ok(gapAt(mouthRig('photo'), inside) > 1);
  assert.ok(gapAt(mouthRig('photo'), 0.45 * W) < 0.05, 'no gap (no dark interior) at the thin corners of the lips');
});

test('an animal\'s opening fades in over a few pixels from the lips; a photo\'s is cut along them', () => {
  const base = drawnCard();
  const coverBelowTop = (style: MouthRig['style'], d: number) => {
    const w = prepareMouth(base, mouthRig(style));
    updateMouthInPlace(w, { jaw: 1, blinkLeft: 0, blinkRight: 0 });
    const mid = MOUTH.columns >> 1;
    const s = newPixelSource();
    mapMouth(w, 120, 100 + w.top[mid] + d, s);
    return s.cover;
  };
  assert.equal(coverBelowTop('photo', 1.5), 1);
  const soft = [1, 3, 5, 7].map((d) => coverBelowTop('animal', d));
  assert.ok(soft[0] < 0.3, `animal cover 1 px in: ${soft[0]}`);
  for (let i = 1; i < soft.length; i++) assert.ok(soft[i] > soft[i - 1], `not fading in: ${soft}`);
  assert.ok(soft[3] > 0.85, `animal cover 7 px in: ${soft[3]}`);
  // Dark under the nose pad: the top of the opening is no lighter than its middle.
  const p = mouthPalette(base, mouthRig('animal'));
  const s = newPixelSource();
  interiorInto(p, 60, 0, 0.5, 18, { upperTeeth: false, lowerTeeth: false }, s);
  const top = s.cy;
  interiorInto(p, 60, 0, 6, 18, { upperTeeth: false, lowerTeeth: false }, s);
  assert.ok(top <= s.cy + 0.5, `top ${top} vs middle ${s.cy}`);
});

test('a cat\'s mouth goes onto its nose line; a picture with no nose leaves it where it was', () => {
  // A pink nose pad and a dark philtrum under it, centred at x = 150, on white fur; the
  // cascade's mouth is centred at x = 135, tilted with the eyes.
  const W = 300, H = 300, data = new Uint8Array(W * H * 3).fill(240);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const pad = ((x - 150) / 22) ** 2 + ((y - 140) / 12) ** 2 < 1;
      const philtrum = Math.abs(x - 150) < 2 && y > 150 && y < 180;
      if (pad) data.set([220, 140, 150], (y * W + x) * 3);
      if (philtrum) data.set([90, 70, 70], (y * W + x) * 3);
    }
  }
  const points = { leftEye: { x: 95, y: 95 }, rightEye: { x: 195, y: 85 }, mouthLeft: { x: 118, y: 186 }, mouthRight: { x: 152, y: 183 } };
  const moved = mouthOnNoseLine(points, { data, width: W, height: H });
  const cx = (moved.mouthLeft.x + moved.mouthRight.x) / 2;
  assert.ok(Math.abs(cx - 150) < 2.5, `mouth centre x ${cx}`);
  assert.ok(Math.abs(moved.mouthRight.y - moved.mouthLeft.y) < 3, 'square to the upright nose line');
  const width = (q: typeof points) => Math.hypot(q.mouthRight.x - q.mouthLeft.x, q.mouthRight.y - q.mouthLeft.y);
  assert.ok(Math.abs(width(moved) - width(points)) < 1e-6, 'same width');
  assert.deepEqual(moved.leftEye, points.leftEye);
  const plain = { data: new Uint8Array(W * H * 3).fill(200), width: W, height: H };
  assert.deepEqual(mouthOnNoseLine(points, plain), points);
});
