// The source's own mouth and the one drawn where the lips part beyond it: whether the picture's
// mouth is closed or open and shows teeth worth reusing, and the shaded cavity, teeth and
// tongue, coloured to sit in the picture's light. Pure.
import { clamp, lerp, smoothstep } from '../core/geometry.js';
import type { MouthRig, RgbImage } from '../core/types.js';
import type { PixelSource } from './map.js';
import { regionTone } from './sample.js';
import { yuvOf } from './yuv.js';

export type MouthState = 'closed' | 'slightly-open' | 'open';

/** Widest distance between the source's inner lip edges, px. */
function sourceGap(rig: MouthRig): number {
  let gap = 0;
  for (let k = 0; k < rig.upperInner.length; k++) gap = Math.max(gap, rig.lowerInner[k] - rig.upperInner[k]);
  return gap;
}

/** Reads the source mouth: closed, slightly open, or open (showing teeth or interior). */
export function mouthState(rig: MouthRig): MouthState {
  const gap = sourceGap(rig);
  return gap < 0.02 * rig.width ? 'closed' : gap < 0.08 * rig.width ? 'slightly-open' : 'open';
}

/** Interior colours as offsets from black in Y, Cb, Cr (so shading is a plain multiply). */
type Yuv = [number, number, number];
export interface MouthPalette { readonly cavity: Yuv; readonly teeth: Yuv; readonly tongue: Yuv }

/** A source gap wider than this (x mouth width) is taken to show teeth worth reusing. */
const TEETH_GAP = 0.04;

/** Interior colours matched to the face's light and colourfulness. */
export function mouthPalette(base: RgbImage, rig: MouthRig): MouthPalette {
  const r = rig.width * 0.6;
  const tone = regionTone(base, rig.center.x - r, rig.center.y - r * 0.8, rig.center.x + r, rig.center.y + r * 0.8);
  // Interior colours follow the face: dimmer for dark photos, grey for black-and-white ones.
  const light = clamp(tone.luma / 140, 0.45, 1.15);
  const sat = clamp(tone.chroma / 35, 0, 1);
  const tint = (rgb: [number, number, number]): Yuv => {
    const g = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    const [r, gg, b] = rgb.map((c) => clamp(lerp(g, c, sat) * light, 0, 255));
    const [y, u, v] = yuvOf(r, gg, b);
    return [y - 16, u - 128, v - 128];
  };
  // Teeth take a little of the skin's hue, so they sit in the picture's light (old varnish,
  // warm studio light) instead of looking pasted on.
  const teeth: [number, number, number] = [226, 220, 208].map((c, i) => lerp(c, c * (tone.mean[i] / Math.max(1, tone.luma)), 0.35)) as [number, number, number];
  return { cavity: tint([92, 34, 38]), teeth: tint(teeth), tongue: tint([168, 78, 84]) };
}

/** Mean luma of base-frame points along the mouth's central half at lip-relative offsets from `edge`. */
function lumaAlong(base: RgbImage, rig: MouthRig, edge: Float32Array, offset: number): number {
  let sum = 0, n = 0;
  for (let k = Math.floor(edge.length / 4); k <= Math.ceil((3 * edge.length) / 4); k++) {
    const u = (k / (edge.length - 1) - 0.5) * rig.width, v = edge[k] + offset;
    const x = Math.round(rig.center.x + u * rig.axis.x - v * rig.axis.y), y = Math.round(rig.center.y + u * rig.axis.y + v * rig.axis.x);
    if (x < 0 || y < 0 || x >= base.width || y >= base.height) continue;
    const i = (y * base.width + x) * 3;
    sum += 0.299 * base.data[i] + 0.587 * base.data[i + 1] + 0.114 * base.data[i + 2];
    n++;
  }
  return n ? sum / n : 0;
}

/**
 * Whether the source shows teeth worth reusing: its lips are apart and what lies between them
 * is brighter than the lips. A dark gap (a slightly open mouth) is not reused; drawn teeth look
 * better there.
 */
export function showsTeeth(base: RgbImage, rig: MouthRig): boolean {
  if (sourceGap(rig) <= TEETH_GAP * rig.width) return false;
  const inside = lumaAlong(base, rig, rig.upperInner.map((u, k) => (u + rig.lowerInner[k]) / 2), 0);
  const lips = (lumaAlong(base, rig, rig.upperInner, -0.04 * rig.width) + lumaAlong(base, rig, rig.lowerInner, 0.04 * rig.width)) / 2;
  return inside > lips + 20;
}

/**
 * Drawn interior colour at lip-relative position (tu across, depth below the upper lip) into
 * s.cy/cu/cv, for a mouth `W` px wide with the lips `gapPx` apart there.
 */
export function interiorInto(p: MouthPalette, W: number, tu: number, depth: number, gapPx: number, drawTeeth: boolean, s: PixelSource): void {
  const edge = 1 - Math.min(depth, gapPx - depth) / Math.max(1, gapPx / 2);
  let shade = (0.35 + 0.5 * edge * edge) * (1 - 0.35 * Math.min(1, tu * tu));
  let c = p.cavity;
  const teethH = Math.min(0.085 * W, 0.55 * gapPx);
  const across = 1 - Math.min(1, (tu * tu) / 0.55);
  let tongue = 0;
  if (drawTeeth && depth < teethH && across > 0) {
    c = p.teeth;
    // Teeth are lit from the front and fall into shadow towards the corners, under the upper
    // lip and at their biting edge; thin darker lines separate the teeth (incisors ~0.12 W wide,
    // narrowing towards the corners as the arch turns away).
    const pos = Math.abs(tu) * 4.2;
    const line = Math.abs(pos - Math.round(pos)) < 0.06 + 0.04 * Math.abs(tu) ? 0.82 : 1;
    shade = (0.5 + 0.42 * across) * (1 - 0.25 * smoothstep(teethH * 0.6, teethH, depth))
      * (0.72 + 0.28 * smoothstep(0, 0.3 * teethH, depth)) * line;
  } else if (drawTeeth && gapPx > 0.2 * W && gapPx - depth < Math.min(0.05 * W, 0.18 * gapPx) && across > 0) {
    c = p.teeth;
    shade = 0.45 + 0.3 * across;
  } else if (gapPx > 0.12 * W && depth > 0.55 * gapPx && Math.abs(tu) < 0.6) {
    tongue = smoothstep(0.55, 0.9, depth / gapPx) * (1 - Math.abs(tu) / 0.6);
  }
  const t = p.tongue;
  s.cy = 16 + lerp(c[0] * shade, t[0] * 0.75, tongue);
  s.cu = 128 + lerp(c[1] * shade, t[1] * 0.75, tongue);
  s.cv = 128 + lerp(c[2] * shade, t[2] * 0.75, tongue);
}
