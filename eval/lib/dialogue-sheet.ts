// Contact sheet for a video with several speakers: frames across the clip, each face zoomed
// while it speaks and while the other one does, and per frame each face's lip gap (face-api)
// over the loudness of each track.
import sharp, { type OverlayOptions } from 'sharp';
import type { Rect } from '../../src/core/types.js';
import { squareCrop } from '../../src/eval-metrics/index.js';
import type { SpeakerFigures } from './speakers.js';

const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const COLOURS = ['#ff8060', '#60c0ff', '#c0ff60', '#ff60ff'];

export interface DialogueSheet {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Decoded rgb24 frames by index: the timeline's and the zooms'. */
  readonly frames: Map<number, Uint8Array>;
  readonly timeline: readonly number[];
  /** Per face: its box in the frame, its figures, and two frames to zoom (speaking, listening). */
  readonly faces: readonly { box: Rect; figures: SpeakerFigures; speaking: number; listening: number }[];
  /** Per track: loudness per frame. */
  readonly loudness: readonly Float32Array[];
}

export async function writeDialogueSheet(file: string, s: DialogueSheet): Promise<void> {
  const pad = 10, tw = 240, th = Math.round((tw * s.height) / s.width), zoom = 220, plotH = 170, title = 28;
  const cols = Math.max(s.timeline.length, s.faces.length * 2);
  const W = pad + cols * (Math.max(tw, zoom) + pad);
  const y1 = title + 20, y2 = y1 + th + 30, y3 = y2 + zoom + 30;
  const H = y3 + plotH * s.faces.length + pad * (s.faces.length + 1) + 10;
  const overlays: OverlayOptions[] = [];
  const texts: string[] = [`<text x="${pad}" y="22" font-size="18" fill="#9cf" font-family="DejaVu Sans, sans-serif">${esc(s.title)}</text>`];
  const label = (x: number, y: number, t: string) => texts.push(`<text x="${x + 2}" y="${y - 6}" font-size="13" fill="#eee" font-family="DejaVu Sans, sans-serif">${esc(t)}</text>`);
  const img = (f: number) => sharp(s.frames.get(f)!, { raw: { width: s.width, height: s.height, channels: 3 } });
  for (const [i, f] of s.timeline.entries()) {
    const x = pad + i * (Math.max(tw, zoom) + pad);
    overlays.push({ input: await img(f).resize(tw, th).png().toBuffer(), left: x, top: y1 });
    label(x, y1, `#${f} t=${(f / s.fps).toFixed(2)}s`);
  }
  let col = 0;
  for (const [k, face] of s.faces.entries()) {
    const crop = squareCrop(face.box, 1.3, s.width, s.height);
    for (const [what, f] of [['speaks', face.speaking], ['other speaks', face.listening]] as const) {
      const x = pad + col++ * (Math.max(tw, zoom) + pad);
      overlays.push({ input: await img(f).extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height }).resize(zoom, zoom).png().toBuffer(), left: x, top: y2 });
      label(x, y2, `face ${k} ${what} #${f} gap ${face.figures.gap[f].toFixed(2)}`);
    }
  }
  const n = s.loudness[0].length, plotW = W - 2 * pad;
  const px = (f: number) => pad + (f / Math.max(1, n - 1)) * plotW;
  for (const [k, face] of s.faces.entries()) {
    const top = y3 + k * (plotH + pad);
    texts.push(`<rect x="${pad}" y="${top}" width="${plotW}" height="${plotH}" fill="#1a1a1a"/>`);
    s.loudness.forEach((l, j) => {
      const hi = Math.max(...l) || 1;
      texts.push(`<polyline fill="none" stroke="${COLOURS[j]}" stroke-opacity="0.45" stroke-width="1.5" points="${Array.from(l, (v, f) => `${px(f).toFixed(1)},${(top + plotH - (v / hi) * plotH * 0.9).toFixed(1)}`).join(' ')}"/>`);
    });
    const gap = face.figures.gap;
    const pts = Array.from(gap, (v, f) => (Number.isFinite(v) ? `${px(f).toFixed(1)},${(top + plotH - Math.min(1, v / 0.4) * plotH).toFixed(1)}` : '')).filter(Boolean);
    texts.push(`<polyline fill="none" stroke="#ffffff" stroke-width="2" points="${pts.join(' ')}"/>`);
    const f = face.figures;
    texts.push(`<text x="${pad + 6}" y="${top + 18}" font-size="13" fill="#eee" font-family="DejaVu Sans, sans-serif">${esc(`face ${k}: lip gap (white, face-api) over loudness of each track (face 0 orange, face 1 blue); r own ${f.ownR.toFixed(2)}, r other ${f.otherR.toFixed(2)}, shut while the other speaks ${(100 * f.shutWhileOther).toFixed(0)} %`)}</text>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${texts.join('')}</svg>`;
  await sharp({ create: { width: W, height: H, channels: 3, background: '#101010' } })
    .composite([...overlays, { input: Buffer.from(svg), left: 0, top: 0 }]).png().toFile(file);
}
