// Eyes by warping the real image. Gaze: inside the lid aperture the eyeball content (iris and
// sclera) shifts, most at the middle and not at all at the corners, so the iris slides under the
// lids. Blink: a closing lid is lid skin, not stretched lashes. Above the lash line the picture's
// lid skin (between the lashes and a little below the brow, measured per eye: where the dark band
// of lashes, liner and crease shadow ends) unfolds down over the eye, moving least near the brow
// and most near the lid's edge, as a real lid unfolds from its crease, shaded a little darker
// towards the edge, its fine texture kept; a human lid folds at its crease (foldLid), the crease
// travelling a little while the tarsal skin comes out from under it and fading to a faint line on
// the shut lid; an animal's lid is its fur, slid down unstretched (furAt). The lashes and liner
// travel with the edge, squeezed into a thin dark line, so they are never smeared over the eye. The
// eye stays put (it disappears under the lid instead of being squashed); looking down lowers the
// lid a little, as real lids follow the eye. Brow: above the lid skin, brow and the forehead below
// it lift on a raise, fading out towards the hairline and beyond the brow's ends. Pure. Here: the
// warp's per-frame state and its per-pixel trace; the warp is made per eye by eye-prepare.ts, its
// numbers and state are eye-config.ts's.
import { clamp, smoothstep } from '../core/geometry.js';
import type { Rect, RgbImage } from '../core/types.js';
import type { PixelSource } from './map.js';
import { profileAt } from './sample.js';
import { yuvOf } from './yuv.js';
import { EYE, type EyeWarp } from './eye-config.js';

const toneAt = (tone: Float32Array, width: number, u: number, ch: number): number => {
  const n = tone.length / 3;
  const pos = clamp((u / width + 0.5) * (n - 1), 0, n - 1);
  const i = Math.min(n - 2, Math.floor(pos)), t = pos - i;
  return tone[3 * i + ch] + (tone[3 * (i + 1) + ch] - tone[3 * i + ch]) * t;
};

/** Sets this frame's lid closure (0 open .. 1 closed), gaze (-1..1 per axis, +y down) and brow raise (0..1). */
export function updateEyeInPlace(w: EyeWarp, blink: number, gazeX: number, gazeY: number, browRaise = 0): void {
  w.browLift = clamp(browRaise, 0, 1) * EYE.browLift * w.rig.width;
  const gy = clamp(gazeY, -1, 1);
  w.blink = clamp(clamp(blink, 0, 1) + EYE.lidFollow * Math.max(0, gy), 0, 1);
  w.shiftU = clamp(gazeX, -1, 1) * EYE.gazeTravelX * w.irisWidth;
  const aperture = Math.max(0, ...w.rig.lowerLid.map((l, k) => l - w.rig.upperLid[k]));
  w.shiftV = gy * EYE.gazeTravelY * aperture;
}

/** Box (base-frame pixels) of the area the eye warp can change. */
export const eyeBox = (w: EyeWarp): Rect => w.bounds;

/** Traces base-frame point (x, y) back through the eye warp into s.x/s.y, with lash darkening in s.dark. */
/**
 * Brow and forehead (v above the lid skin): lifted most across the brow, nothing at the lid
 * skin, the hairline and past the brow's ends, so it joins the lid warp and the still skin
 * around without a seam.
 */
function mapBrow(w: EyeWarp, x: number, y: number, u: number, v: number, s: PixelSource): void {
  if (w.browLift === 0 || v <= w.vBrow) return;
  const rig = w.rig, W = rig.width;
  const along = 1 - smoothstep(0.5 * W, EYE.browHalfLength * W, Math.abs(u));
  const up = smoothstep(w.vTop, w.vTop - 0.35 * W, v) * (1 - smoothstep(w.vTop - 0.7 * W, w.vBrow, v));
  const lift = w.browLift * along * up;
  if (lift === 0) return;
  // Sampling from further down the face moves the brow up.
  s.x = x - lift * rig.axis.y;
  s.y = y + lift * rig.axis.x;
}

/** The picture's luma (limited range) at the pixel nearest source point (x, y). */
function baseLuma(img: RgbImage, x: number, y: number): number {
  return baseYuv(img, x, y)[0];
}

/** The picture's colour (limited-range Y, Cb, Cr) at the pixel nearest source point (x, y). */
function baseYuv(img: RgbImage, x: number, y: number): [number, number, number] {
  const xi = clamp(Math.round(x), 0, img.width - 1), yi = clamp(Math.round(y), 0, img.height - 1);
  const i = (yi * img.width + xi) * 3;
  return yuvOf(img.data[i], img.data[i + 1], img.data[i + 2]);
}

/** The lid's tone at u, `toEdge` (0 at its line .. 1 at its edge) of the way to its edge's (EyeWarp.lidToneLow). */
function lidToneAt(w: EyeWarp, u: number, ch: number, toEdge: number): number {
  const top = toneAt(w.lidTone, w.rig.width, u, ch);
  return w.lidToneLow.length > 0 && toEdge > 0 ? top + toEdge * (toneAt(w.lidToneLow, w.rig.width, u, ch) - top) : top;
}

/**
 * The closing lid's skin over what it unfolds (s.x, s.y), `toEdge` of the way down from its line
 * to its edge: its tone and texture, fully where the picture differs from that tone, and (1 +
 * `fast`) times as fast over a strand (strandAt); an animal's, the fur at source row `furV` (furAt).
 */
function lidCover(w: EyeWarp, u: number, cover: number, shade: number, texRow: number, toEdge: number, fast: number, s: PixelSource, furV = 0): void {
  const W = w.rig.width;
  if (w.slideFur) {
    // The picture's pixel nearest: slid, not stretched, the fur keeps its scale.
    const c = w.rig.center, a = w.rig.axis;
    const [fy, fu, fv] = baseYuv(w.base, c.x + u * a.x - furV * a.y, c.y + u * a.y + furV * a.x);
    s.cover = cover;
    s.cy = 16 + (fy - 16) * shade; s.cu = fu; s.cv = fv;
    return;
  }
  const toneY = lidToneAt(w, u, 0, toEdge);
  const srcY = baseLuma(w.base, s.x, s.y);
  // A lid's ends give way to the picture there where it is of the skin's light (not to white or lashes).
  const min = w.coverMin * smoothstep(W / 2, W / 2 - EYE.lidCoverSkinEnd * W, Math.abs(u));
  const off = clamp(Math.abs(toneY - srcY) / EYE.lidCoverDark, 0, 1);
  s.cover = Math.min(1, cover * (min + (1 - min) * off) * (fast > 0 ? 1 + fast * strandAt(w, s.x, s.y, srcY) : 1));
  const detail = w.lidTexture[texRow * w.texCols + clamp(Math.round(u + W / 2), 0, w.texCols - 1)];
  s.cy = 16 + (toneY + detail - 16) * shade;
  s.cu = lidToneAt(w, u, 1, toEdge);
  s.cv = lidToneAt(w, u, 2, toEdge);
}

/**
 * How much the picture's pixel at (x, y), of luma l, is a strand across the lid (a lash, a hair):
 * its difference from the mean of the pixels two either side along the eye, 1 at lidCoverDark
 * levels. A shadow (the socket's, a crease's) is as dark beside it.
 */
export function strandAt(w: EyeWarp, x: number, y: number, l: number): number {
  const ax = 2 * w.rig.axis.x, ay = 2 * w.rig.axis.y;
  const side = (baseLuma(w.base, x - ax, y - ay) + baseLuma(w.base, x + ax, y + ay)) / 2;
  return clamp(Math.abs(l - side) / EYE.lidCoverDark, 0, 1);
}

/** The lash line: what is squeezed into it darkened to lashTone x the lid's tone where it is lighter (dark lashes are left as they are). */
function lashLine(w: EyeWarp, u: number, cover: number, s: PixelSource): void {
  const W = w.rig.width;
  const lashY = 16 + (toneAt(w.lidTone, W, u, 0) - 16) * EYE.lashTone;
  s.cover = cover * clamp((baseLuma(w.base, s.x, s.y) - lashY) / EYE.lidCoverDark, 0, 1);
  s.cy = lashY;
  s.cu = 128 + (toneAt(w.lidTone, W, u, 1) - 128) * EYE.lashTone;
  s.cv = 128 + (toneAt(w.lidTone, W, u, 2) - 128) * EYE.lashTone;
}

export function mapEye(w: EyeWarp, x: number, y: number, s: PixelSource): void {
  const rig = w.rig;
  const half = rig.width / 2;
  const ax = rig.axis.x, ay = rig.axis.y;
  const dx = x - rig.center.x, dy = y - rig.center.y;
  const u = dx * ax + dy * ay;
  const v = dy * ax - dx * ay;
  s.x = x; s.y = y; s.dark = 1; s.cover = 0; s.split = false;
  if (v <= w.vTop) {
    mapBrow(w, x, y, u, v, s);
    return;
  }
  if (u <= -half || u >= half || v >= w.vBottom) return;
  const up = profileAt(rig.upperLid, rig.width, u);
  const low = profileAt(rig.lowerLid, rig.width, u);
  const b = w.blink, rise = w.lowerRise;
  const open = Math.max(0, low - up);
  const lidEdge = up + b * EYE.closeReach * (1 - rise) * open + b * profileAt(w.shutFill, rig.width, u);
  const lowEdge = low - b * EYE.closeReach * rise * open;
  // A lid's lines lie along the lid: traced once per pixel they stepped from row to row (a human
  // lid's crease, lash line and fold seams; the edges of an animal's lids over its dark eye, a
  // staircase). A human lid: here the half pixel below its edge, foldLid says which of the lid's
  // own pixels; any other: a pixel either side of each lid's edge.
  s.split = w.creaseHeight.length > 0 ? lidEdge > up && v < lidEdge + 0.5 : (lidEdge > up && Math.abs(v - lidEdge) < 1) || (lowEdge < low && Math.abs(v - lowEdge) < 1);
  let us = u, vs = v;
  let shade = 1, cover = 0, texRow = 0, lashCover = 0, toEdge = 0, lashTop = 0, skinEnd = 0;
  if (v < lidEdge && lidEdge > up) {
    // The lid: skin above, the lash line at its edge. Lash band `lash` (source) is squeezed to
    // `line` (drawn); the skin above it, source [vTop, lashTop], unfolds over [vTop, skinEnd].
    // Squeezed as far as the lid has travelled here: not at the corners, where it barely moves,
    // until the blink nears shut (EYE.closedFrom): then the whole lid closes.
    const moved = clamp((lidEdge - up) / (EYE.closeReach * (1 - rise) * w.aperture), 0, 1);
    const shut = smoothstep(EYE.closedFrom, 1, b) * smoothstep(half, half - EYE.closedEnd * rig.width, Math.abs(u));
    const travel = moved + (1 - moved) * shut;
    if (w.creaseHeight.length > 0) {
      foldLid(w, u, v, up, lidEdge, travel, s);
      return;
    }
    const lash = profileAt(w.lashBand, rig.width, u);
    const line = lash + travel * (EYE.lashClosed * w.irisWidth - lash);
    lashTop = up - lash; skinEnd = lidEdge - Math.max(0.5, line);
    if (v >= skinEnd) {
      vs = lashTop + ((v - skinEnd) * lash) / Math.max(0.5, line);
      // The lash roots' row at the edge is the lash line; above it, where the lid has not travelled
      // far and the squeezed band is still thick, the band is covered as the lid's skin at its edge.
      const root = clamp(1 + EYE.lashClosed * w.irisWidth - (lidEdge - v), 0, 1);
      if (root > 0) lashCover = travel * root * profileAt(w.lashShow, rig.width, u);
      else { cover = travel; shade = 1 - EYE.lidShade * travel; toEdge = 1; }
    } else {
      const from = lashTop - w.vTop, to = skinEnd - w.vTop;
      const t = (v - w.vTop) / to;
      vs = unfolded(w.vTop, t, from, to);
      shade = 1 - EYE.lidShade * travel * smoothstep(1 - EYE.lidShadeSpan, 1, t);
      cover = travel * (w.coverAtLid ? smoothstep(up - EYE.lidCoverAbove * w.aperture, up + EYE.lidCoverBelow * w.aperture, v) : smoothstep(0, EYE.lidCoverSkinTop, t));
      texRow = textureRow(w, v);
      toEdge = skinEnd > up ? clamp((v - up) / (skinEnd - up), 0, 1) : 0;
    }
  } else if (v >= lowEdge && lowEdge < low) {
    // A rising lower lid: the skin below the eye, source [low, vBottom], drawn over [lowEdge, vBottom].
    vs = low + ((v - lowEdge) * (w.vBottom - low)) / (w.vBottom - lowEdge);
  } else if (v > up && v < low) {
    // Eyeball content: shift most in the eye's middle, not at all at its own corners (nor past
    // them, over what the lids were widened over); stay inside the lids.
    const du = u - w.irisU;
    let k = 0;
    if (Math.abs(du) < w.irisWidth / 2) { const c = Math.cos((Math.PI * du) / w.irisWidth); k = c * c; }
    us = u - w.shiftU * k;
    vs = clamp(v - w.shiftV * k, Math.min(v, up + 0.5), Math.max(v, low - 0.5));
  }
  s.x = rig.center.x + us * ax - vs * ay;
  s.y = rig.center.y + us * ay + vs * ax;
  s.dark = shade;
  // A drawing's lid texture has its drawn lashes' dots in it: covered faster, they showed as a hatch.
  if (cover > 0) lidCover(w, u, cover, shade, texRow, toEdge, 0, s, w.slideFur ? furAt(w, lashTop, skinEnd - v) : 0);
  else if (lashCover > 0) lashLine(w, u, lashCover, s);
  darkenEdge(w, u, v, up, low, lidEdge, shade, s);
}

/**
 * The source row an animal's lid draws `d` rows above its edge's skin (skinEnd): the fur that
 * far above the lash band's top, reflected back and forth within furSpan x the opening.
 */
function furAt(w: EyeWarp, lashTop: number, d: number): number {
  const span = Math.max(1, lashTop - w.vTop, EYE.furSpan * w.aperture), r = Math.abs(d) % (2 * span);
  return r <= span ? lashTop - r : lashTop - 2 * span + r;
}

/**
 * The source row drawn at t (0 at vTop, 1 at vTop + to) on a lid whose skin, source [vTop,
 * vTop + from], is drawn over [vTop, vTop + to]: g(t) = a t + (1 - a) t^2, identity near the brow
 * while the lid is short, the stretch gathering towards the edge, monotonic while a < 2.
 */
function unfolded(vTop: number, t: number, from: number, to: number): number {
  const a = Math.min(to / Math.max(1e-3, from), EYE.unfoldTop);
  return vTop + from * (a * t + (1 - a) * t * t);
}

/** The lid texture's row at v: its rows mirrored down the lid, so its detail keeps its scale, unstretched. */
function textureRow(w: EyeWarp, v: number): number {
  const row = Math.floor(v - w.vTop) % (2 * w.texRows);
  return row >= w.texRows ? 2 * w.texRows - 1 - row : row;
}

/** The lash line's darkening at the lid's edge, where the picture shows an eye (EyeWarp.lashShow). */
function darkenEdge(w: EyeWarp, u: number, v: number, up: number, low: number, lidEdge: number, shade: number, s: PixelSource): void {
  const lash = Math.max(1, EYE.lashWidth * w.irisWidth);
  // Lashes only darken a lid that is really coming down: a lid contour that does not quite fit
  // (cartoon eyes) must not grow a dark line while the eye is open.
  const blinking = smoothstep(0.2, 0.6, w.blink);
  if (blinking > 0 && v < lidEdge + 0.5 && v > lidEdge - lash) {
    const lashing = blinking * profileAt(w.lashShow, w.rig.width, u);
    s.dark = shade * (1 - EYE.lashDarken * lashing * (1 - (lidEdge - v) / lash) * clamp((low - up) / 2, 0, 1));
  }
}

/**
 * foldLid's tarsal skin, v between the fold and the lashes' skin end: the source row it draws,
 * with its cover and split in s. What showed of it between crease and lashes moves down with
 * the lashes, but for the crease's shadow below its middle (`below`), which stays under the fold
 * (moved down with the lashes it was a second line travelling above the lash line); in between,
 * what comes out from under the fold is the lid's skin just under the crease's shadow drawn out
 * while the lid has come down little, turning (by creaseMirror x the lid's travel, `opened`) into
 * the picture's skin above the crease's shadow mirrored down from it (what showed, drawn out, was
 * mostly liner and lashes: a dark smear under a half-shut lid; and mirrored skin from the start,
 * a light line in a dark socket where the lid hardly moves).
 */
function tarsalRow(w: EyeWarp, v: number, fold: number, skinEnd: number, lashTop: number, creaseAt: number, bandTop: number, below: number,
  hw: number, travel: number, opened: number, s: PixelSource): number {
  const shown = Math.min(lashTop - creaseAt - below, skinEnd - fold);
  const under = Math.min(below, skinEnd - fold - shown);
  s.split = v >= skinEnd - 1.5 || v < fold + under + hw + 1 || Math.abs(v - skinEnd + shown) < 1;
  s.cover = travel;
  if (v >= skinEnd - shown) return lashTop - (skinEnd - v);
  if (v < fold + under) {
    // Covered as fast as the skin round it turns into mirrored skin: the crease thins to its fold line.
    s.cover = opened;
    return lashTop - shown - under + (v - fold);
  }
  const top = bandTop - EYE.creaseShadow * w.rig.width, from = creaseAt + below;
  const mirrored = top - (v - fold - under) * Math.min(1, (top - w.vTop) / Math.max(0.5, skinEnd - shown - fold - under));
  return from + (mirrored - from) * opened;
}

/**
 * A human lid coming down (v above its edge, lidEdge; `travel` 0..1 as mapEye reckons it), folded
 * at its crease. Top to bottom, as drawn: the skin between brow and crease (source [vTop, crease])
 * stretches a little, its crease travelling creaseTravel of the edge's way down; below the fold,
 * the tarsal skin that was tucked under it comes out (the lid's skin, shaded a little darker
 * towards the lashes); at the edge the lashes below the crease are squeezed into the lash line.
 * Along the fold a line: the picture's own crease shadow while the lid is up, fading as the fold
 * opens out into a faint line (creaseFaint) on the shut lid. Where no crease was found (Crease
 * hold) and towards the corners the fold runs out and the lid unfolds as mapEye's does.
 */
function foldLid(w: EyeWarp, u: number, v: number, up: number, lidEdge: number, travel: number, s: PixelSource): void {
  const rig = w.rig, W = rig.width;
  const low = profileAt(rig.lowerLid, W, u);
  const hw = Math.max(0.75, EYE.creaseWidth * w.irisWidth);
  const crease = profileAt(w.creaseHeight, W, u);
  // The lashes proper: the band's part below the crease (the band takes in the crease's shadow).
  const lash = profileAt(w.lashBand, W, u);
  const band = Math.max(0.5, Math.min(lash, crease - hw));
  const line = band + travel * (EYE.lashClosed * w.irisWidth - band);
  const lashTop = up - band, skinEnd = lidEdge - Math.max(0.5, line);
  const creaseAt = Math.min(up - crease, lashTop);
  // Towards the corners, and where no crease was found, the fold runs out: it lies at the lash
  // line and the lid unfolds as one sheet, as an animal's (the skin coming out from under a fold
  // ended at the corner in a hard side, and a fold guessed drew a floating stripe).
  const held = profileAt(w.creaseHold, W, u) * smoothstep(W / 2, W / 2 - EYE.creaseEnd * W, Math.abs(u));
  const folded = creaseAt + EYE.creaseTravel * (lidEdge - up);
  const fold = Math.max(creaseAt, Math.min(folded + (1 - held) * (skinEnd - folded), skinEnd - 0.5));
  // The dark band's part above the crease (its shadow, or make-up reaching above it) is squeezed
  // into the fold as the lid comes down.
  const bandTop = Math.min(up - lash, creaseAt), over = creaseAt - bandTop, overDrawn = over * (1 - travel);
  // Three rows a pixel (mapEye) on the lines and seams only: over all the lid they blurred its grain.
  let vs: number, shade = 1, cover = 0, texRow = 0, lashCover = 0, split = true, fast = 0;
  // How far the fold has opened out: the crease's shadow about it is covered (and the skin above
  // it mirrored down) this much.
  const opened = Math.min(1, EYE.creaseMirror * travel);
  if (v >= skinEnd) {
    vs = lashTop + ((v - skinEnd) * band) / Math.max(0.5, line);
    const root = clamp(1 + EYE.lashClosed * w.irisWidth - (lidEdge - v), 0, 1);
    if (root > 0) lashCover = travel * root * profileAt(w.lashShow, W, u);
    else { cover = travel; shade = 1 - EYE.lidShade * travel; }
  } else {
    if (v >= fold) {
      vs = tarsalRow(w, v, fold, skinEnd, lashTop, creaseAt, bandTop, held * Math.min(EYE.creaseBelow * hw, lashTop - creaseAt), hw, travel, opened, s);
      split = s.split; cover = s.cover;
    } else if (v >= fold - overDrawn) {
      // Covered as the crease's shadow under the fold is: covered only as far as the lid had
      // travelled, what was left of it drew the fold as a dark pencil line round a pale dome at
      // mid-blink (and, towards the corners, where the fold runs down to the lash line, a dark
      // wedge of squeezed liner beside it).
      vs = Math.min(creaseAt, bandTop + ((v - fold + overDrawn) * over) / Math.max(0.5, overDrawn));
      cover = opened;
    } else {
      // The skin above the crease, as mapEye unfolds the lid's: identity at the brow, the stretch
      // gathering towards the fold; covered as mapEye covers the lid, and over the crease's
      // shadow as the fold opening out takes it away (as the band below it is, so they meet
      // without a step).
      const from = bandTop - w.vTop, to = fold - overDrawn - w.vTop;
      vs = unfolded(w.vTop, (v - w.vTop) / to, from, to);
      split = v > fold - overDrawn - hw - 1;
      // Only here, away from the fold, the lashes curling up over the lid are covered faster (the
      // fold's own line and the shadow under it are covered as the fold opens).
      fast = EYE.lidCoverFast;
      cover = Math.max(travel * smoothstep(0, EYE.lidCoverSkinTop, (v - w.vTop) / (skinEnd - w.vTop)), opened * smoothstep(bandTop - EYE.creaseShadow * W, bandTop, vs));
    }
    const t = (v - w.vTop) / (skinEnd - w.vTop);
    shade = 1 - EYE.lidShade * travel * smoothstep(1 - EYE.lidShadeSpan, 1, t);
    texRow = textureRow(w, v);
  }
  s.x = rig.center.x + u * rig.axis.x - vs * rig.axis.y;
  s.y = rig.center.y + u * rig.axis.y + vs * rig.axis.x;
  s.dark = shade; s.split = split;
  if (cover > 0) {
    // A human lid is of its skin's tone all down (no lidToneLow).
    lidCover(w, u, cover, shade, texRow, 0, fast, s);
    const onLine = 1 - Math.abs(v - fold) / hw;
    if (onLine > 0) {
      const depth = profileAt(w.creaseDepth, W, u) * (1 - travel) + EYE.creaseFaint * (toneAt(w.lidTone, W, u, 0) - 16) * travel;
      s.cy -= depth * onLine * held;
    }
  } else if (lashCover > 0) lashLine(w, u, lashCover, s);
  darkenEdge(w, u, v, up, low, lidEdge, shade, s);
}
