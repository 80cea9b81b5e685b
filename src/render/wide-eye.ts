// A human eye wider in the picture than the face mesh laid it out: painted eyes (Pearl Earring)
// and eyes moved onto their iris (analyze/face/eye-place.ts) show sclera beyond the mesh's
// corners, which a lid as wide as the mesh's eye left showing when shut. The rig is widened, on
// the side it shows, to the white the picture shows, its lids run round that white. Pure.
import { clamp } from '../core/geometry.js';
import type { EyeRig, RgbImage } from '../core/types.js';
import { eyeGrid, skinAround } from './dark-eye.js';
import { profileAt } from './sample.js';

export const WIDE_EYE = Object.freeze({
  /**
   * Sclera: at least `bright` x the skin's luma (its 75th percentile around the eye) and, in
   * chroma, below `pale` x the skin's (plus 2 levels); told from skin only where the skin has
   * `skinChroma` levels of chroma at least (not on a black-and-white picture).
   */
  bright: 0.95,
  pale: 0.35,
  skinChroma: 8,
  /** Looked for column by column beyond each corner, within `level` (x eye width) of the corner's height... */
  level: 0.3,
  /** ...at least `count` px of it a column, with gaps of `gap` columns at most (the dark corner of the lids)... */
  count: 2,
  gap: 2,
  /** ...up to `reach` (x eye width): white running on further is no eye's. */
  reach: 0.6,
  /** Widened only where the white reaches this far beyond a corner (x eye width)... */
  minOut: 0.06,
  /** ...then to `taper` (x eye width) past the white, the lids `rim` px outside it. */
  taper: 0.08,
  rim: 1,
});

/** The rig widened to the sclera the picture shows beyond its corners; the rig itself when it shows none. */
export function fitWideEye(img: RgbImage, rig: EyeRig): EyeRig {
  const W = rig.width, E = WIDE_EYE;
  if (W < 6) return rig;
  const R = Math.ceil((0.5 + E.reach) * W) + 1;
  const g = eyeGrid(img, rig, R);
  const skin = skinAround(g);
  if (skin.chroma < E.skinChroma) return rig;
  const isSclera = (u: number, v: number): boolean => {
    if (g.at(u, v) < E.bright * skin.luma) return false;
    const [, cb, cr] = g.yuvAt(u, v);
    return Math.hypot(cb - 128, cr - 128) < E.pale * skin.chroma + 2;
  };
  const n = rig.upperLid.length;
  const cornerL = (rig.upperLid[0] + rig.lowerLid[0]) / 2, cornerR = (rig.upperLid[n - 1] + rig.lowerLid[n - 1]) / 2;
  // Per side: the white's top and bottom per column beyond the corner, while it goes on.
  const walk = (dir: -1 | 1, corner: number): { top: number[]; bottom: number[]; end: number } | null => {
    const top: number[] = [], bottom: number[] = [];
    let end = 0, miss = 0;
    for (let d = 1; ; d++) {
      const u = dir * Math.round(W / 2 + d);
      if (d > E.reach * W) return null;
      let t = Infinity, b = -Infinity, c = 0;
      for (let v = Math.ceil(corner - E.level * W); v <= corner + E.level * W; v++) if (isSclera(u, v)) { c++; t = Math.min(t, v); b = Math.max(b, v); }
      top.push(t); bottom.push(b);
      if (c >= E.count) { end = d; miss = 0; } else if (++miss > E.gap) break;
    }
    return end >= E.minOut * W ? { top: top.slice(0, end), bottom: bottom.slice(0, end), end } : null;
  };
  const L = walk(-1, cornerL), Rt = walk(1, cornerR);
  if (!L && !Rt) return rig;
  const left = -W / 2 - (L ? L.end + E.taper * W : 0);
  const right = W / 2 + (Rt ? Rt.end + E.taper * W : 0);
  const upper = new Float32Array(n), lower = new Float32Array(n);
  // The old lids where they were, the corners' height beyond them, run round the white.
  for (let k = 0; k < n; k++) {
    const u = left + (k / (n - 1)) * (right - left);
    let up: number, low: number;
    if (Math.abs(u) <= W / 2) { up = profileAt(rig.upperLid, W, u); low = profileAt(rig.lowerLid, W, u); } else {
      up = low = u < 0 ? cornerL : cornerR;
      const side = u < 0 ? L : Rt;
      const d = Math.round(Math.abs(u) - W / 2) - 1;
      if (side && d >= 0 && d < side.end) {
        // The white's extent here, or at the nearest column that has it (a gap of dark corner).
        for (let e = 0; e <= E.gap; e++) {
          const j = clamp(d + (e % 2 ? -1 : 1) * Math.ceil(e / 2), 0, side.end - 1);
          if (Number.isFinite(side.top[j])) { up = Math.min(up, side.top[j] - E.rim); low = Math.max(low, side.bottom[j] + E.rim); break; }
        }
      }
    }
    upper[k] = up; lower[k] = low;
  }
  upper[0] = lower[0] = (upper[0] + lower[0]) / 2;
  upper[n - 1] = lower[n - 1] = (upper[n - 1] + lower[n - 1]) / 2;
  const smooth = (p: Float32Array) => {
    let o = p;
    for (let pass = 0; pass < 2; pass++) {
      const prev = o;
      o = prev.map((v, k) => (k === 0 || k === n - 1 ? v : (prev[k - 1] + 2 * v + prev[k + 1]) / 4));
    }
    return o;
  };
  const mid = (left + right) / 2;
  const { center: c, axis: a } = rig;
  if (process.env.DBGW) console.error('wide', W.toFixed(1), 'L', L?.end, 'R', Rt?.end, 'skin', skin.luma.toFixed(0), skin.chroma.toFixed(1));
  return {
    center: { x: c.x + mid * a.x, y: c.y + mid * a.y },
    axis: a,
    width: right - left,
    upperLid: smooth(upper),
    lowerLid: smooth(lower),
    iris: rig.iris ? { ...rig.iris, u: rig.iris.u - mid } : null,
  };
}
