// Pass 5, per frame: the blocks drawn pixel by pixel (the jaw blocks' loop is a kernel, kernels.ts). Where the mouth warp squeezes a jaw block,
// each pixel goes through the warp's grid; where the lips or a lid are near, each pixel is traced
// back through the head motion and then the mouth or eye warp, which may also darken it (lash
// line) or cover it with a drawn colour (mouth interior). Luma is sampled per pixel, chroma once
// per block. Pure.
import { inRect } from '../core/geometry.js';
import type { Point } from '../core/types.js';
import type { EyeWarp } from './eye-config.js';
import type { BlockList } from './blocks.js';
import type { HeadMasks } from './classify.js';
import { mapEye } from './eyes.js';
import type { HeadMotion } from './head.js';
import { newPixelSource, type PixelSource } from './map.js';
import type { MouthWarp } from './mouth-config.js';
import { mapMouth, mapMouthSmooth } from './mouth-map.js';
import { SampleAction, samplePlane } from './sample.js';
import { headTrace } from './trace.js';
import type { FaceWarps } from './warp.js';
import type { YuvPlanes } from './yuv.js';

/** What the per-pixel blocks read: the clean base as yuv420p, the warps and the head masks. */
export interface PixelScene {
  readonly src: YuvPlanes;
  readonly warps: FaceWarps;
  readonly head: HeadMasks | null;
  readonly pivot: Point;
}

/** Scratch state reused across blocks and frames (`t`: a closing lid's rows above and below a pixel). */
export interface Scratch { readonly s: PixelSource; readonly t: PixelSource; readonly pts: Float64Array; readonly uv: Float64Array }

/** Luma `l` darkened and covered as t says. */
function shaded(l: number, t: PixelSource): number {
  if (t.dark !== 1) l = 16 + (l - 16) * t.dark;
  if (t.cover > 0) l += (t.cy - l) * t.cover;
  return l;
}

/** Luma of source point (t.x, t.y), darkened and covered as t says. */
const lumaOfSource = (src: YuvPlanes, t: PixelSource): number => shaded(samplePlane(src.y, src.width, src.height, t.x, t.y), t);

/** A closing lid's pixel whose own row gave `l`: the mean with the rows a third of a pixel above and below it. */
function splitLuma(scene: PixelScene, s: PixelSource, t: PixelSource, l: number): number {
  const w = scene.warps.eyes[s.eye];
  mapEye(w, s.qx, s.qy - 1 / 3, t);
  const above = lumaOfSource(scene.src, t);
  mapEye(w, s.qx, s.qy + 1 / 3, t);
  const below = lumaOfSource(scene.src, t);
  return (l + above + below) / 3;
}

/** A jaw block whose head displacement is (hx, hy): each pixel through the mouth warp's grid. */
function drawJawBlock(mouth: MouthWarp, src: YuvPlanes, x0: number, y0: number, hx: number, hy: number, out: YuvPlanes, s: PixelSource): void {
  const { width, height, y: sy, u: su, v: sv } = src, cw = width >> 1, ch = height >> 1;
  let sumX = 0, sumY = 0;
  for (let k = 0; k < 4; k++) {
    const x = x0 + (k & 1), y = y0 + (k >> 1);
    mapMouthSmooth(mouth, x + hx, y + hy, s);
    out.y[y * width + x] = samplePlane(sy, width, height, s.x, s.y) + 0.5;
    sumX += s.x; sumY += s.y;
  }
  const cx = (sumX * 0.25 - 0.5) * 0.5, cy = (sumY * 0.25 - 0.5) * 0.5, ci = (y0 >> 1) * cw + (x0 >> 1);
  out.u[ci] = samplePlane(su, cw, ch, cx, cy) + 0.5;
  out.v[ci] = samplePlane(sv, cw, ch, cx, cy) + 0.5;
}

/**
 * Draws the blocks among `positions` (in `list`) whose action is JawPixels, from their
 * head-traced centres (qx[i], qy[i]). A kernel (kernels.ts).
 */
export function drawJawBlocks(mouth: MouthWarp, list: BlockList, positions: Int32Array, action: Uint8Array, qx: Float64Array, qy: Float64Array, src: YuvPlanes, out: YuvPlanes, s: PixelSource): void {
  for (let n = 0; n < positions.length; n++) {
    const i = positions[n];
    if (action[i] !== SampleAction.JawPixels) continue;
    const x0 = list.x[i], y0 = list.y[i];
    drawJawBlock(mouth, src, x0, y0, qx[i] - (x0 + 0.5), qy[i] - (y0 + 0.5), out, s);
  }
}

/** Where pixel (x, y) comes from under the head motion and then the mouth or eye warp, into s. */
export function tracePixel(scene: PixelScene, m: HeadMotion | null, x: number, y: number, s: PixelSource): void {
  s.x = x; s.y = y; s.cover = 0; s.dark = 1; s.split = false;
  const head = scene.head;
  if (m && head) {
    const hb = head.bounds;
    if (x >= hb.x && x < hb.x + hb.width && y >= hb.y && y < hb.y + hb.height) {
      const hi = (y - hb.y) * hb.width + (x - hb.x);
      const w = head.weight[hi], wb = head.bodyWeight[hi];
      if (w > 0 || wb > 0) headTrace(m, scene.pivot, x, y, w, head.weightDepth[hi], wb, s);
    }
  }
  const { mouth, mouthBox: mb, eyes, eyeBoxes } = scene.warps;
  const qx = s.x, qy = s.y;
  // Round its lids an eye's warp comes first: an animal's mouth area reaches up round its eyes,
  // and a lower lid rising there was cut off along the mouth area's edge in a light seam.
  for (let e = 0; e < eyes.length; e++) if (inRect(eyes[e].lidBounds, qx, qy)) { eyePixel(eyes, e, qx, qy, s); return; }
  if (mb && inRect(mb, qx, qy)) { mapMouth(mouth!, qx, qy, s); return; }
  for (let e = 0; e < eyeBoxes.length; e++) if (inRect(eyeBoxes[e], qx, qy)) { eyePixel(eyes, e, qx, qy, s); return; }
}

/** Pixel (qx, qy) through eye e's warp, remembered for splitLuma. */
function eyePixel(eyes: readonly EyeWarp[], e: number, qx: number, qy: number, s: PixelSource): void {
  mapEye(eyes[e], qx, qy, s);
  s.eye = e; s.qx = qx; s.qy = qy;
}

/**
 * Chroma of a per-pixel block whose pixels come from the source points in `pts` (mean sumX,
 * sumY). Chroma sample sites sit at the centre of each 2x2 luma block; where the block's pixels
 * come from far apart (across the lip seam of a source mouth closed by the warp, whose middle is
 * the source's teeth), each pixel's own colour is averaged instead.
 */
function edgeChroma(src: YuvPlanes, pts: Float64Array, sumX: number, sumY: number, uv: Float64Array): void {
  const cw = src.width >> 1, ch = src.height >> 1;
  const spread = Math.max(Math.abs(pts[0] - pts[6]), Math.abs(pts[1] - pts[7]), Math.abs(pts[2] - pts[4]), Math.abs(pts[3] - pts[5]));
  if (!(spread > 2.5)) {
    const cx = (sumX * 0.25 - 0.5) * 0.5, cy = (sumY * 0.25 - 0.5) * 0.5;
    uv[0] = samplePlane(src.u, cw, ch, cx, cy); uv[1] = samplePlane(src.v, cw, ch, cx, cy);
    return;
  }
  let u = 0, v = 0;
  for (let k = 0; k < 4; k++) {
    const px = (pts[2 * k] - 0.5) * 0.5, py = (pts[2 * k + 1] - 0.5) * 0.5;
    u += 0.25 * samplePlane(src.u, cw, ch, px, py); v += 0.25 * samplePlane(src.v, cw, ch, px, py);
  }
  uv[0] = u; uv[1] = v;
}

/** A block near the lips or a lid: every pixel traced on its own, darkened and covered as the warp says. */
function drawEdgeBlock(scene: PixelScene, m: HeadMotion | null, x0: number, y0: number, out: YuvPlanes, { s, t, pts, uv }: Scratch): void {
  const { width, height, y: sy } = scene.src;
  let sumX = 0, sumY = 0, cov = 0, covU = 0, covV = 0, dark = 0;
  for (let k = 0; k < 4; k++) {
    const x = x0 + (k & 1), y = y0 + (k >> 1);
    tracePixel(scene, m, x, y, s);
    let l = shaded(s.x === x && s.y === y ? sy[y * width + x] : samplePlane(sy, width, height, s.x, s.y), s);
    if (s.cover > 0) { cov += s.cover; covU += s.cover * s.cu; covV += s.cover * s.cv; }
    if (s.split) l = splitLuma(scene, s, t, l);
    out.y[y * width + x] = l + 0.5;
    sumX += s.x; sumY += s.y; dark += s.dark;
    pts[2 * k] = s.x; pts[2 * k + 1] = s.y;
  }
  edgeChroma(scene.src, pts, sumX, sumY, uv);
  let u = uv[0], v = uv[1];
  if (dark < 4) { const d = dark * 0.25; u = 128 + (u - 128) * d; v = 128 + (v - 128) * d; }
  if (cov > 0) { const a = cov * 0.25; u += (covU / cov - u) * a; v += (covV / cov - v) * a; }
  const ci = (y0 >> 1) * (width >> 1) + (x0 >> 1);
  out.u[ci] = u + 0.5;
  out.v[ci] = v + 0.5;
}

/** Scratch state for drawEdgeBlocks, reused across blocks and frames. */
export const newEdgeScratch = (): Scratch => ({ s: newPixelSource(), t: newPixelSource(), pts: new Float64Array(8), uv: new Float64Array(2) });

/**
 * Draws the blocks among `positions` (in `list`) whose action is EdgePixels, each pixel traced on
 * its own. A kernel (kernels.ts).
 */
export function drawEdgeBlocks(scene: PixelScene, list: BlockList, positions: Int32Array, action: Uint8Array, m: HeadMotion | null, out: YuvPlanes, scratch: Scratch): void {
  for (let n = 0; n < positions.length; n++) {
    const i = positions[n];
    if (action[i] === SampleAction.EdgePixels) drawEdgeBlock(scene, m, list.x[i], list.y[i], out, scratch);
  }
}
