// The blink check of eval:render: the strongest blink measured in the video (from its pixels),
// its fully shut frame judged against the lid skin of frame 0 (src/eval-metrics/lids.ts), and
// the frames across it for a zoomed strip in the contact sheet.
import type { EyeRig, Rect } from '../../src/core/types.js';
import { lidFigures, type LidFigures } from '../../src/eval-metrics/index.js';
import { eyeFits, type EyeKind } from '../../src/render/eye-prepare.js';
import { EYE } from '../../src/render/eye-config.js';
import type { RenderedVideo, VideoMeasures } from './measure-video.js';
import { readFrames } from './video-io.js';

/** Most frames shown across one blink: closing takes ~100 ms, reopening ~200 ms. */
const STRIP_FRAMES = 10;

export interface BlinkCheck {
  /** The shut frame, and the mean of both eyes' figures there (null: no blink or no eyes). */
  readonly frame: number | null;
  readonly figures: LidFigures | null;
  /** Frames across the blink and the box around both eyes (frame pixels) to zoom into. */
  readonly strip: { frames: number[]; rgb: Buffer[]; crop: Rect } | null;
}

/**
 * `darkEyes`: the renderer fits an animal's or a drawing's eyes to the dark eye the picture shows
 * (src/render/dark-eye.ts, fitDarkEye, or to the outline and white it shows, eye-prepare.ts eyeFits), and a
 * human eye to the white it shows outside the rig (src/render/wide-eye.ts, fitWideEye); the check
 * measures those openings, found the same way in frame 0.
 */
export function blinkCheck(r: RenderedVideo, m: VideoMeasures, rigged: readonly EyeRig[], opts: EyeKind = {}): BlinkCheck {
  const blink = m.blinks.reduce<VideoMeasures['blinks'][number] | null>((b, e) => (!b || m.eyeChange[e.peak] > m.eyeChange[b.peak] ? e : b), null);
  if (!blink || rigged.length === 0) return { frame: null, figures: null, strip: null };
  const first = Math.max(0, Math.min(blink.start - 1, blink.peak - 3));
  const frames = Array.from({ length: Math.min(STRIP_FRAMES, m.frameCount - first) }, (_, i) => first + i);
  if (!frames.includes(blink.peak)) frames[frames.length - 1] = blink.peak;
  const rgb = readFrames(r.video, [0, ...frames], r.width, r.height);
  const open = rgb[0], closed = rgb[1 + frames.indexOf(blink.peak)];
  const frame0 = { data: open, width: r.width, height: r.height };
  // The opening: a drawing's eye as the lid is fitted to it (its drawn white included); a human
  // eye's as refitted to its white, not the liner, lashes and creases past its corners that the
  // lid is widened over (eye-prepare.ts eyeFits), which are no part of the opening.
  // A human eye whose lids the mesh laid low round its iris is measured where the renderer lifts it (eye-iris.ts).
  const eyes = rigged.map((e) => { const fit = eyeFits(frame0, e, opts); return opts.darkEyes ? fit.rig : fit.wide; });
  const shift = { x: m.headShift.dx[blink.peak], y: m.headShift.dy[blink.peak] };
  const per = eyes.map((e) => lidFigures(closed, open, r.width, r.height, e, shift, opts.darkEyes === true, opts.animal ? EYE.lowerRise : 0)).filter((f): f is LidFigures => f !== null);
  const figures = per.length === 0 ? null : {
    lumaRatio: per.reduce((s, f) => s + f.lumaRatio, 0) / per.length,
    colourDiff: per.reduce((s, f) => s + f.colourDiff, 0) / per.length,
    textureRatio: per.reduce((s, f) => s + f.textureRatio, 0) / per.length,
  };
  // Both eyes with a lid's height of skin above and a little below, at the shut frame's place.
  const w = Math.max(...eyes.map((e) => e.width));
  const xs = eyes.map((e) => e.center.x + shift.x), ys = eyes.map((e) => e.center.y + shift.y);
  const x0 = Math.max(0, Math.round(Math.min(...xs) - 0.9 * w)), x1 = Math.min(r.width, Math.round(Math.max(...xs) + 0.9 * w));
  const y0 = Math.max(0, Math.round(Math.min(...ys) - 0.8 * w)), y1 = Math.min(r.height, Math.round(Math.max(...ys) + 0.5 * w));
  return { frame: blink.peak, figures, strip: { frames, rgb: rgb.slice(1), crop: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } } };
}

const f = (v: number | undefined, d: number): string => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));

/** Targets: the shut lid at least 90 % as bright as the lid skin, within 25 levels of its colour, its texture 0.4-2.5x the skin's. */
export const LID_TARGETS = Object.freeze({ lumaRatio: 0.9, colourDiff: 25, texture: [0.4, 2.5] as const });

export function formatBlinkTable(rows: readonly { name: string; check: BlinkCheck }[]): string {
  const head = ['fixture', 'shut frame', 'luma vs lid skin', 'colour diff', 'texture vs skin', 'verdict'];
  const lines = rows.map(({ name, check: c }) => {
    const g = c.figures;
    const ok = g ? g.lumaRatio >= LID_TARGETS.lumaRatio && g.colourDiff <= LID_TARGETS.colourDiff && g.textureRatio >= LID_TARGETS.texture[0] && g.textureRatio <= LID_TARGETS.texture[1] : null;
    return [name, c.frame === null ? 'no blink' : `#${c.frame}`, f(g?.lumaRatio, 2), f(g?.colourDiff, 1), f(g?.textureRatio, 2), ok === null ? '' : ok ? '✓' : '✗'];
  });
  const target = ['TARGET', '', `>= ${LID_TARGETS.lumaRatio}`, `<= ${LID_TARGETS.colourDiff}`, LID_TARGETS.texture.join('-'), ''];
  const all = [head, ...lines, target];
  const widths = head.map((_, c) => Math.max(...all.map((l) => [...l[c]].length)));
  const fmt = (l: string[]) => l.map((cell, c) => cell + ' '.repeat(widths[c] - [...cell].length)).join(' | ');
  return ['', 'Blink check: the eye opening in the shut frame against the lid skin above it in frame 0 (an animal\'s or a drawing\'s: its colour nearest the lid\'s from that skin\'s to the skin\'s under the eye)', fmt(head), widths.map((w) => '-'.repeat(w)).join('-+-'), ...lines.map(fmt), fmt(target), ''].join('\n');
}
