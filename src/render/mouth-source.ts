// What the source picture shows of its own mouth, read once when the mouth is prepared
// (mouth.ts prepareMouth): where its lower lip really starts below an open mouth's shadow, and
// how far down its upper teeth reach. Pure.
import { lerp } from '../core/geometry.js';
import { lumaAt } from '../core/image.js';
import type { MouthRig, RgbImage } from '../core/types.js';

/** Luma of `base` at lip-frame point (u, v), clamped to the picture. */
function lipLumaAt(base: RgbImage, rig: MouthRig, u: number, v: number): number {
  return lumaAt(base, rig.center.x + u * rig.axis.x - v * rig.axis.y, rig.center.y + u * rig.axis.y + v * rig.axis.x);
}

/**
 * On an open source mouth the face model's inner lower lip often stops above the lip, on the
 * shadow between the teeth and the lip (a broad smile shows a dark crescent there, and dark
 * corners). As part of the lower lip that shadow rode down with the jaw as a hard black band;
 * here the edge is moved down past it (rows much darker than the lips), so the shadow is
 * interior: closed over at rest, drawn fresh when open. `reach`: how far down it looks, px.
 */
export function lowerLipPastShadow(base: RgbImage, rig: MouthRig, lowIn: Float32Array, uMax: number, reach: number): void {
  const cols = lowIn.length, half = rig.width / 2;
  let lips = 0, n = 0;
  for (let k = 0; k < rig.upperInner.length; k++) {
    const u = (k / (rig.upperInner.length - 1) - 0.5) * rig.width;
    if (Math.abs(u) > 0.3 * rig.width) continue;
    lips += lipLumaAt(base, rig, u, (rig.upperInner[k] + rig.lipTop) / 2); n++;
  }
  if (!n) return;
  const dark = 0.55 * (lips / n);
  const ext = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    const u = -uMax + (2 * uMax * c) / (cols - 1);
    if (Math.abs(u) >= half) continue;
    let d = 0;
    while (d < reach && lipLumaAt(base, rig, u, lowIn[c] + d + 0.5) < dark) d += 1;
    ext[c] = d;
  }
  for (let c = 0; c < cols; c++) {
    const near = [ext[Math.max(0, c - 2)], ext[Math.max(0, c - 1)], ext[c], ext[Math.min(cols - 1, c + 1)], ext[Math.min(cols - 1, c + 2)]].sort((a, b) => a - b);
    lowIn[c] += near[2];
  }
}

/**
 * Depth of the source's teeth below the upper inner lip per column: the lowest row of the
 * source gap still brighter than midway between the lips and the brightest teeth, smoothed
 * across columns so one dark gap between two teeth does not notch the edge.
 */
export function sourceTeethDepth(base: RgbImage, rig: MouthRig, upIn: Float32Array, lowIn: Float32Array, uMax: number): Float32Array {
  const cols = upIn.length, out = new Float32Array(cols);
  const luma = (u: number, v: number) => lipLumaAt(base, rig, u, v);
  // The lips' luma just outside the gap at the middle, and the teeth's (the brightest tenth of the gap).
  let lips = 0, n = 0;
  const gapLuma: number[] = [];
  for (let c = 0; c < cols; c++) {
    const u = -uMax + (2 * uMax * c) / (cols - 1);
    if (Math.abs(u) > 0.3 * rig.width) continue;
    lips += luma(u, upIn[c] - 0.04 * rig.width) + luma(u, lowIn[c] + 0.04 * rig.width); n += 2;
    for (let v = upIn[c]; v <= lowIn[c]; v++) gapLuma.push(luma(u, v));
  }
  if (!gapLuma.length) return out;
  gapLuma.sort((a, b) => a - b);
  // A third of the way from the lips to the brightest teeth: the side teeth, in shadow, count.
  const threshold = lerp(lips / n, gapLuma[Math.floor(0.9 * (gapLuma.length - 1))], 0.3);
  // The share of the gap the teeth fill, read in the middle of the mouth and applied across it,
  // so the teeth's lower edge follows the lips' curve: read column by column, the side teeth in
  // shadow came and went and left single teeth standing as vertical bars.
  const shares: number[] = [];
  for (let c = 0; c < cols; c++) {
    const u = -uMax + (2 * uMax * c) / (cols - 1), gap = lowIn[c] - upIn[c];
    if (Math.abs(u) > 0.3 * rig.width || gap < 2) continue;
    let last = 0;
    for (let v = upIn[c]; v <= lowIn[c]; v++) if (luma(u, v) > threshold) last = v - upIn[c] + 1;
    shares.push(Math.min(1, last / gap));
  }
  if (!shares.length) return out;
  shares.sort((a, b) => a - b);
  const share = shares[shares.length >> 1];
  for (let c = 0; c < cols; c++) out[c] = share * Math.max(0, lowIn[c] - upIn[c]);
  return out;
}
