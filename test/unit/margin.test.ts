import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from '../../src/core/types.js';
import { sharpImageCodec } from '../../src/adapters/image-sharp.js';
import { baseFrame } from '../../src/pipeline/index.js';
import { planLayout } from '../../src/render/layout.js';
import { edgeBackground, fillMarginsInPlace } from '../../src/render/margin.js';
import type { PersonMask } from '../../src/core/ports.js';

const WALL: [number, number, number] = [246, 245, 242];
const SKIN: [number, number, number] = [222, 170, 138];
const DRESS: [number, number, number] = [40, 44, 70];

/**
 * A studio portrait on a white wall, 300x600: a head, and bare shoulders (skin above a dark
 * dress) that touch both sides of the picture in its lower part, as in a close portrait.
 */
function studioPortrait(): { img: RgbImage; face: { x: number; y: number; width: number; height: number } } {
  const W = 300, H = 600;
  const data = new Uint8Array(W * H * 3);
  let seed = 7;
  const noise = () => { seed = (seed * 1103515245 + 12345) >>> 0; return ((seed >>> 16) % 5) - 2; };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let c = WALL;
      if (((x - 150) / 75) ** 2 + ((y - 230) / 100) ** 2 < 1) c = SKIN;
      else if (y > 320 && Math.abs(x - 150) < 35) c = SKIN;
      // Shoulders widen from the neck to past the picture's sides by y = 397.
      else if (y > 360 && Math.abs(x - 150) < 40 + (y - 360) * 3) c = y < 440 ? SKIN : DRESS;
      const i = (y * W + x) * 3;
      for (let ch = 0; ch < 3; ch++) data[i + ch] = Math.max(0, Math.min(255, c[ch] + noise()));
    }
  }
  return { img: { data, width: W, height: H }, face: { x: 75, y: 130, width: 150, height: 200 } };
}

const dist = (d: Uint8Array, i: number, c: readonly number[]) => Math.hypot(d[i] - c[0], d[i + 1] - c[1], d[i + 2] - c[2]);

test('the shoulders touching a side of the picture are not taken for its background', () => {
  const { img } = studioPortrait();
  const e = edgeBackground(img, { x: 0, y: 0, width: img.width, height: img.height }, 'left');
  // The shoulders reach the side from y = 397 down.
  assert.equal(e.background.subarray(0, 390).every((b) => b === 1), true);
  assert.equal(e.background.subarray(400).every((b) => b === 0), true);
  assert.equal(e.plain, true);
  for (let t = 400; t < 600; t++) assert.ok(Math.abs(e.colour[3 * t] - WALL[0]) < 3, `row ${t}: ${e.colour[3 * t]}`);
});

test('a white-background narrow portrait gets white margins: no grey bands, no skin smeared sideways', async () => {
  const { img, face } = studioPortrait();
  const layout = planLayout(img.width, img.height, face, 'adaptive');
  assert.equal(layout.padded, true);
  const frame = await baseFrame(sharpImageCodec, img, layout);
  assert.equal(frame.width, 1280);
  assert.equal(frame.height, 720);
  // The picture spans x = left .. right in the frame; the margins are everything beside it.
  const left = Math.round(-layout.crop.x * layout.scale), right = Math.round((img.width - layout.crop.x) * layout.scale);
  assert.ok(left > 100, `margin ${left} px`);
  let worst = 0, skin = 0, n = 0;
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      if (x >= left - 2 && x < right + 2) continue;
      const i = (y * frame.width + x) * 3;
      worst = Math.max(worst, ...[0, 1, 2].map((ch) => Math.abs(frame.data[i + ch] - WALL[ch])));
      if (dist(frame.data, i, SKIN) < 40) skin++;
      n++;
    }
  }
  assert.ok(worst <= 4, `a margin pixel is ${worst} levels off the wall`);
  assert.equal(skin, 0, `${skin} of ${n} margin pixels are skin-coloured`);
});

test('a textured backdrop is continued with its own colours, blurred away from the picture', () => {
  // Vertical stripes of two greens down the sides (foliage), the person in the middle.
  const W = 200, H = 300;
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data.set(((y >> 3) & 1) ? [40, 90, 40] : [70, 130, 60], (y * W + x) * 3);
  const frame: RgbImage = { data: new Uint8Array(600 * H * 3), width: 600, height: H };
  for (let y = 0; y < H; y++) frame.data.set(data.subarray(y * W * 3, (y + 1) * W * 3), (y * 600 + 200) * 3);
  fillMarginsInPlace(frame, { x: 200, y: 0, width: W, height: H });
  // Far out the stripes are blurred into their mean; every margin pixel is one of the greens or between them.
  const far = (y: number) => frame.data[(y * 600 + 5) * 3 + 1];
  for (let y = 40; y < 260; y++) assert.ok(Math.abs(far(y) - 110) < 8, `far margin row ${y}: green ${far(y)}`);
  for (let y = 0; y < H; y++) for (let x = 0; x < 200; x++) {
    const g = frame.data[(y * 600 + x) * 3 + 1];
    assert.ok(g >= 89 && g <= 131, `(${x}, ${y}) green ${g}`);
  }
});

test('with a person mask, the white wall beside the shoulders is continued white, with no skin', async () => {
  const { img, face } = studioPortrait();
  // The mask a segmentation model would give, at half the picture's size: everything not wall.
  const mask: PersonMask = { width: img.width / 2, height: img.height / 2, data: new Uint8Array((img.width / 2) * (img.height / 2)) };
  for (let y = 0; y < mask.height; y++) for (let x = 0; x < mask.width; x++) {
    if (dist(img.data, ((2 * y) * img.width + 2 * x) * 3, WALL) > 20) mask.data[y * mask.width + x] = 255;
  }
  const layout = planLayout(img.width, img.height, face, 'adaptive');
  const frame = await baseFrame(sharpImageCodec, img, layout, mask);
  const left = Math.round(-layout.crop.x * layout.scale), right = Math.round((img.width - layout.crop.x) * layout.scale);
  let worst = 0;
  for (let y = 0; y < frame.height; y++) for (let x = 0; x < frame.width; x++) {
    if (x >= left - 2 && x < right + 2) continue;
    const i = (y * frame.width + x) * 3;
    worst = Math.max(worst, ...[0, 1, 2].map((ch) => Math.abs(frame.data[i + ch] - WALL[ch])));
  }
  assert.ok(worst <= 4, `a margin pixel is ${worst} levels off the wall`);
});

test('a one-pixel light border at the picture\'s edge (a resizer\'s or scanner\'s) is not carried beside the margin; a picture without one keeps its edge', () => {
  const W = 100, H = 120, FW = 300;
  const place = (border: boolean) => {
    const frame: RgbImage = { data: new Uint8Array(FW * H * 3), width: FW, height: H };
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      // A dark backdrop with a gentle gradient across; with `border`, the last column is light grey.
      const v = border && x === W - 1 ? 150 : 20 + Math.round(x / 10);
      frame.data.set([v, v, v + 5], (y * FW + 100 + x) * 3);
    }
    fillMarginsInPlace(frame, { x: 100, y: 0, width: W, height: H });
    return frame;
  };
  const px = (f: RgbImage, x: number, y: number) => Array.from(f.data.subarray((y * FW + x) * 3, (y * FW + x) * 3 + 3));
  const bordered = place(true), clean = place(false);
  for (const y of [10, 60, 110]) {
    assert.deepEqual(px(bordered, 199, y), px(bordered, 198, y), `row ${y}: the border column takes the column inside it`);
    assert.ok(Math.abs(px(bordered, 205, y)[0] - px(bordered, 198, y)[0]) < 6, `row ${y}: the margin continues the backdrop, not the border (${px(bordered, 205, y)} vs ${px(bordered, 198, y)})`);
    assert.deepEqual(px(clean, 199, y), [30, 30, 35], `row ${y}: a picture without a border keeps its last column`);
  }
});

/** Mean absolute difference between neighbours across rows (dy) and along them (dx), of the green channel, over frame columns x0 .. x1-1. */
function grain(f: RgbImage, x0: number, x1: number, y0: number, y1: number): { dy: number; dx: number; mean: number } {
  let dy = 0, dx = 0, mean = 0, n = 0;
  const g = (x: number, y: number) => f.data[(y * f.width + x) * 3 + 1];
  for (let y = y0; y < y1 - 1; y++) for (let x = x0; x < x1 - 1; x++) {
    dy += Math.abs(g(x, y + 1) - g(x, y)); dx += Math.abs(g(x + 1, y) - g(x, y)); mean += g(x, y); n++;
  }
  return { dy: dy / n, dx: dx / n, mean: mean / n };
}

test('a textured backdrop is continued as texture, blurred, not as horizontal streaks of each row\'s edge colour', () => {
  // Foliage-like blobs of two greens, about 10 px across, all over the picture (no person).
  const W = 200, H = 300, FW = 600;
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
  const blobs = Array.from({ length: 900 }, () => [rnd() * W, rnd() * H, 3 + rnd() * 5]);
  const frame: RgbImage = { data: new Uint8Array(FW * H * 3), width: FW, height: H };
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const leaf = blobs.some(([bx, by, r]) => (x - bx) ** 2 + (y - by) ** 2 < r * r);
    frame.data.set(leaf ? [60, 140, 50] : [30, 80, 35], (y * FW + 200 + x) * 3);
  }
  const picture = grain(frame, 200, 260, 20, 280);
  fillMarginsInPlace(frame, { x: 200, y: 0, width: W, height: H });
  for (const [x0, x1] of [[160, 197], [403, 440]]) {
    const m = grain(frame, x0, x1, 20, 280);
    // Streaks are constant along a row (dx near 0) while they change from row to row; a
    // continued texture, blurred alike in both directions, changes about as much both ways.
    assert.ok(m.dy < 2.5 * m.dx, `margin ${x0}..${x1}: ${m.dy.toFixed(2)} across rows, ${m.dx.toFixed(2)} along them`);
    // Its own colours (not a grey or a darkened band) ...
    assert.ok(Math.abs(m.mean - picture.mean) < 12, `margin ${x0}..${x1}: mean green ${m.mean.toFixed(1)}, picture ${picture.mean.toFixed(1)}`);
    // ... and still some of its grain near the picture, not a flat fill.
    assert.ok(m.dy > 0.1 * picture.dy, `margin ${x0}..${x1}: ${m.dy.toFixed(2)} across rows, picture ${picture.dy.toFixed(2)}`);
  }
});

test('a light border with the darker line a resizer leaves inside it (its overshoot) is not carried beside the margin either: no 2 px seam', () => {
  const W = 100, H = 120, FW = 300;
  const frame: RgbImage = { data: new Uint8Array(FW * H * 3), width: FW, height: H };
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    // The cat's right edge: a fur-dark backdrop, a light last column, 6 levels darker just inside it.
    const v = x === W - 1 ? 110 : x === W - 2 ? 12 + Math.round(x / 10) - 6 : 12 + Math.round(x / 10);
    frame.data.set([v, v - 2, v + 3], (y * FW + 100 + x) * 3);
  }
  fillMarginsInPlace(frame, { x: 100, y: 0, width: W, height: H });
  const px = (x: number, y: number) => Array.from(frame.data.subarray((y * FW + x) * 3, (y * FW + x) * 3 + 3));
  for (const y of [10, 60, 110]) {
    const inside = px(197, y);
    for (const x of [198, 199, 200, 204]) assert.ok(Math.abs(px(x, y)[0] - inside[0]) <= 1, `row ${y}, x ${x}: ${px(x, y)} beside ${inside}`);
  }
});

test('a mask never sure of its subject (an animal half-recognised by a person segmenter) does not let the subject into the margin', () => {
  // A textured backdrop of two greens with a brown subject touching the picture's right edge;
  // the mask marks only the subject's left part, at 0.6, and the rest of it not at all.
  const W = 200, H = 300, FW = 600;
  let seed = 5;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
  const blobs = Array.from({ length: 900 }, () => [rnd() * W, rnd() * H, 3 + rnd() * 5]);
  const subject = (x: number, y: number) => ((x - 170) / 60) ** 2 + ((y - 150) / 80) ** 2 < 1;
  const frame: RgbImage = { data: new Uint8Array(FW * H * 3), width: FW, height: H };
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const leaf = blobs.some(([bx, by, r]) => (x - bx) ** 2 + (y - by) ** 2 < r * r);
    frame.data.set(subject(x, y) ? [150, 95, 45] : leaf ? [60, 140, 50] : [30, 80, 35], (y * FW + 200 + x) * 3);
  }
  const person = (x: number, y: number) => (subject(x - 200, y) && x - 200 < 150 ? 0.6 : 0);
  fillMarginsInPlace(frame, { x: 200, y: 0, width: W, height: H }, person);
  let worst = 0;
  for (let y = 80; y < 220; y++) for (let x = 400; x < 600; x++) worst = Math.max(worst, frame.data[(y * FW + x) * 3] - frame.data[(y * FW + x) * 3 + 1]);
  // The backdrop's red is under its green everywhere; the subject's is 55 over it.
  assert.ok(worst < 10, `the subject's brown in the margin: red over green by ${worst}`);
});

test('a side the person fills nearly end to end (a face cut by the picture\'s side) takes the backdrop of the other side, not a panel of what little it shows', () => {
  // A dark backdrop down the left side; skin across the whole right side but for a blue
  // headscarf in its top tenth, which the mask leaves out of the person.
  const W = 200, H = 300, FW = 600, DARK: [number, number, number] = [8, 6, 20], BLUE: [number, number, number] = [60, 90, 150];
  const frame: RgbImage = { data: new Uint8Array(FW * H * 3), width: FW, height: H };
  const face = (x: number, y: number) => x > 60 && y >= 30;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const shade = ((x * 7 + y * 13) % 9) - 4;
    const c = face(x, y) ? SKIN.map((v) => v + shade) : x > 60 ? BLUE : DARK;
    frame.data.set(c, (y * FW + 200 + x) * 3);
  }
  fillMarginsInPlace(frame, { x: 200, y: 0, width: W, height: H }, (x, y) => (face(x - 200, y) ? 1 : 0));
  let worst = 0;
  for (let y = 0; y < H; y++) for (const x of [410, 450, 599]) worst = Math.max(worst, dist(frame.data, (y * FW + x) * 3, DARK));
  assert.ok(worst < 12, `the right margin is ${worst.toFixed(0)} levels off the left side's backdrop`);
  // The left side's own backdrop is continued as before.
  for (let y = 0; y < H; y += 10) assert.ok(dist(frame.data, (y * FW + 100) * 3, DARK) < 6);
});
