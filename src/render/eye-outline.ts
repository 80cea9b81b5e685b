// The eye as drawn or painted, where it is larger than the rig: a face mesh lays a photo's eye
// out well, but on a painting or a drawing its eye often sits inside the eye the picture shows,
// whose dark outline (lash line, liner) runs on past the rig's corners and whose white shows
// below its lower lid. A lid closing over the rig's eye alone left them showing round it (a
// painted eye's rim, a drawn eye's white, the edge of a winged liner). The rig is widened to
// the outline and white beyond its corners (on a drawing also lowered over them and over the
// white below it), its corners brought together, so the closed lid covers the eye the picture
// shows and thins out at its ends. Pure.
import type { EyeRig, RgbImage } from '../core/types.js';
import { eyeGrid, skinAround } from './dark-eye.js';
import { profileAt } from './sample.js';
import { WIDE_EYE, follow, refitRig, whiteBeyond, type Columns, type WhiteSearch } from './wide-eye.js';

export const EYE_OUTLINE = Object.freeze({
  /**
   * Ink (outline, lash line, liner, iris): darker than this x the skin's luma in its column (the
   * 75th percentile within `column` x the eye's width above and below the eye's line): lit and
   * shaded skin round an eye differ more than the whole area's percentile allows.
   */
  ink: 0.5,
  column: 0.5,
  /**
   * Ink is followed past a corner at most this far (x the eye's width) on a photo or a painting:
   * a painted eye's outline ends about there, and a wrinkle, a crease or a liner's wing running on
   * further is covered no further (a lid laid along a crow's foot read the flag man's brow). A
   * drawing's outlined eye may be far larger than the mesh's (`drawnReach`; ink running on
   * further than that is no eye's and is not followed at all).
   */
  reach: 0.2,
  drawnReach: 0.6,
  /**
   * On a photo or a painting a liner's wing runs on past the corner: it is followed up to `reach`
   * (the lid then covers its root and thins out beyond), its run with the lashes up to `tall` x
   * the opening high.
   */
  tall: 1.5,
  beyondTall: 0.5,
  /**
   * Below the lower lid the eye (white, ink, or an iris coloured unlike the skin: `hue` x the
   * skin's chroma from its colour) is followed down at most this far, x the eye's width.
   */
  below: 0.25,
  hue: 1.5,
  /**
   * Corners further apart than `openCorner` px (a mesh's eye whose lids do not meet: the eye goes
   * on past it) are brought together even where nothing lies outside the rig, the lids closing
   * in line over `runOn` x that gap beyond: a lid that ends in a step leaves a hard edge.
   */
  openCorner: 1.5,
  runOn: 1.5,
});

/** The sclera and ink tests around the eye; `below` (the eye under the lower lid) is null where the skin has too little chroma to tell white from it. */
function inkSearch(img: RgbImage, rig: EyeRig): { eye: WhiteSearch; below: WhiteSearch | null } {
  const W = rig.width, E = WIDE_EYE;
  const R = Math.ceil((0.5 + E.reach) * W) + 2;
  const g = eyeGrid(img, rig, R);
  const skin = skinAround(g);
  const inside = (v: number): boolean => Math.abs(v) <= R;
  const isWhite = (u: number, v: number): boolean => {
    if (!inside(v) || g.at(u, v) < E.bright * skin.luma) return false;
    const [, cb, cr] = g.yuvAt(u, v);
    return Math.hypot(cb - 128, cr - 128) < E.pale * skin.chroma + 2;
  };
  const canTell = skin.chroma >= E.skinChroma;
  // The skin's colour: the median Cb and Cr of the grid's pixels about as bright as the skin.
  const cbs: number[] = [], crs: number[] = [];
  for (let j = -R; j <= R; j += 2) for (let i = -R; i <= R; i += 2) {
    if (g.at(i, j) < 0.9 * skin.luma) continue;
    const [, cb, cr] = g.yuvAt(i, j);
    cbs.push(cb); crs.push(cr);
  }
  const med = (a: number[]): number => a.sort((x, y) => x - y)[a.length >> 1] ?? 128;
  const skinCb = med(cbs), skinCr = med(crs);
  const unlikeSkin = (u: number, v: number): boolean => {
    const [, cb, cr] = g.yuvAt(u, v);
    return Math.hypot(cb - skinCb, cr - skinCr) > EYE_OUTLINE.hue * skin.chroma;
  };
  const at = (u: number, v: number): number => g.at(u, v);
  const ref = new Map<number, number>();
  const columnSkin = (u: number): number => {
    const i = Math.round(u);
    let r = ref.get(i);
    if (r === undefined) {
      const span = Math.round(EYE_OUTLINE.column * W);
      const col = Float32Array.from({ length: 2 * span + 1 }, (_, j) => g.at(i, j - span)).sort();
      r = col[Math.floor(0.75 * (col.length - 1))];
      ref.set(i, r);
    }
    return r;
  };
  const isInk = (u: number, v: number): boolean => inside(v) && Math.abs(u) <= R && g.at(u, v) < EYE_OUTLINE.ink * columnSkin(u);
  return {
    eye: { W, R, at, white: (u, v) => Math.abs(u) <= R && (isInk(u, v) || (canTell && isWhite(u, v))) },
    below: canTell ? { W, R, at, white: (u, v) => isInk(u, v) || isWhite(u, v) || unlikeSkin(u, v) } : null,
  };
}

/**
 * Per column inside the corners: the opening as rigged and, where white runs on below the lower
 * lid (a drawn eye's, a painted one's) and ends within `below`, the lower lid `rim` px below that white. A column between
 * lowered ones (an iris down to the drawn lid, with white either side) is lowered in line with them.
 */
function eyeBelow(below: WhiteSearch | null, rig: EyeRig): Columns {
  const W = rig.width;
  const cols: Columns = new Map();
  const found: [number, number][] = [];
  for (let u = Math.ceil(-W / 2); u <= W / 2; u++) {
    const up = Math.round(profileAt(rig.upperLid, W, u)), low = Math.round(profileAt(rig.lowerLid, W, u));
    // Eye that runs on to the end of the search is no eye's (pale skin under the eye, a bag).
    const limit = Math.round(EYE_OUTLINE.below * W) + 1;
    const end = below && low > up ? follow(below, u, low - 1, 1, limit) : low;
    const bottom = end >= low - 1 + limit - WIDE_EYE.gapPx ? low : end;
    if (bottom > low) found.push([u, bottom + WIDE_EYE.rim]);
    cols.set(u, { up: Infinity, low: -Infinity, at: { up, low: Math.max(low, bottom) } });
  }
  for (const [u, c] of cols) {
    const before = found.filter(([k]) => k <= u).pop(), after = found.find(([k]) => k >= u);
    if (!before || !after) continue;
    const low = after[0] === before[0] ? before[1] : before[1] + ((u - before[0]) * (after[1] - before[1])) / (after[0] - before[0]);
    cols.set(u, { up: c.up, low, at: { up: c.at.up, low: Math.max(c.at.low, Math.round(low) - WIDE_EYE.rim) } });
  }
  return cols;
}

/**
 * The rig widened over the eye's outline and white beyond its corners, lowered over white below
 * its lower lid, its corners together (`drawn`: a drawing's or an animal's face); the rig itself where the picture shows no more of the
 * eye than it covers and its corners meet.
 */
export function fitEyeOutline(img: RgbImage, rig: EyeRig, opts: { drawn?: boolean } = {}): EyeRig {
  if (rig.width < 6) return rig;
  const { eye, below } = inkSearch(img, rig);
  // Only a drawing's: under a photo's (or a painting's) lower lid, pale skin and the wet rim pass
  // for white and a bag's shade for ink, and a mesh lays that lid where it is.
  const cols = eyeBelow(opts.drawn ? below : null, rig);
  let aperture = 0;
  for (const c of cols.values()) aperture = Math.max(aperture, c.at.low - c.at.up);
  // Ink that runs on further than an eye's (hair, a shadow) is not followed at all.
  const beyond = (dir: -1 | 1): { end: number; clipped: boolean } => {
    const found = opts.drawn
      ? whiteBeyond(eye, cols, aperture, dir, { reach: EYE_OUTLINE.drawnReach })
      : whiteBeyond(eye, cols, aperture, dir, { reach: EYE_OUTLINE.reach, tall: EYE_OUTLINE.tall, clip: true });
    if (!found) for (const u of [...cols.keys()]) if (dir * u > rig.width / 2) cols.delete(u);
    return found ?? { end: 0, clipped: false };
  };
  const leftInk = beyond(-1), rightInk = beyond(1);
  const left = leftInk.end, right = rightInk.end;
  // Beyond the corners no higher than the rig's upper lid nor lower than its lower one: ink above
  // or below them is a brow, lashes or a shadow, and a lid laid over those would move the lid
  // skin (measured above the lid) up into the brow.
  const top = Math.min(...[...cols.values()].map((c) => c.at.up)), bottom = Math.max(...[...cols.values()].map((c) => c.at.low));
  // And at most `beyondTall` x the opening high, up from its bottom: the lashes above a liner's
  // wing made its run tall, and a lid as tall as the eye right to its new corner ended in a step.
  // On a photo or a painting the lower lid is not lowered over ink past the corners: what lies
  // there below the corner's line is a crease, a shadow or the eye's pink corner, and a lower lid
  // laid round each column of it made the closed lash line, which runs along the lower lid, dip
  // and rise again past every corner (a "~" on every older face). The lid closes in line from the
  // corner to its new one there, over the ink above that line.
  for (const [u, c] of cols) {
    if (Math.abs(u) <= rig.width / 2) continue;
    const low = Math.min(c.low, bottom);
    cols.set(u, { ...c, up: Math.max(c.up, top, low - EYE_OUTLINE.beyondTall * aperture), low: opts.drawn ? low : -Infinity });
  }
  const lowered = [...cols.values()].some((c) => Number.isFinite(c.low));
  const n = rig.upperLid.length;
  const gapL = rig.lowerLid[0] - rig.upperLid[0], gapR = rig.lowerLid[n - 1] - rig.upperLid[n - 1];
  const open = Math.max(gapL, gapR) > EYE_OUTLINE.openCorner;
  if (!lowered && left === 0 && right === 0 && !open) return rig;
  // Ink cut off at `reach` (a wing, a crease) goes on beyond: the lids close over as long again,
  // not in a step. Ink that ends there by itself (an eye's dark corner against the background
  // of a face seen from the side) is not cut: a lid run on past it was a patch of skin out in
  // the background (Pearl's far eye).
  const cut = (side: { clipped: boolean }): number => (!opts.drawn && side.clipped ? EYE_OUTLINE.reach * rig.width : 0);
  const runOn = (gap: number, side: { clipped: boolean }): number => Math.max(EYE_OUTLINE.runOn * Math.max(0, gap), cut(side));
  return refitRig(rig, cols, left, right, [runOn(gapL, leftInk), runOn(gapR, rightInk)]);
}
