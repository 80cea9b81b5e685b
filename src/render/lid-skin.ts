// Which pixels of the picture are the lid skin of a human eye: the skin between the lashes and
// the brow, with brow hair, liner, lashes and crease shadow kept out. The renderer builds a
// closed lid's tone from it and the blink check (src/eval-metrics/lids.ts) judges the closed lid
// against it, so the two read the same skin. Pure.
import { smoothstep } from '../core/geometry.js';
import { lumaAt } from '../core/image.js';
import type { EyeRig, RgbImage } from '../core/types.js';
import { EYE } from './eye-config.js';
import { profileAt } from './sample.js';
import { yuvOf } from './yuv.js';

/** How the skin is told from what lies over it. */
export const LID_SKIN = Object.freeze({
  /**
   * The cheek the skin's hue is taken from: below the lower lid, from cheekFrom to cheekTo x the
   * eye's width, over the middle cheekAcross of it. Cheek skin has no hair, liner or crease.
   */
  cheekFrom: 0.25,
  cheekTo: 0.5,
  cheekAcross: 0.7,
  /**
   * A pixel is skin-hued where its hue (the angle of its Cb, Cr) lies within hueTolerance
   * (radians) of the cheek's and it is at least colourful x as colourful (chroma over luma above
   * black): blue or green make-up and grey hair are not the lid's skin. A picture whose cheek is
   * less colourful than neutral is grey: its skin is told by its light alone. Brow hair and liner
   * of the skin's own hue are told apart by their light too.
   */
  hueTolerance: 0.45,
  colourful: 0.35,
  neutral: 0.03,
  /** ...and lit as skin: at least lit x the skin-hued pixels' 90th percentile of luma (crease shadow, a brow's hairs in shade are darker). */
  lit: 0.82,
  /** Fewer skin pixels than this share of the band: the brightest `fallback` share of the band is the skin. */
  least: 0.08,
  fallback: 0.2,
  /** Each lid sample's luma is that of the skin within `reach` x the eye's width of it, drawn towards the whole lid's by `prior` pixels' weight. */
  reach: 0.1,
  /**
   * Over this share of the eye's width at each end the lid's tone turns into that of the picture
   * just past the end (endReach x the eye's width of it, from the lid skin's top down to the lid
   * line), so a closed lid has no sides: ended at the eye's box in its own tone, it read as a
   * patch with hard vertical sides where the skin beside the eye is of another light.
   */
  endFade: 0.2,
  endReach: 0.1,
  /** ...its skin (skin-hued, at least endLit x as bright as the lid skin above black, the brighter half) where that is endSkin of the strip at least; else all of the strip. */
  endSkin: 0.5,
  endLit: 0.5,
  /** Rows of the lid's texture, repeated (mirrored) down the lid, and the side of the tiles of skin it is copied in. */
  textureRows: 16,
  textureTile: 8,
  /** The texture is each skin pixel's luma less the median of the skin within textureReach px of it (its grain, not the light across the lid). */
  textureReach: 6,
  /** A tile size is used where the lid skin holds it whole in this many places at least (fewer repeat a pore or a highlight along the lid). */
  textureAnchors: 24,
  /** Each tile is the best of this many places at continuing its neighbours (lidTextureOf). */
  textureChoices: 16,
  /** The lashes' roots above the upper lid line, x the eye's width, left out of the band whatever they look like. */
  lashes: 0.03,
  prior: 12,
});

export interface LidSkin {
  /** The skin's colour (limited-range Y, Cb, Cr): its pixels' median luma and mean chroma. */
  readonly tone: readonly [number, number, number];
  /** The skin's luma at each lid sample (its light across the eye), smoothed so columns join without a seam. */
  readonly across: Float32Array;
  /** The picture's pixels (y * width + x) read as lid skin. */
  readonly pixels: Int32Array;
  /** The colour (Y, Cb, Cr) of the picture just past the eye's start (u < 0) and end. */
  readonly ends: readonly (readonly [number, number, number])[];
}

interface Px { i: number; u: number; y: number; cb: number; cr: number }

/** The picture's pixels whose eye coordinates (u along the eye, v down) pass `inside`, as YCbCr. */
function pixelsIn(img: RgbImage, rig: EyeRig, reach: number, inside: (u: number, v: number) => boolean): Px[] {
  const { center: c, axis: a } = rig;
  const out: Px[] = [];
  const x0 = Math.max(0, Math.floor(c.x - reach)), x1 = Math.min(img.width - 1, Math.ceil(c.x + reach));
  const y0 = Math.max(0, Math.floor(c.y - reach)), y1 = Math.min(img.height - 1, Math.ceil(c.y + reach));
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
    const dx = x - c.x, dy = y - c.y;
    const u = dx * a.x + dy * a.y, v = dy * a.x - dx * a.y;
    if (!inside(u, v)) continue;
    const i = y * img.width + x;
    const [py, cb, cr] = yuvOf(img.data[3 * i], img.data[3 * i + 1], img.data[3 * i + 2]);
    out.push({ i, u, y: py, cb, cr });
  }
  return out;
}

/** Hue angle and colourfulness (chroma over luma above black) of a pixel. */
const hue = (p: Px): [number, number] => [Math.atan2(p.cr - 128, p.cb - 128), Math.hypot(p.cb - 128, p.cr - 128) / Math.max(20, p.y - 16)];
const angleOff = (a: number, b: number): number => { const d = Math.abs(a - b) % (2 * Math.PI); return Math.min(d, 2 * Math.PI - d); };
const median = (xs: number[]): number => { const s = [...xs].sort((p, q) => p - q); return s.length ? s[s.length >> 1] : NaN; };

/**
 * The lid skin of a human eye: the picture's pixels from `vTop` (above the upper lid, eye
 * coordinates) down to the lashes' roots (LID_SKIN.lashes above the upper lid line) across the
 * eye's width, kept where they have the cheek's hue and are lit as the brightest of those are. Brow hair and liner differ in hue (and are darker), a
 * crease's shadow is darker: a band's mean or percentile took them in wherever the brow sits
 * low, and a closed lid made of it came out as a dark band.
 */
export function measureLidSkin(img: RgbImage, rig: EyeRig, vTop: number): LidSkin {
  const W = rig.width, half = W / 2, n = rig.upperLid.length;
  const reach = W + Math.abs(vTop);
  const band = pixelsIn(img, rig, reach, (u, v) => Math.abs(u) <= half && v >= vTop && v < profileAt(rig.upperLid, W, u) - LID_SKIN.lashes * W);
  const cheek = pixelsIn(img, rig, reach + W, (u, v) => {
    if (Math.abs(u) > (LID_SKIN.cheekAcross * W) / 2) return false;
    const low = profileAt(rig.lowerLid, W, u);
    return v >= low + LID_SKIN.cheekFrom * W && v <= low + LID_SKIN.cheekTo * W;
  });
  // The cheek's hue: the angle of its mean chroma (a grey picture's cheek has none to speak of).
  const cb0 = cheek.reduce((s, p) => s + p.cb - 128, 0), cr0 = cheek.reduce((s, p) => s + p.cr - 128, 0);
  const [angle, colour] = hue({ i: 0, u: 0, y: 16 + cheek.reduce((s, p) => s + p.y - 16, 0) / Math.max(1, cheek.length), cb: 128 + cb0 / Math.max(1, cheek.length), cr: 128 + cr0 / Math.max(1, cheek.length) });
  const skinHued = (px: Px[]): Px[] => (cheek.length === 0 || colour < LID_SKIN.neutral ? px
    : px.filter((p) => { const [a, c] = hue(p); return c >= LID_SKIN.colourful * colour && angleOff(a, angle) <= LID_SKIN.hueTolerance; }));
  let skin: Px[] = [];
  if (band.length > 0) {
    const hued = skinHued(band);
    if (hued.length > 0) {
      const lumas = hued.map((p) => p.y).sort((p, q) => p - q);
      const floor = 16 + LID_SKIN.lit * (lumas[Math.floor(0.9 * (lumas.length - 1))] - 16);
      skin = hued.filter((p) => p.y >= floor);
    }
    if (skin.length < LID_SKIN.least * band.length) {
      const byLuma = [...band].sort((p, q) => q.y - p.y);
      skin = byLuma.slice(0, Math.max(1, Math.round(LID_SKIN.fallback * band.length)));
    }
  }
  if (skin.length === 0) return { tone: [128, 128, 128], across: new Float32Array(n).fill(128), pixels: new Int32Array(0), ends: [[128, 128, 128], [128, 128, 128]] };
  const y = median(skin.map((p) => p.y));
  const cb = skin.reduce((s, p) => s + p.cb, 0) / skin.length, cr = skin.reduce((s, p) => s + p.cr, 0) / skin.length;
  // The light across the lid: each sample's nearby skin, drawn towards the whole lid's where
  // little of it shows, then smoothed.
  let across = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const u = (k / (n - 1) - 0.5) * W;
    const near = skin.filter((p) => Math.abs(p.u - u) <= LID_SKIN.reach * W).map((p) => p.y);
    across[k] = near.length ? (near.length * median(near) + LID_SKIN.prior * y) / (near.length + LID_SKIN.prior) : y;
  }
  for (let pass = 0; pass < 3; pass++) {
    const prev = across;
    across = prev.map((l, k) => (prev[Math.max(0, k - 1)] + 2 * l + prev[Math.min(n - 1, k + 1)]) / 4);
  }
  // The skin just past each end of the eye, over the lid skin's height: the median colour of its
  // skin-hued pixels' brighter half (a brow's tail, a liner's wing there are no skin).
  const ends = [-1, 1].map((side) => {
    const strip = pixelsIn(img, rig, reach + W, (u, v) => side * u >= half && side * u <= half + LID_SKIN.endReach * W && v >= vTop && v <= profileAt(rig.upperLid, W, side * half));
    // Skin-hued and at least endLit x as bright as the lid skin (above black): not hair, not a shadow's core.
    const hued = skinHued(strip).filter((p) => p.y >= 16 + LID_SKIN.endLit * (y - 16));
    // Little skin there (a background, hair past a painting's far eye): the lid turns into what is
    // there, as its stretch does, rather than end in its own tone against it.
    const px = hued.length >= LID_SKIN.endSkin * strip.length ? hued.sort((p, q) => q.y - p.y).slice(0, Math.ceil(hued.length / 2)) : strip;
    if (px.length === 0) return [y, cb, cr] as const;
    return [median(px.map((p) => p.y)), median(px.map((p) => p.cb)), median(px.map((p) => p.cr))] as const;
  });
  return { tone: [y, cb, cr], across, pixels: Int32Array.from(skin, (p) => p.i), ends };
}

/**
 * The lid's tone per lid sample (Y, Cb, Cr triples, as eye-skin.ts measureLidTone gives it) from
 * the lid skin, turning into the picture's own colour past the eye's ends over endFade.
 */
export function lidToneOf(skin: LidSkin): Float32Array {
  const n = skin.across.length;
  const out = new Float32Array(3 * n);
  for (let k = 0; k < n; k++) {
    const at = k / (n - 1) - 0.5;
    const end = skin.ends[at < 0 ? 0 : 1];
    const w = smoothstep(0.5 - LID_SKIN.endFade, 0.5, Math.abs(at));
    const own = [skin.across[k], skin.tone[1], skin.tone[2]];
    for (let ch = 0; ch < 3; ch++) out[3 * k + ch] = own[ch] + (end[ch] - own[ch]) * w;
  }
  return out;
}

/** A fixed integer hash (frames must be the same from run to run). */
function hash(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The lid's fine texture, as eye-skin.ts measureLidTexture lays it out (rows of `cols` values
 * 1 px apart, repeated mirrored down the lid), from the lid skin's own pixels: luma less the
 * median of the skin round it where that is within EYE.lidTexture levels, copied in tiles of textureTile px
 * from places where the lid skin is a whole tile, each picked to continue its neighbours. The band above the
 * lashes it was read from before was brow hair where the brow sits low, and a band two rows high
 * repeated down a lid read as vertical stripes and a checker. Tiles keep the skin's grain as it
 * is; single pixels shuffled were a noise the encoder smoothed away.
 */
export function lidTextureOf(img: RgbImage, skin: LidSkin, cols: number): { detail: Float32Array; cols: number; rows: number } {
  const rows = LID_SKIN.textureRows;
  const detail = new Float32Array(cols * rows);
  const m = skin.pixels.length;
  if (m === 0) return { detail, cols, rows };
  const set = new Set(skin.pixels);
  const own = new Map<number, number>();
  const R = LID_SKIN.textureReach, win: number[] = [];
  for (const p of skin.pixels) {
    const x = p % img.width, y = Math.floor(p / img.width);
    win.length = 0;
    for (let dj = -R; dj <= R; dj++) for (let di = -R; di <= R; di++) if (set.has(p + dj * img.width + di)) win.push(lumaAt(img, x + di, y + dj));
    const d = lumaAt(img, x, y) - median(win);
    own.set(p, Math.abs(d) <= EYE.lidTexture ? d : 0);
  }
  // The largest tile the skin holds whole somewhere, and the places it does.
  let tile = LID_SKIN.textureTile, at: number[] = [];
  for (; tile > 1; tile--) {
    at = Array.from(skin.pixels).filter((p) => {
      for (let j = 0; j < tile; j++) for (let i = 0; i < tile; i++) if (!set.has(p + j * img.width + i)) return false;
      return true;
    });
    if (at.length >= LID_SKIN.textureAnchors) break;
  }
  if (at.length === 0) at = Array.from(skin.pixels);
  // Each tile is the one of textureChoices places (picked by a fixed hash) that best continues
  // the tiles left of and above it, as image quilting does: its first column (row) against their
  // last, as alike as neighbouring pixels are. Picked at random, each tile's edge was a seam (the
  // lid showed a grid of squares). Only places at least as grainy as the typical one take part:
  // the closest continuation is otherwise the flattest tile.
  const value = (p: number) => own.get(p) ?? 0;
  const grain = (p: number) => {
    let g = 0;
    for (let j = 0; j < tile; j++) for (let i = 1; i < tile; i++) g += Math.abs(value(p + j * img.width + i) - value(p + j * img.width + i - 1));
    return g;
  };
  if (tile > 1) {
    const grains = at.map(grain), typical = [...grains].sort((a, b) => a - b)[grains.length >> 1];
    at = at.filter((_, i) => grains[i] >= typical);
  }
  const tilesX = Math.ceil(cols / tile), placed = new Int32Array(Math.ceil(rows / tile) * tilesX);
  for (let ty = 0; ty * tile < rows; ty++) for (let tx = 0; tx < tilesX; tx++) {
    let best = Infinity;
    for (let k = 0; k < (tile > 1 ? LID_SKIN.textureChoices : 1); k++) {
      const p = at[hash(((ty * 1021 + tx) * 7919) ^ (k * 104729)) % at.length];
      let cost = 0;
      for (let a = 0; a < tile; a++) {
        if (tx > 0) cost += (value(p + a * img.width) - value(placed[ty * tilesX + tx - 1] + a * img.width + tile - 1)) ** 2;
        if (ty > 0) cost += (value(p + a) - value(placed[(ty - 1) * tilesX + tx] + (tile - 1) * img.width + a)) ** 2;
      }
      if (cost < best) { best = cost; placed[ty * tilesX + tx] = p; }
    }
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    const t = (Math.floor(r / tile) * 1021 + Math.floor(c / tile)) * 7919;
    const p = placed[Math.floor(r / tile) * tilesX + Math.floor(c / tile)] + (r % tile) * img.width + (c % tile);
    detail[r * cols + c] = own.get(p) ?? own.get(skin.pixels[hash(t + r * cols + c) % m])!;
  }
  return { detail, cols, rows };
}
