// The source's own mouth and the one drawn where the lips part beyond it: whether the picture's
// mouth is closed or open and shows teeth worth reusing, and the shaded cavity, teeth and
// tongue, coloured to sit in the picture's light. Pure.
import { clamp, lerp, smoothstep } from '../core/geometry.js';
import type { MouthRig, MouthStyle, RgbImage } from '../core/types.js';
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

/**
 * How the interior is drawn, as numbers fixed when the mouth is prepared (so the per-pixel code
 * has no style branches): a photo's interior is shaded (lit where the lips' inner sides catch the
 * light, darker towards the corners) with a tongue fading in; a drawing's is one flat fill with a
 * flat tongue shape and an outline in the drawing's line colour; an animal's is dark under the
 * nose and opens with a soft edge.
 */
export interface MouthPalette {
  readonly cavity: Yuv; readonly teeth: Yuv; readonly tongue: Yuv;
  /** Cavity shade = (base + low x nearLowerLip + up x nearUpperLip) x (1 - corner x tu^2). */
  readonly shadeBase: number; readonly shadeLow: number; readonly shadeUp: number; readonly shadeCorner: number;
  /** Tongue cover = clamp(tongueGain x (shape - tongueCut)): gain 1, cut 0 fades it in; a high gain gives it an edge. */
  readonly tongueGain: number; readonly tongueCut: number;
  /** The tongue's colour x this (it lies in the mouth's shadow; a flat tongue keeps its tone). */
  readonly tongueShade: number;
  /** Outline along the opening's edge, px (0 = none), and its colour. */
  readonly lineWidth: number; readonly line: Yuv;
  /** Px over which the opening's edge fades in (1 = anti-aliased only; wider for a soft animal jaw). */
  readonly edgeSoft: number;
}

/** The photo interior's shading (see MouthPalette). */
const SHADED = { shadeBase: 0.32, shadeLow: 0.4, shadeUp: 0.35, shadeCorner: 0.4, tongueGain: 1, tongueCut: 0, tongueShade: 0.7, lineWidth: 0, edgeSoft: 1 } as const;

/** Height of the drawn upper teeth in a wide-open mouth, x mouth width (less in a narrow gap; render_addon.cc has the same number). */
export const DRAWN_TEETH = 0.085;

/** A source gap wider than this (x mouth width) is taken to show teeth worth reusing. */
const TEETH_GAP = 0.04;

/** Mean colour of the lower lip's body (between its inner and outer edge, central half), rgb. */
function lipColour(base: RgbImage, rig: MouthRig): [number, number, number] | null {
  const sum = [0, 0, 0];
  let n = 0;
  const mid = Math.floor(rig.lowerInner.length / 2);
  for (let k = Math.floor(rig.lowerInner.length / 4); k <= Math.ceil((3 * rig.lowerInner.length) / 4); k++) {
    const u = (k / (rig.lowerInner.length - 1) - 0.5) * rig.width;
    const top = rig.lowerInner[k], bottom = rig.lipBottom - (rig.lowerInner[mid] - top);
    for (let t = 0.3; t <= 0.7; t += 0.1) {
      const v = lerp(top, bottom, t);
      const x = Math.round(rig.center.x + u * rig.axis.x - v * rig.axis.y), y = Math.round(rig.center.y + u * rig.axis.y + v * rig.axis.x);
      if (x < 0 || y < 0 || x >= base.width || y >= base.height) continue;
      const i = (y * base.width + x) * 3;
      sum[0] += base.data[i]; sum[1] += base.data[i + 1]; sum[2] += base.data[i + 2];
      n++;
    }
  }
  return n ? [sum[0] / n, sum[1] / n, sum[2] / n] : null;
}

/** How a mouth is drawn: its style as given, else a photo's where it may show teeth and an animal's where not. */
export const mouthStyleOf = (rig: MouthRig): MouthStyle => rig.style ?? (rig.teeth === false ? 'animal' : 'photo');

/**
 * Interior colours matched to the face's light and colourfulness. The cavity and tongue take
 * half their colour from the picture's own lips (the cavity is the lips' shadow, the tongue
 * their flesh): a painting's, a drawing's or a black-and-white photo's mouth opens in its own
 * palette rather than a photographic red. An animal's stays a dark red with a tongue.
 */
export function mouthPalette(base: RgbImage, rig: MouthRig, openPx = 0.3 * rig.width): MouthPalette {
  const style = mouthStyleOf(rig);
  if (style === 'drawing') return drawnPalette(base, rig);
  const r = rig.width * 0.6;
  const tone = regionTone(base, rig.center.x - r, rig.center.y - r * 0.8, rig.center.x + r, rig.center.y + r * 0.8);
  // Interior colours follow the face: dimmer for dark photos, grey for black-and-white ones.
  const light = clamp(tone.luma / 140, 0.45, 1.15);
  // An animal's mouth is a dark red whatever its fur: white or cream fur (little chroma) kept the
  // interior grey, a grey smear rather than a mouth. Only a picture without colour keeps it grey.
  const sat = clamp(tone.chroma / 35, style === 'animal' && tone.chroma > 4 ? 0.6 : 0, 1);
  const tint = (rgb: [number, number, number]): Yuv => {
    const g = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    const [r, gg, b] = rgb.map((c) => clamp(lerp(g, c, sat) * light, 0, 255));
    const [y, u, v] = yuvOf(r, gg, b);
    return [y - 16, u - 128, v - 128];
  };
  // Teeth take a little of the skin's hue, so they sit in the picture's light (old varnish,
  // warm studio light) instead of looking pasted on.
  const teeth: [number, number, number] = [226, 220, 208].map((c, i) => lerp(c, c * (tone.mean[i] / Math.max(1, tone.luma)), 0.35)) as [number, number, number];
  // Not for animals: below a cat's or a dog's mouth line is fur, not lips.
  const lips = style === 'animal' ? null : lipColour(base, rig);
  const own = (rgb: [number, number, number], k: number): Yuv => {
    const [y, u, v] = yuvOf(clamp(rgb[0] * k, 0, 255), clamp(rgb[1] * k, 0, 255), clamp(rgb[2] * k, 0, 255));
    return [y - 16, u - 128, v - 128];
  };
  // The hue from the lips, the depth of the shadow kept: a lighter cavity reads as a painted-in mouth.
  const mix = (a: Yuv, b: Yuv | null, keepLuma = false): Yuv => (b ? [keepLuma ? a[0] : lerp(a[0], b[0], 0.5), lerp(a[1], b[1], 0.5), lerp(a[2], b[2], 0.5)] : a);
  const colours = { cavity: mix(tint([92, 34, 38]), lips && own(lips, 0.5), true), teeth: tint(teeth), tongue: mix(tint([168, 78, 84]), lips && own(lips, 0.9)) };
  if (style === 'photo') return { ...colours, ...SHADED, line: colours.cavity };
  // An animal's jaw drops under the nose pad: no light reaches the top of the opening, which
  // fades in over a few pixels of fur instead of being cut out along a sharp lip line.
  // The fade is a third of the widest opening, so the middle of an open jaw is the interior's own.
  return { ...colours, ...SHADED, shadeBase: 0.3, shadeLow: 0.5, shadeUp: 0, line: colours.cavity, edgeSoft: Math.max(1.5, 0.35 * openPx) };
}

/** Rgb as the palette's offsets from black in Y, Cb, Cr. */
function yuvOffsets(rgb: readonly number[]): Yuv {
  const [y, u, v] = yuvOf(clamp(rgb[0], 0, 255), clamp(rgb[1], 0, 255), clamp(rgb[2], 0, 255));
  return [y - 16, u - 128, v - 128];
}

/**
 * A drawing's mouth in the drawing's own colours: the outline in its line colour (the darkest
 * tone along the closed lips' seam, where a drawn mouth has its line), one flat dark fill
 * from that tone, a flat tongue from the lips' own colour; nothing shaded, no teeth.
 */
function drawnPalette(base: RgbImage, rig: MouthRig): MouthPalette {
  const samples: [number, number, number, number][] = [];
  for (let k = 2; k < rig.seam.length - 2; k++) {
    const u = (k / (rig.seam.length - 1) - 0.5) * rig.width;
    for (const dv of [-1, 0, 1]) {
      const v = rig.seam[k] + dv;
      const x = Math.round(rig.center.x + u * rig.axis.x - v * rig.axis.y), y = Math.round(rig.center.y + u * rig.axis.y + v * rig.axis.x);
      if (x < 0 || y < 0 || x >= base.width || y >= base.height) continue;
      const i = (y * base.width + x) * 3;
      const r = base.data[i], g = base.data[i + 1], b = base.data[i + 2];
      samples.push([0.299 * r + 0.587 * g + 0.114 * b, r, g, b]);
    }
  }
  samples.sort((a, b) => a[0] - b[0]);
  const darkest = samples.slice(0, Math.max(1, Math.ceil(samples.length / 5)));
  const line = [1, 2, 3].map((c) => darkest.reduce((sum, p) => sum + p[c], 0) / Math.max(1, darkest.length));
  if (!samples.length) line.splice(0, 3, 90, 40, 40);
  const lips = lipColour(base, rig) ?? [200, 120, 120];
  // The fill is between the line's tone and the lips', taken into shadow (a drawn mouth's inside
  // is its darkest patch short of the line); the tongue is the lips' colour, deeper and redder.
  const fill = line.map((c, i) => lerp(c, lips[i], 0.4) * 0.55);
  const tongue = lips.map((c, i) => lerp(c, [205, 92, 98][i], 0.35) * 0.72);
  return {
    cavity: yuvOffsets(fill), teeth: yuvOffsets(fill), tongue: yuvOffsets(tongue),
    shadeBase: 1, shadeLow: 0, shadeUp: 0, shadeCorner: 0,
    // The tongue a flat shape: its cover goes from 0 to 1 over a sixth of its fading shape.
    tongueGain: 6, tongueCut: 0.25, tongueShade: 1,
    lineWidth: Math.max(1, 0.03 * rig.width), line: yuvOffsets(line.map((c) => c * 0.75)), edgeSoft: 1,
  };
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
 * Where drawn teeth meet across the mouth (|tu|: 0 at its middle, 1 at a corner): upper central
 * and lateral incisors, canines and premolars, their frontal widths about 8.5, 6.5, 5, 4 and 3 mm
 * as the arch turns away, to where the upper teeth end; the lower incisors, canines and first
 * premolars (5.5, 6, 6.5, 6 mm). render_addon.cc has the same numbers.
 */
const UPPER_TEETH = [0, 0.233, 0.411, 0.548, 0.658, 0.742];
const LOWER_TEETH = [0, 0.145, 0.3, 0.47, 0.633];
/** A tooth's light: TOOTH_GROOVE where it meets the next, TOOTH_GROOVE + TOOTH_ROUND across its middle. */
const TOOTH_GROOVE = 0.88, TOOTH_ROUND = 0.14;

/** How far across its tooth `a` (|tu|) lies, as a bump: 0 at the tooth's edges, 1 at its middle (and 0 past the last). */
function toothBump(edges: readonly number[], a: number): number {
  for (let k = 1; k < edges.length; k++) {
    if (a < edges[k]) {
      const f = (a - edges[k - 1]) / (edges[k] - edges[k - 1]);
      return 4 * f * (1 - f);
    }
  }
  return 0;
}

/** What the drawn interior shows besides the cavity: upper teeth (not where the source's own are reused), lower teeth. */
export interface InteriorParts { readonly upperTeeth: boolean; readonly lowerTeeth: boolean }

/**
 * Drawn interior colour at lip-relative position (tu across, depth below the upper lip) into
 * s.cy/cu/cv, for a mouth `W` px wide with the lips `gapPx` apart there; `top` px of the gap
 * (under the upper lip) are the source's own teeth, drawn over only where they fade out. The
 * cavity is the lips' shadow: darkest under the teeth and towards the corners, lighter where
 * the lower lip's inner side catches the light; lower teeth rise from behind the lower lip as
 * the jaw drops, a tongue lies behind them.
 */
export function interiorInto(p: MouthPalette, W: number, tu: number, depth: number, gapPx: number, parts: InteriorParts, s: PixelSource, top = 0): void {
  const fromBottom = gapPx - depth, below = depth - top, open = gapPx - top;
  const nearLow = 1 - smoothstep(0, Math.max(1.5, 0.35 * open), fromBottom);
  const nearUp = top > 0 ? 0 : 1 - smoothstep(0, Math.max(1.5, 0.3 * open), below);
  let shade = (p.shadeBase + p.shadeLow * nearLow + p.shadeUp * nearUp) * (1 - p.shadeCorner * Math.min(1, tu * tu));
  let c = p.cavity;
  const across = 1 - Math.min(1, (tu * tu) / 0.55);
  const teethH = Math.min(DRAWN_TEETH * W, 0.55 * gapPx);
  let tongue = 0, teeth = 0, teethShade = 0;
  if (parts.upperTeeth && top === 0 && across > 0 && depth < teethH + 1) {
    // Teeth are lit from the front and fall into shadow towards the corners, under the upper
    // lip and at their biting edge. Each is rounded, lit most across its middle and shaded
    // into the groove it meets the next in; their biting edge rises a little towards the corners
    // (the smile's arc) and dips mid-tooth. Evenly spaced, with a hard dark line between them,
    // they read as a row of piano keys.
    const bump = toothBump(UPPER_TEETH, Math.abs(tu));
    const edge = teethH * (1 - (0.18 * tu * tu) / 0.55) * (0.95 + 0.05 * bump);
    teeth = 1 - smoothstep(edge - 0.8, edge + 0.8, depth);
    teethShade = (0.5 + 0.42 * across) * (1 - 0.25 * smoothstep(edge * 0.6, edge, depth))
      * (0.72 + 0.28 * smoothstep(0, 0.3 * edge, depth)) * (TOOTH_GROOVE + TOOTH_ROUND * bump);
  }
  // Lower teeth: only their tops show, more as the jaw drops, across a narrower arch; in the
  // upper lip's and the upper teeth's shadow, so dimmer than the upper ones.
  const acrossLow = 1 - Math.min(1, (tu * tu) / 0.4);
  // Under the source's own upper teeth (a smile) the lower ones show as soon as there is room.
  const lowH = top > 0 ? Math.min(0.07 * W, 0.45 * open) * smoothstep(1, 4, open) : Math.min(0.06 * W, 0.3 * open) * smoothstep(0.06 * W, 0.16 * W, open);
  if (parts.lowerTeeth && teeth === 0 && acrossLow > 0 && lowH > 0.5 && fromBottom < lowH + 1) {
    teeth = (1 - smoothstep(lowH - 1, lowH + 0.6, fromBottom)) * smoothstep(0, 0.25, acrossLow);
    teethShade = (0.45 + 0.3 * acrossLow) * (0.75 + 0.25 * smoothstep(0, 0.5 * lowH, lowH - fromBottom))
      * (TOOTH_GROOVE + TOOTH_ROUND * toothBump(LOWER_TEETH, Math.abs(tu)));
  }
  if (open > 0.1 * W && Math.abs(tu) < 0.6) {
    tongue = clamp(p.tongueGain * (smoothstep(0.45, 0.85, below / Math.max(1, open)) * (1 - Math.abs(tu) / 0.6) - p.tongueCut), 0, 1);
  }
  const t = p.tongue, th = p.teeth;
  const ts = p.tongueShade;
  let ty = lerp(c[0] * shade, t[0] * ts, tongue), tu2 = lerp(c[1] * shade, t[1] * ts, tongue), tv = lerp(c[2] * shade, t[2] * ts, tongue);
  if (p.lineWidth > 0) {
    // A drawn mouth's outline along the lips (and so round the corners, where the gap closes).
    const line = 1 - smoothstep(p.lineWidth - 0.5, p.lineWidth + 0.5, Math.min(depth, fromBottom));
    ty = lerp(ty, p.line[0], line); tu2 = lerp(tu2, p.line[1], line); tv = lerp(tv, p.line[2], line);
  }
  s.cy = 16 + lerp(ty, th[0] * teethShade, teeth);
  s.cu = 128 + lerp(tu2, th[1] * teethShade, teeth);
  s.cv = 128 + lerp(tv, th[2] * teethShade, teeth);
}
