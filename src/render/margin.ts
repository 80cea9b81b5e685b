// The margin of a padded frame (adaptive framing of a picture too narrow or too short for 16:9)
// continues the picture's background, never the person. Along each edge of the picture the
// outermost strip of pixels is read; positions whose colour belongs to the background (close to
// the colour of the edge's part the person rarely reaches: the upper part of a side, the ends of
// the bottom) are kept, and positions the person touches (shoulders, an arm, hair at the edge)
// take the background of their nearest kept neighbours instead. On a plain backdrop the margin is
// that colour carried outwards, smoothed along the edge only a little (a studio wall keeps its
// exact tone and gradient). A textured one (foliage, a flag, a painted canvas) is continued as
// its mirror image without the person, blurred more the further out and fading towards its own
// smoothed colour, as broadcasters fill a landscape frame around portrait footage: one colour per
// row carried outwards would draw each row's edge as a long horizontal streak. Where a person
// mask is given (a segmentation model's), it decides which positions and pixels are the person
// instead of the colours: a busy backdrop strays from its own colour as much as a shoulder does.
// Pure: RGB in, RGB changed in place.
import type { Rect, RgbImage } from '../core/types.js';
import { MARGIN, type PersonAt, type Side } from './margin-config.js';
import { edgeBackground, repairEdgeLineInPlace, smoothAlong } from './margin-edge.js';
import { continueTexture } from './margin-texture.js';

export { MARGIN, type PersonAt } from './margin-config.js';
export { edgeBackground } from './margin-edge.js';

/**
 * Fills everything of `img` outside `inner` (where the picture was placed) with the picture's
 * background continued outwards. Corners take the nearer side's colour.
 */
export function fillMarginsInPlace(img: RgbImage, inner: Rect, person?: PersonAt): void {
  const { width, height, data } = img;
  const short = Math.min(width, height);
  const sides: Side[] = [];
  if (inner.x > 0) sides.push('left');
  if (inner.x + inner.width < width) sides.push('right');
  if (inner.y > 0) sides.push('top');
  if (inner.y + inner.height < height) sides.push('bottom');
  for (const side of sides) repairEdgeLineInPlace(img, inner, side);
  if (person) person = sureMask(inner, person);
  const near = new Map<Side, Float32Array>(), far = new Map<Side, Float32Array>(), textured = new Map<Side, Float32Array>();
  const edges = new Map(sides.map((side) => [side, edgeBackground(img, inner, side, person)] as const));
  // A side the person fills nearly end to end (a face cut by the picture's side) has too little
  // backdrop of its own to continue: its margin is the backdrop the other sides show, plain, one
  // wall on both sides, rather than a panel of what little it shows (Pearl Earring cut through
  // her cheek: her headscarf's blue and grey, smeared down the whole side).
  const own = (e: { background: Uint8Array }) => e.background.reduce((a, b) => a + b, 0) >= MARGIN.ownBackdrop * e.background.length;
  const shown = sharedBackdrop([...edges.values()].filter(own));
  for (const side of sides) {
    const e = edges.get(side)!, borrowed = !own(e) && shown !== null;
    const { background, tol } = e, plain = e.plain || borrowed;
    const n = e.colour.length / 3;
    const colour = borrowed ? Float32Array.from({ length: 3 * n }, (_, i) => shown[i % 3]) : e.colour;
    smoothAlong(colour, n, MARGIN.smoothNear * short);
    near.set(side, colour);
    // A plain backdrop keeps its tone and gradient all the way out.
    const wide = Float32Array.from(colour);
    if (!plain) smoothAlong(wide, n, MARGIN.smoothFar * short);
    far.set(side, wide);
    if (!plain && background.includes(1)) textured.set(side, continueTexture(img, inner, side, { background, colour, tol }, wide, person));
  }
  // The textured continuations read the picture only: computed before any margin pixel is written.
  const x1 = inner.x + inner.width, y1 = inner.y + inner.height;
  const fill = (side: Side, depth: number): SideFill | null => !near.has(side) ? null : { near: near.get(side)!, far: far.get(side)!, field: textured.get(side) ?? null, depth };
  const left = fill('left', inner.x), right = fill('right', width - x1), top = fill('top', inner.y), bottom = fill('bottom', height - y1);
  const fade = Math.max(1, MARGIN.farOut * short);
  // Each margin pixel takes the side it is furthest past; in a corner, the left or right one
  // where it is at least as far past that. Row by row, in runs of one side.
  for (let y = 0; y < height; y++) {
    const past = y < inner.y ? inner.y - y : y - y1 + 1;
    if (past > 0) {
      const from = Math.max(0, inner.x - past + 1), to = Math.min(width, x1 - 1 + past);
      fillAlong(data, y * width, from, to, (y < inner.y ? top : bottom)!, past, inner.x, fade);
      if (left) fillAcross(data, y, width, 0, from, left, inner.x, -1, inner.y, fade);
      if (right) fillAcross(data, y, width, to, width, right, x1 - 1, 1, inner.y, fade);
    } else {
      if (left) fillAcross(data, y, width, 0, inner.x, left, inner.x, -1, inner.y, fade);
      if (right) fillAcross(data, y, width, x1, width, right, x1 - 1, 1, inner.y, fade);
    }
  }
}

/** The median colour of the backdrop positions of all `edges` (null where there are none). */
function sharedBackdrop(edges: readonly { colour: Float32Array; background: Uint8Array }[]): number[] | null {
  const seen: number[][] = [[], [], []];
  for (const { colour, background } of edges) background.forEach((b, t) => { if (b) for (let ch = 0; ch < 3; ch++) seen[ch].push(colour[3 * t + ch]); });
  if (seen[0].length === 0) return null;
  return seen.map((v) => Float64Array.from(v).sort()[v.length >> 1]);
}

/**
 * The mask if it is sure of its subject, else none. A segmenter made for people that only
 * half-recognises another subject (the shiba: parts of the dog at 0.2-0.6, the rest of it at 0,
 * 5 % of the picture over 0.5) leaves most of the subject to be taken for backdrop, and the
 * continuation mirrored the dog's fur and chest into the margin as soft brown and cream bands.
 * Such a mask never reaches 1: below `maskSure` at its `maskSureQuantile` over the picture,
 * the colours tell backdrop from subject instead, as where there is no mask.
 */
function sureMask(inner: Rect, person: PersonAt): PersonAt | undefined {
  const values: number[] = [];
  const step = Math.max(1, Math.round(Math.min(inner.width, inner.height) / 64));
  for (let y = inner.y; y < inner.y + inner.height; y += step) for (let x = inner.x; x < inner.x + inner.width; x += step) values.push(person(x, y));
  values.sort((a, b) => a - b);
  const sure = values[Math.min(values.length - 1, Math.floor(MARGIN.maskSureQuantile * (values.length - 1)))] ?? 0;
  return sure >= MARGIN.maskSure ? person : undefined;
}

/**
 * One side's fill: its colour along the side near the picture and far out, or its textured
 * continuation (continueTexture: margin pixel d + 1 out at position t is 3 * (t * depth + d)).
 */
interface SideFill { readonly near: Float32Array; readonly far: Float32Array; readonly field: Float32Array | null; readonly depth: number }

/** How far a plain side's colour has gone from its near towards its far colour, `dist` out (smoothstep over `fade`). */
function farShare(dist: number, fade: number): number {
  const w = Math.min(1, dist / fade);
  return w * w * (3 - 2 * w);
}

/** Where a plain side's colours at `t` along the picture start (clamped to the picture). */
const colourAt = (s: SideFill, t: number): number => 3 * Math.min(s.near.length / 3 - 1, Math.max(0, t));

/** Frame pixels x0 .. x1-1 of row y from the left or right side: `dir` * (x - `edge`) out, `edge` the picture's column beside it. */
function fillAcross(data: Uint8Array, y: number, width: number, x0: number, x1: number, s: SideFill, edge: number, dir: number, start: number, fade: number): void {
  const { field, depth, near, far } = s, k = colourAt(s, y - start);
  for (let x = x0, i = 3 * (y * width + x0); x < x1; x++, i += 3) {
    const dist = dir * (x - edge);
    if (field) {
      const j = 3 * (y * depth + dist - 1);
      data[i] = field[j] + 0.5; data[i + 1] = field[j + 1] + 0.5; data[i + 2] = field[j + 2] + 0.5;
    } else {
      const sm = farShare(dist, fade);
      for (let ch = 0; ch < 3; ch++) data[i + ch] = near[k + ch] + (far[k + ch] - near[k + ch]) * sm + 0.5;
    }
  }
}

/** Frame pixels x0 .. x1-1 of the row starting at pixel `row`, `dist` above or below the picture, from the top or bottom side. */
function fillAlong(data: Uint8Array, row: number, x0: number, x1: number, s: SideFill, dist: number, start: number, fade: number): void {
  const { field, depth, near, far } = s, sm = farShare(dist, fade);
  for (let x = x0, i = 3 * (row + x0); x < x1; x++, i += 3) {
    if (field) {
      const j = 3 * (x * depth + dist - 1);
      data[i] = field[j] + 0.5; data[i + 1] = field[j + 1] + 0.5; data[i + 2] = field[j + 2] + 0.5;
    } else {
      const k = colourAt(s, x - start);
      for (let ch = 0; ch < 3; ch++) data[i + ch] = near[k + ch] + (far[k + ch] - near[k + ch]) * sm + 0.5;
    }
  }
}
