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
  const near = new Map<Side, Float32Array>(), far = new Map<Side, Float32Array>(), textured = new Map<Side, Float32Array>();
  for (const side of sides) {
    const { colour, background, plain, tol } = edgeBackground(img, inner, side, person);
    const n = colour.length / 3;
    smoothAlong(colour, n, MARGIN.smoothNear * short);
    near.set(side, colour);
    // A plain backdrop keeps its tone and gradient all the way out.
    const wide = Float32Array.from(colour);
    if (!plain) smoothAlong(wide, n, MARGIN.smoothFar * short);
    far.set(side, wide);
    if (!plain && background.includes(1)) textured.set(side, continueTexture(img, inner, side, { background, colour, tol }, wide, person));
  }
  // The textured continuations read the picture only: computed before any margin pixel is written.
  const fills = near;
  const fade = Math.max(1, MARGIN.farOut * short);
  const at = (side: Side, t: number, dist: number, out: number[]): void => {
    const a = near.get(side)!, b = far.get(side)!;
    const k = 3 * Math.min(a.length / 3 - 1, Math.max(0, t));
    const w = Math.min(1, dist / fade), s = w * w * (3 - 2 * w);
    for (let ch = 0; ch < 3; ch++) out[ch] = a[k + ch] + (b[k + ch] - a[k + ch]) * s;
  };
  const px = [0, 0, 0];
  const x1 = inner.x + inner.width, y1 = inner.y + inner.height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inX = x >= inner.x && x < x1, inY = y >= inner.y && y < y1;
      if (inX && inY) continue;
      // Distance past each edge; the side it is furthest past (relative) fills it.
      const dl = inner.x - x, dr = x - x1 + 1, dt = inner.y - y, db = y - y1 + 1;
      const horizontal = Math.max(dl, dr), verticalPast = Math.max(dt, db);
      let side: Side;
      if (horizontal > 0 && (verticalPast <= 0 || !fills.has(dt > 0 ? 'top' : 'bottom') || horizontal >= verticalPast) && fills.has(dl > 0 ? 'left' : 'right')) side = dl > 0 ? 'left' : 'right';
      else side = dt > 0 ? 'top' : 'bottom';
      if (!fills.has(side)) continue;
      const across = side === 'left' || side === 'right';
      const field = textured.get(side);
      if (field) {
        const depth = across ? (side === 'left' ? inner.x : width - x1) : (side === 'top' ? inner.y : height - y1);
        const j = 3 * ((across ? y : x) * depth + (across ? horizontal : verticalPast) - 1);
        px[0] = field[j]; px[1] = field[j + 1]; px[2] = field[j + 2];
      } else {
        at(side, across ? y - inner.y : x - inner.x, across ? horizontal : verticalPast, px);
      }
      const i = (y * width + x) * 3;
      data[i] = px[0] + 0.5; data[i + 1] = px[1] + 0.5; data[i + 2] = px[2] + 0.5;
    }
  }
}
