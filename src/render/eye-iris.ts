// A human eye whose lids the face mesh laid low round its own iris: on a painting (the Mona
// Lisa's right eye) the mesh can put its iris at or above its upper lid, the lids on the lower
// half of the painted eye and the bag below it. A blink then closed a lid over that band: the
// top of the painted eye stayed showing above the lid, whose lash line lay on the bag. An eye
// is real only with its iris inside the opening, under the upper lid's edge; where the mesh's own
// iris is above that and the picture shows a dark iris there, the lids are moved up until the
// lower lid lies just below that eye. Pure.
import type { EyeRig, RgbImage } from '../core/types.js';
import { eyeGrid, skinAround } from './dark-eye.js';
import { profileAt } from './sample.js';
import { WIDE_EYE } from './wide-eye.js';

export const EYE_IRIS = Object.freeze({
  /** The mesh's iris centre this share of the opening down from the upper lid at most: the lids are low. */
  high: 0.15,
  /** Moved so the lower lid lies this many px below the bottom of the eye (iris, white) the picture shows. */
  rim: 1,
  /** The picture's iris: the darkest disc (the mesh's iris radius, at least `radius` x the eye's width) within `across` and `up` x the width of the mesh's. */
  radius: 0.12,
  across: 0.15,
  up: 0.35,
  /** ...at most `dark` x the skin's luma around: an iris, not a shadow on skin. */
  dark: 0.6,
});

/** The rig with its lids (and iris) moved up onto the iris the picture shows, or the rig itself. */
export function liftToIris(img: RgbImage, rig: EyeRig): EyeRig {
  const iris = rig.iris, W = rig.width, E = EYE_IRIS;
  if (!iris || W < 6) return rig;
  const up = profileAt(rig.upperLid, W, iris.u), low = profileAt(rig.lowerLid, W, iris.u);
  if (low - up < 1 || iris.v - up > E.high * (low - up)) return rig;
  const R = Math.ceil(E.up * W + E.across * W + iris.radius + 0.5 * W);
  const g = eyeGrid(img, rig, R);
  const skin = skinAround(g);
  const r = Math.max(1, Math.round(0.7 * Math.max(iris.radius, E.radius * W)));
  const disc = (u: number, v: number): number => {
    let sum = 0;
    for (let j = -r; j <= r; j++) for (let i = -r; i <= r; i++) sum += g.at(u + i, v + j);
    return sum / ((2 * r + 1) * (2 * r + 1));
  };
  let best = { l: Infinity, u: iris.u, v: iris.v };
  const u0 = Math.round(iris.u - E.across * W), u1 = Math.round(iris.u + E.across * W);
  for (let v = Math.round(iris.v - E.up * W); v <= Math.round(iris.v); v++) {
    for (let u = u0; u <= u1; u++) {
      const l = disc(u, v);
      if (l < best.l) best = { l, u, v };
    }
  }
  if (!(best.l <= E.dark * skin.luma)) return rig;
  // The eye's bottom: down from the disc, as long as its column is darker than halfway to the
  // skin (the iris) or white (gaps of a pixel bridged). The lower lid goes just below it; the
  // iris's middle is no measure, as the lash line above a painted iris is as dark and the disc
  // takes it in.
  const dark = (best.l + skin.luma) / 2, lowAt = profileAt(rig.lowerLid, W, best.u);
  const eye = (v: number): boolean => {
    const l = g.at(best.u, v);
    if (l < dark) return true;
    // Or the white below the iris (wide-eye.ts's sclera test).
    if (l < WIDE_EYE.bright * skin.luma) return false;
    const [, cb, cr] = g.yuvAt(best.u, v);
    return skin.chroma >= WIDE_EYE.skinChroma && Math.hypot(cb - 128, cr - 128) < WIDE_EYE.pale * skin.chroma + 2;
  };
  let bottom = best.v;
  for (let v = best.v + 1, miss = 0; v <= lowAt && miss <= 1; v++) {
    if (eye(v)) { bottom = v; miss = 0; } else miss++;
  }
  const lift = Math.min(lowAt - bottom - E.rim, low - up);
  if (lift <= 0.5) return rig;
  return {
    ...rig,
    upperLid: rig.upperLid.map((v) => v - lift),
    lowerLid: rig.lowerLid.map((v) => v - lift),
    iris: { ...iris, v: iris.v - lift },
  };
}
