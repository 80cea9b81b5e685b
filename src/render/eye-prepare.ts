// The warp made once per eye (eyes.ts traces it per pixel, per frame): the eye a closing lid
// covers, fitted to what the picture shows (dark-eye.ts, eye-iris.ts, wide-eye.ts,
// eye-outline.ts), and the lid skin it is made of, measured round it (eye-skin.ts, lid-skin.ts).
// Pure.
import type { EyeRig, Rect, RgbImage } from '../core/types.js';
import { localBox } from './sample.js';
import { fitDarkEye } from './dark-eye.js';
import { fitWideEye } from './wide-eye.js';
import { fitEyeOutline } from './eye-outline.js';
import { liftToIris } from './eye-iris.js';
import { EYE, type EyeWarp } from './eye-config.js';
import { belowBrow, measureCrease, measureLashBand, measureLashShow, measureLidTexture, measureLidTone, measureSkinBelow } from './eye-skin.js';
import { lidTextureOf, lidToneOf, measureLidSkin } from './lid-skin.js';

/**
 * What kind of face an eye is on. `darkEyes`: an animal's or a drawing's (no human teeth either),
 * whose eyes may be dark all across and larger than the mesh laid them out, and whose lid covers
 * only what was its eye (EYE.lidCoverAbove); a human eye is refitted only where its white shows
 * outside the rig (wide-eye.ts). `animal`: its lower lid rises to meet the upper
 * (EYE.lowerRise), and its dark eye takes in an iris of its own colour and is cut to an ellipse
 * where it ran on into the fur (dark-eye.ts irisColour, trimLeaks); a drawing's eye is drawn round a white the rig's lower lid may lie
 * inside, which the rising lid would stretch up over the eye, and its liner is part of its dark eye.
 */
export interface EyeKind { readonly darkEyes?: boolean; readonly animal?: boolean }

export function prepareEye(base: RgbImage, rigged: EyeRig, opts: EyeKind = {}): EyeWarp {
  const { dark, wide, rig } = eyeFits(base, rigged, opts);
  const half = rig.width / 2;
  // The lid skin's height as for the eye without its outline: a lid widened over a painted
  // outline or a liner's wing is no taller, and reaching up as far as it is wide read the brow.
  // A human lid's skin starts below the brow; an animal's or a drawing's brow is fur or a line.
  const top = Math.min(...rig.upperLid) - EYE.skinAbove * wide.width;
  const vTop = opts.darkEyes ? top : belowBrow(base, rig, top);
  const aperture = Math.max(1e-3, ...rig.lowerLid.map((l, k) => l - rig.upperLid[k]));
  const lowerRise = opts.animal ? EYE.lowerRise : 0;
  // A rising lower lid unfolds the skin below the eye: as much of it as the rise, and more.
  const vBottom = Math.max(...rig.lowerLid) + Math.max(0.1 * rig.width, EYE.lowerSkin * lowerRise * EYE.closeReach * aperture) + 1;
  const vBrow = top - EYE.browReach * rig.width;
  const across = Math.max(half, EYE.browHalfLength * rig.width);
  const lashBand = measureLashBand(base, rig, vTop);
  // A human lid is made of its skin between brow and lashes (lid-skin.ts, as the blink check
  // reads it); an animal's or a drawing's brow is fur or a line, and its lid keeps the band's.
  const skin = opts.darkEyes ? null : measureLidSkin(base, rig, vTop);
  const tex = skin ? lidTextureOf(base, skin, Math.ceil(rig.width) + 1) : measureLidTexture(base, rig, vTop, lashBand);
  const lidTone = skin ? lidToneOf(skin) : measureLidTone(base, rig, vTop, lashBand);
  const lidToneLow = !skin && !dark && !opts.animal ? liftedTowards(lidTone, measureSkinBelow(base, rig), EYE.drawnLidLift) : new Float32Array(0);
  const crease = skin ? measureCrease(base, rig, vTop, lashBand, lidTone) : null;
  const box = (u0: number, u1: number, v0: number, v1: number): Rect => localBox(rig.center, rig.axis, u0, u1, v0, v1, base.width, base.height, 1);
  return {
    rig, vTop, vBottom, vBrow,
    bounds: box(-across, across, vBrow, vBottom),
    lidBounds: box(-half, half, vTop, vBottom),
    lashBand,
    lashShow: measureLashShow(base, rig, lashBand, lidTone),
    lidTone, lidToneLow,
    creaseHeight: crease?.height ?? new Float32Array(0), creaseDepth: crease?.depth ?? new Float32Array(0),
    creaseHold: crease?.hold ?? new Float32Array(0),
    shutFill: shutFillOf(rig, lowerRise),
    lidTexture: tex.detail, texCols: tex.cols, texRows: tex.rows,
    base,
    coverMin: skin ? EYE.lidCoverSkin : EYE.lidCover,
    coverAtLid: opts.darkEyes ? 1 : 0,
    slideFur: opts.animal ? 1 : 0,
    aperture, lowerRise,
    irisWidth: dark ? rig.width : rigged.width,
    irisU: dark ? 0 : (rigged.center.x - rig.center.x) * rig.axis.x + (rigged.center.y - rig.center.y) * rig.axis.y,
    blink: 0, browLift: 0, shiftU: 0, shiftV: 0,
  };
}

/**
 * EyeWarp.shutFill: the shut lid's edge per lid sample (closeReach of the way from the upper lid
 * past the lower, less what a rising lower lid makes) raised to its unimodal majorant, the lower
 * of its running maxima from either corner, less itself: each dip filled to the level of the
 * lower of the two rims round it, the rest left exactly as it was.
 */
export function shutFillOf(rig: EyeRig, lowerRise: number): Float32Array {
  const n = rig.upperLid.length;
  const shut = Array.from(rig.upperLid, (up, k) => up + EYE.closeReach * (1 - lowerRise) * Math.max(0, rig.lowerLid[k] - up));
  const fromLeft = shut.map((_, k) => Math.max(...shut.slice(0, k + 1)));
  const fromRight = shut.map((_, k) => Math.max(...shut.slice(k, n)));
  return Float32Array.from(shut, (v, k) => Math.min(fromLeft[k], fromRight[k]) - v);
}

/**
 * The eye a closing lid covers (`rig`): an animal's or a drawing's dark eye as the picture shows
 * it (dark-eye.ts); a human eye lifted onto its iris where the mesh laid its lids low round it
 * (eye-iris.ts); any other eye (a drawing's with white too) refitted round the white it shows
 * outside the rig (wide-eye.ts), then widened and lowered over the outline and white the picture
 * shows round it (eye-outline.ts). `dark` when the eye was measured as a dark eye (then `wide` and
 * `rig` are that eye); else `wide` is the eye lifted and refitted to its white (the opening: what
 * the blink check measures and the lid skin's height is read from), before its outline.
 */
export function eyeFits(base: RgbImage, rigged: EyeRig, kind: EyeKind): { readonly dark: boolean; readonly wide: EyeRig; readonly rig: EyeRig } {
  const darkEyes = kind.darkEyes === true;
  // An animal's or a drawing's eye is measured in the picture as it is (dark-eye.ts, eye-outline.ts).
  const measured = darkEyes ? fitDarkEye(base, rigged, { animal: kind.animal === true }) : rigged;
  if (measured !== rigged) return { dark: true, wide: measured, rig: measured };
  const wide = fitWideEye(base, darkEyes ? rigged : liftToIris(base, rigged));
  return { dark: false, wide, rig: fitEyeOutline(base, wide, { drawn: darkEyes }) };
}

/** `tone` (Y, Cb, Cr triples) with each colour moved `share` of the way towards `lighter`'s where that is lighter. */
function liftedTowards(tone: Float32Array, lighter: Float32Array, share: number): Float32Array {
  const out = Float32Array.from(tone);
  for (let k = 0; k < out.length; k += 3) {
    if (lighter[k] <= out[k]) continue;
    for (let ch = 0; ch < 3; ch++) out[k + ch] += share * (lighter[k + ch] - out[k + ch]);
  }
  return out;
}
