import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EyeRig, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { fitWideEye } from '../../src/render/wide-eye.js';
import { EYE } from '../../src/render/eye-config.js';
import { measureLashBand } from '../../src/render/eye-skin.js';
import { mapEye, updateEyeInPlace } from '../../src/render/eyes.js';
import { prepareEye, shutFillOf } from '../../src/render/eye-prepare.js';
import { newPixelSource } from '../../src/render/map.js';
import { drawn, eyeCard, luma, SYNTHETIC, syntheticRig } from './eye-drawn.js';
import { profileAt } from '../../src/render/sample.js';
import { liftToIris } from '../../src/render/eye-iris.js';

const { W, H, EW } = SYNTHETIC;
const rig = syntheticRig;
const SKIN = [...SYNTHETIC.skin] as [number, number, number];

test('the lash band above the lid is measured from the picture', () => {
  const band = measureLashBand(eyeCard(), rig, -8 - EYE.skinAbove * EW);
  const mid = band[(PROFILE_SAMPLES - 1) / 2];
  assert.ok(mid >= 3 && mid <= 5, `lash band ${mid.toFixed(1)} px, drawn 4`);
});

test('a closed lid is skin over the eye with a thin dark lash line at its edge, not stretched lashes', () => {
  const img = eyeCard();
  const w = prepareEye(img, rig);
  updateEyeInPlace(w, 1, 0, 0);
  const skin = luma(...SKIN);
  // The middle of the eye, from the open upper lid (v = -8) down to half the opening: skin. Below
  // that the lid shades a little darker towards its edge.
  for (let y = 48; y <= 54; y++) {
    for (let x = 52; x <= 68; x++) {
      const l = drawn(img, w, x, y);
      assert.ok(l > 0.85 * skin && l < 1.05 * skin, `(${x}, ${y}) luma ${l.toFixed(0)} vs skin ${skin.toFixed(0)}`);
    }
  }
  // The lash line: dark, and thin (a couple of pixels) at the bottom of the lid.
  const column = Array.from({ length: 36 }, (_, j) => drawn(img, w, 60, 52 + j * 0.5));
  const darkRows = column.filter((l) => l < 0.5 * skin).length * 0.5;
  assert.ok(darkRows >= 1 && darkRows <= 3, `lash line ${darkRows} px thick`);
});

test('an open eye is left as it is', () => {
  const img = eyeCard();
  const w = prepareEye(img, rig);
  updateEyeInPlace(w, 0, 0, 0);
  const s = newPixelSource();
  for (let y = 30; y < 70; y++) for (let x = 40; x < 80; x++) {
    mapEye(w, x, y, s);
    assert.ok(Math.abs(s.x - x) < 1e-6 && Math.abs(s.y - y) < 1e-6 && s.dark === 1 && s.cover === 0, `(${x}, ${y}) moved`);
  }
});

/**
 * The eye card with textured skin (fine noise of +-6 levels), shaded darker (eye shadow, the
 * socket's shade) over the 6 px above the lashes: what a closing lid is made of.
 */
function texturedEyeCard(): RgbImage {
  const img = eyeCard();
  let seed = 11;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 12;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const i = (y * W + x) * 3;
    if (img.data[i] !== SKIN[0] || img.data[i + 1] !== SKIN[1]) continue;
    const crease = Math.abs(x - 60) < 26 && y >= 37 && y < 47 ? -45 * Math.min(1, (y - 37) / 4) : 0;
    const n = noise();
    for (let ch = 0; ch < 3; ch++) img.data[i + ch] = Math.round(SKIN[ch] + n + crease);
  }
  return img;
}

const std = (xs: number[]): number => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
};

test('a closed lid carries the skin\'s fine texture on every row, not a flat tone where shaded skin was stretched', () => {
  const img = texturedEyeCard();
  const w = prepareEye(img, rig);
  updateEyeInPlace(w, 1, 0, 0);
  // The skin's own texture, beside the eye.
  const skinRow = Array.from({ length: 30 }, (_, k) => luma(...(Array.from(img.data.subarray((70 * W + 45 + k) * 3, (70 * W + 46 + k) * 3)) as [number, number, number])));
  const skinStd = std(skinRow);
  // Every row of the closed lid over the eye, between the open upper lid and the lash line.
  for (let y = 46; y <= 56; y++) {
    const row = Array.from({ length: 17 }, (_, k) => drawn(img, w, 52 + k, y));
    assert.ok(std(row) >= 0.35 * skinStd, `row ${y}: texture ${std(row).toFixed(2)} vs skin ${skinStd.toFixed(2)}`);
  }
});

/** Skin with colour, an eye whose white runs 12 px beyond the rig's left corner, a dark lid line round it. */
function wideEyeCard(): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    // The painted eye: an ellipse from x = 28 to 80 (the rig's runs from 40 to 80), 14 px tall.
    const e = ((x - 54) / 26) ** 2 + ((y - 55) / 7) ** 2;
    let c: readonly number[] = SKIN;
    if (e < 1) c = Math.hypot(x - 62, y - 55) < 6 ? [50, 35, 25] : [236, 232, 226];
    else if (e < 1.5) c = [90, 60, 50];
    data.set(c, (y * W + x) * 3);
  }
  return { data, width: W, height: H };
}

test('a painted eye wider than the rig closes whole: no white left beyond its corner; a rigged eye stays as rigged', () => {
  const img = wideEyeCard();
  const w = prepareEye(img, rig);
  assert.ok(w.rig.width > rig.width + 8 && w.rig.center.x < rig.center.x, `rig ${rig.width} px wide at ${rig.center.x} -> ${w.rig.width.toFixed(1)} at ${w.rig.center.x.toFixed(1)}`);
  updateEyeInPlace(w, 1, 0, 0);
  let white = 0;
  for (let y = 50; y <= 60; y++) for (let x = 29; x <= 40; x++) if (drawn(img, w, x, y) > 200) white++;
  assert.equal(white, 0, `${white} white pixels left at the closed eye's corner`);
  // The eye the rig fits keeps its rig, so its frames do not change.
  assert.equal(prepareEye(eyeCard(), rig).rig, rig);
  assert.equal(fitWideEye(texturedEyeCard(), rig), rig);
});

/**
 * A drawn eye larger than the mesh's: a dark outline round a white eye from x = 32 to 88 (the
 * rig's runs from 40 to 80) and from y = 45 to 66 (the rig's from 47 to 62), its iris within the rig.
 */
function drawnEyeCard(): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const e = ((x - 60) / 27) ** 2 + ((y - 56) / 10) ** 2;
    let c: readonly number[] = SKIN;
    if (e < 1) c = Math.hypot(x - 60, y - 54) < 7 ? [60, 90, 150] : [236, 234, 232];
    else if (e < 1.35) c = [70, 35, 30];
    data.set(c, (y * W + x) * 3);
  }
  return { data, width: W, height: H };
}

test('a drawn eye whose outline and white reach beyond the mesh\'s eye closes whole, its outline covered; open, it is left as it is', () => {
  const img = drawnEyeCard();
  const w = prepareEye(img, rig, { darkEyes: true });
  assert.ok(w.rig.width > rig.width + 8, `rig ${rig.width} px wide -> ${w.rig.width.toFixed(1)}`);
  updateEyeInPlace(w, 1, 0, 0);
  // No white left (below the mesh's lower lid, beyond its corners), nor the outline round its
  // ends above the lid's edge: only the lash line along the bottom, where the outline was.
  let white = 0, dark = 0;
  const seen: string[] = [];
  for (let y = 44; y <= 68; y++) for (let x = 30; x <= 90; x++) {
    const l = drawn(img, w, x, y);
    if (l > 200) { white++; seen.push(`white (${x}, ${y}) ${l.toFixed(0)}`); }
    if (l < 100 && y <= 57 && (x < 40 || x > 80)) { dark++; seen.push(`dark (${x}, ${y}) ${l.toFixed(0)}`); }
  }
  assert.ok(white === 0 && dark <= 2, `${white} white and ${dark} dark pixels of the drawn eye left round the closed lid: ${seen.slice(0, 8).join(', ')}`);
  // Open, nothing moves.
  updateEyeInPlace(w, 0, 0, 0);
  const s = newPixelSource();
  for (const [x, y] of [[34, 56], [60, 64], [86, 56], [60, 46]]) {
    mapEye(w, x, y, s);
    assert.ok(s.x === x && s.y === y && s.dark === 1 && s.cover === 0, `open eye moved at (${x}, ${y})`);
  }
});

test('a lid widened over the picture\'s eye closes to a lash line as thin as the eye\'s own, not one of the wider rig', () => {
  // The same eye rigged to its own size and widened over a drawn outline: the closed lash line,
  // measured down the middle, is as thick on both (a width-relative line on the widened rig came
  // out half as thick again: a heavy grey line).
  const thickness = (img: RgbImage, darkEyes: boolean) => {
    const w = prepareEye(img, rig, { darkEyes });
    updateEyeInPlace(w, 1, 0, 0);
    const s = newPixelSource();
    let dark = 0;
    for (let y = 50; y <= 70; y += 0.05) {
      mapEye(w, 60, y, s);
      if (s.dark < 0.9 || (s.cover > 0 && s.cy < 0.6 * 16 + 0.4 * 219)) dark += 0.05;
    }
    return { dark, width: w.rig.width };
  };
  const own = thickness(eyeCard(), false), widened = thickness(drawnEyeCard(), true);
  assert.ok(widened.width > rig.width * 1.3, `rig ${rig.width} px -> ${widened.width.toFixed(1)}`);
  assert.ok(Math.abs(widened.dark - own.dark) < 0.4, `lash line ${widened.dark.toFixed(2)} px on the widened lid, ${own.dark.toFixed(2)} px on the eye's own`);
});

test('a widened eye turns about its own middle: the gaze moves the iris, not the corners or what lies past them', () => {
  const img = drawnEyeCard();
  const w = prepareEye(img, rig, { darkEyes: true });
  assert.ok(w.rig.width > rig.width * 1.3, `rig ${rig.width} px -> ${w.rig.width.toFixed(1)}`);
  updateEyeInPlace(w, 0, 1, 0);
  const s = newPixelSource();
  mapEye(w, 60, 56, s);
  assert.ok(Math.abs(s.x - 60) > 1, `the iris moves with the gaze (${s.x.toFixed(2)})`);
  // At and past the rig's own corners (x 40 and 80), inside the widened opening: still.
  for (const x of [34, 38, 40, 80, 82, 86]) {
    mapEye(w, x, 56, s);
    assert.ok(s.x === x && s.y === 56, `(${x}, 56) moved to (${s.x.toFixed(3)}, ${s.y.toFixed(3)}) with the gaze`);
  }
});

/** eyeCard with a liner's wing on past its image-right corner and, below the wing, a crease's shadow (dark, as ink is). */
function shadowedCornerCard(): RgbImage {
  const img = eyeCard();
  for (let y = 50; y <= 63; y++) for (let x = 80; x <= 86; x++) {
    if ((y >= 52 && y <= 55) || y >= 56) img.data.set([45, 30, 28], (y * W + x) * 3);
  }
  return img;
}

test('a lid widened past its corner closes to a smooth lash line: it does not dip round the shadow below the corner', () => {
  const w = prepareEye(shadowedCornerCard(), rig);
  assert.ok(w.rig.width > rig.width + 4, `rig ${rig.width} px -> ${w.rig.width.toFixed(1)}: widened over the wing`);
  // The closed lid's edge (v down, in the rig's frame: the axis is level) from the rig's corner outwards.
  const edge = (x: number) => {
    const u = x - w.rig.center.x, up = profileAt(w.rig.upperLid, w.rig.width, u), low = profileAt(w.rig.lowerLid, w.rig.width, u);
    return w.rig.center.y + up + EYE.closeReach * Math.max(0, low - up);
  };
  // Rising from the eye's own lid line towards the new corner: not down again round the shadow.
  const inside = edge(78);
  const worst = Math.max(...[80, 81, 82, 83, 84, 85, 86, 87, 88].map(edge));
  assert.ok(worst <= inside + 0.5, `closed lash line beyond the corner drops to y ${worst.toFixed(1)} from ${inside.toFixed(1)} inside it: a "~"`);
});

/**
 * eyeCard looking aside, as a painted eye may: white above its upper lid at its image-left end
 * (x 36-50, from y 42 down) and past its corner, the lid's dark line between the rigged lid and
 * that white only at the corner's columns (x 40-45), where the lid is thickest.
 */
function whiteCornerCard(): RgbImage {
  const img = eyeCard();
  for (let x = 36; x <= 50; x++) {
    const u = x - 60, k = (u / EW + 0.5) * (PROFILE_SAMPLES - 1);
    const up = Math.abs(u) < EW / 2 ? 55 - 8 * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)) : 55;
    const end = x >= 40 && x <= 45 ? up - 4 : x < 40 ? 52 : up;
    for (let y = 42; y <= end; y++) img.data.set([236, 234, 232], (y * W + x) * 3);
  }
  return img;
}

test('white above the lid at a corner closes under the lid: the lid is not left notched where its dark line hid the white from the lid', () => {
  const img = whiteCornerCard();
  const w = prepareEye(img, rig);
  updateEyeInPlace(w, 1, 0, 0);
  let white = 0;
  for (let y = 40; y <= 58; y++) for (let x = 34; x <= 50; x++) if (drawn(img, w, x, y) > 200) white++;
  assert.equal(white, 0, `${white} white pixels left beside the closed lid at its corner`);
});

test('an eye whose lids the mesh laid low round its own iris is lifted onto it: the closed lid covers the eye, not the band below it', () => {
  // eyeCard's eye, its iris high under the upper lid (as painted); the mesh's lids 8 px lower,
  // its iris at its upper lid.
  const img = eyeCard();
  for (let y = 40; y <= 70; y++) for (let x = 40; x <= 80; x++) {
    const i = (y * W + x) * 3;
    if (img.data[i] === 50 && img.data[i + 1] === 35) img.data.set([232, 230, 228], i);
    const k = ((x - 60) / EW + 0.5) * (PROFILE_SAMPLES - 1);
    const up = 55 - 8 * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)), low = 55 + 7 * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1));
    if (y > up && y < low && Math.hypot(x - 60, y - 52) < 7) img.data.set([50, 35, 25], i);
  }
  const low: EyeRig = { ...rig, upperLid: rig.upperLid.map((v) => v + 8), lowerLid: rig.lowerLid.map((v) => v + 8), iris: { u: 0, v: 0.5, radius: 6 } };
  // The closed lid's lash line (its darkest row down the middle) lies at the bottom of the eye the
  // picture shows (its lower lid at y 62), as on the eye rigged where it is, not on the band below.
  const lashRow = (r: EyeRig) => {
    const w = prepareEye(img, r);
    updateEyeInPlace(w, 1, 0, 0);
    let row = 0, darkest = Infinity;
    for (let y = 45; y <= 80; y++) { const l = drawn(img, w, 60, y); if (l < darkest) { darkest = l; row = y; } }
    return row;
  };
  const own = lashRow(rig), lifted = lashRow(low);
  assert.ok(Math.abs(lifted - own) <= 1, `closed lash line at y ${lifted}, ${own} on the eye rigged where it is`);
  // An eye the mesh fits (its iris inside the opening) is left where it is.
  assert.equal(liftToIris(eyeCard(), { ...rig, iris: { u: 0, v: 0, radius: 6 } }).upperLid, rig.upperLid);
});

test('a shut eye is shut to its corners: no lashes left thick nor white showing where the lid travels little', () => {
  const img = eyeCard();
  const w = prepareEye(img, rig);
  updateEyeInPlace(w, 1, 0, 0);
  const skin = luma(...SKIN);
  // Columns a quarter of the eye's width in from each corner, where the lid travels half as far as in the middle.
  for (const x of [47, 73]) {
    const column = Array.from({ length: 40 }, (_, j) => drawn(img, w, x, 42 + j * 0.5));
    const darkRows = column.filter((l) => l < 0.5 * skin).length * 0.5;
    const pale = Math.max(...column);
    assert.ok(darkRows >= 0.5 && darkRows <= 2, `x ${x}: lash line ${darkRows} px thick`);
    assert.ok(pale < 1.08 * skin, `x ${x}: brightest ${pale.toFixed(0)} vs skin ${skin.toFixed(0)}`);
  }
});

test('a rig laid past the eye\'s corner draws no lash line over the skin there, closing or shut', () => {
  // The picture's eye ends 12 px short of the rig's inner corner (x = 80): skin beyond x = 68.
  const img = eyeCard();
  for (let y = 0; y < H; y++) for (let x = 68; x < W; x++) img.data.set(SKIN, (y * W + x) * 3);
  const w = prepareEye(img, rig);
  const skin = luma(...SKIN);
  for (const blink of [0.5, 0.8, 1]) {
    updateEyeInPlace(w, blink, 0, 0);
    const darkest = (x: number) => Math.min(...Array.from({ length: 56 }, (_, j) => drawn(img, w, x, 42 + j * 0.5)));
    // Over the eye the lash line is there; over the skin past its end, nothing darker than the skin's shading.
    assert.ok(darkest(58) < 0.5 * skin, `blink ${blink}: no lash line over the eye (${darkest(58).toFixed(0)})`);
    for (const x of [72, 75, 78]) assert.ok(darkest(x) > 0.85 * skin, `blink ${blink}, x ${x}: ${darkest(x).toFixed(0)} vs skin ${skin.toFixed(0)}`);
  }
});

test('a lower lid with a dip shuts to a lash line with one low point, not a wave; a lid without one is left exactly as it was', () => {
  // Two humps with a dip between them (a drawn eye's outline hugged by the fit).
  const waved = Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => {
    const t = k / (PROFILE_SAMPLES - 1);
    return 10 * Math.sin(Math.PI * t) - 4 * Math.exp(-(((t - 0.6) / 0.08) ** 2));
  });
  const dipped: EyeRig = { ...rig, lowerLid: waved };
  const fill = shutFillOf(dipped, 0);
  const edge = Array.from(dipped.upperLid, (up, k) => up + EYE.closeReach * Math.max(0, waved[k] - up) + fill[k]);
  const low = edge.indexOf(Math.max(...edge));
  assert.ok(edge.every((v, k) => k === 0 || (k <= low ? v >= edge[k - 1] - 1e-4 : v <= edge[k - 1] + 1e-4)), `shut edge ${edge.map((v) => v.toFixed(1)).join(' ')}`);
  assert.ok(fill[Math.round(0.6 * (PROFILE_SAMPLES - 1))] > 1, 'the dip is filled');
  assert.ok(shutFillOf(rig, 0).every((v) => v === 0), 'a lid with one low point gets no fill');
  // Shut, the dipped lid covers the dip: a pixel just below the lower lid there is the lid's.
  const w = prepareEye(eyeCard(), dipped);
  updateEyeInPlace(w, 1, 0, 0);
  const u = 0.1 * EW, s = newPixelSource();
  mapEye(w, rig.center.x + u, rig.center.y + profileAt(waved, EW, u) + 0.5, s);
  assert.ok(s.y < rig.center.y + profileAt(waved, EW, u), `the pixel below the dip is drawn from ${s.y.toFixed(1)}, above the lid`);
});

test('a drawn eye with white shaded above and lit below shuts to a lid that goes from the shade at its line to the lit skin at its edge; an animal\'s keeps one tone', () => {
  // The socket's shade over the eye (above its lashes), the skin lit under it.
  const img = eyeCard();
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const i = (y * W + x) * 3;
    if (y < 50 && img.data[i] === SKIN[0]) img.data.set([120 + ((x * 3 + y) % 5), 80, 60], i);
  }
  const lidAt = (kind: { darkEyes: boolean; animal: boolean }) => {
    const w = prepareEye(img, rig, kind);
    updateEyeInPlace(w, 1, 0, 0);
    const up = profileAt(w.rig.upperLid, w.rig.width, 0), low = profileAt(w.rig.lowerLid, w.rig.width, 0);
    // Just under the lid's line, and just above its lash line (closeReach of the way down).
    return { w, line: drawn(img, w, 60, Math.round(55 + up + 1)), edge: drawn(img, w, 60, Math.round(55 + up + 0.6 * EYE.closeReach * (low - up))) };
  };
  const drawing = lidAt({ darkEyes: true, animal: false });
  assert.ok(drawing.w.lidToneLow.length > 0 && drawing.w.lidToneLow[0] > drawing.w.lidTone[0], 'the edge tone is the lighter');
  assert.ok(drawing.edge > drawing.line + 15, `drawn lid: ${drawing.line.toFixed(0)} at its line, ${drawing.edge.toFixed(0)} towards its edge`);
  assert.ok(drawing.edge < luma(...SKIN) + 5, `no lighter than the lit skin (${drawing.edge.toFixed(0)})`);
  const animal = lidAt({ darkEyes: true, animal: true });
  assert.equal(animal.w.lidToneLow.length, 0);
});
