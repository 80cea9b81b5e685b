// A zoomed strip of the mouth across a fast sentence: consecutive frames (at 8 syllables a
// second a syllable lasts three frames) around the mouth, each labelled with the opening the
// independent face model measured there, over a plot of loudness and opening for the whole clip.
import sharp, { type OverlayOptions } from 'sharp';
import type { Rect } from '../../src/core/types.js';
import { range, sheetLayout } from '../../src/eval-metrics/index.js';
import type { LipOpening } from './mouth-motion.js';
import { readFrames } from './video-io.js';

const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The `count` consecutive frames with the most speech energy. */
export function loudestWindow(loudness: ArrayLike<number>, count: number): number {
  let best = 0, bestSum = -Infinity, sum = 0;
  for (let i = 0; i < loudness.length; i++) {
    sum += loudness[i];
    if (i >= count) sum -= loudness[i - count];
    if (i >= count - 1 && sum > bestSum) { bestSum = sum; best = i - count + 1; }
  }
  return best;
}

export async function writeMouthStrip(file: string, title: string, video: string, width: number, height: number, fps: number, mouth: Rect, lips: LipOpening, perRow = 10, rowsOf = 3): Promise<void> {
  const count = Math.min(perRow * rowsOf, lips.opening.length);
  const first = loudestWindow(lips.loudness, count);
  const frames = Array.from({ length: count }, (_, i) => first + i);
  const decoded = readFrames(video, frames, width, height);
  // The crop: the mouth box widened to show the corners and the chin below, 4:3.
  const cw = Math.min(width, Math.round(mouth.width * 1.5)), ch = Math.min(height, Math.round(cw * 0.75));
  const cx = Math.round(mouth.x + mouth.width / 2 - cw / 2), cy = Math.round(mouth.y + mouth.height * 0.45 - ch / 2);
  const crop = { left: Math.max(0, Math.min(width - cw, cx)), top: Math.max(0, Math.min(height - ch, cy)), width: cw, height: ch };
  const tileW = 280, tileH = 210;
  const rows = [
    ...Array.from({ length: Math.ceil(count / perRow) }, (_, r) => ({ count: Math.min(perRow, count - r * perRow), tileWidth: tileW, tileHeight: tileH, title: r === 0 ? `${title}  -  mouth, frames ${first}-${first + count - 1} (${(count / fps).toFixed(2)} s); label: frame, face-api lip gap (x eye distance)` : undefined })),
    { count: 1, tileWidth: perRow * (tileW + 10) - 10, tileHeight: 120, title: 'whole clip: loudness (green), face-api lip gap (blue; dashed = open threshold), strip window (grey)' },
  ];
  const layout = sheetLayout(rows);
  const overlays: OverlayOptions[] = [];
  const texts: string[] = [];
  const tiles = layout.tiles.filter((t) => t.row < rows.length - 1);
  for (let i = 0; i < count; i++) {
    const t = tiles[i];
    const input = await sharp(decoded[i], { raw: { width, height, channels: 3 } }).extract(crop).resize(tileW, tileH, { fit: 'fill', kernel: 'lanczos3' }).png().toBuffer();
    overlays.push({ input, left: t.image.x, top: t.image.y });
    const gap = lips.opening[frames[i]];
    texts.push(`<text x="${t.label.x + 4}" y="${t.label.y + 17}" font-size="14" fill="${lips.speech[frames[i]] ? '#9f9' : '#aaa'}" font-family="DejaVu Sans, sans-serif">#${frames[i]}  ${Number.isFinite(gap) ? gap.toFixed(3) : 'no face'}</text>`);
  }
  const plot = layout.tiles.find((t) => t.row === rows.length - 1)!.image;
  const n = lips.opening.length, x = (f: number) => plot.x + (f / Math.max(1, n - 1)) * plot.width;
  const line = (values: ArrayLike<number>, colour: string, lo: number, hi: number) => {
    const pts = Array.from(values, (v, f) => (Number.isFinite(v) ? `${x(f).toFixed(1)},${(plot.y + plot.height - ((v - lo) / (hi - lo || 1)) * plot.height).toFixed(1)}` : '')).filter(Boolean);
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.join(' ')}"/>`;
  };
  const finite = Array.from(lips.opening).filter(Number.isFinite);
  const hi = Math.max(0.3, ...finite);
  const thr = plot.y + plot.height - (0.06 / hi) * plot.height;
  texts.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.width}" height="${plot.height}" fill="#1a1a1a"/>`,
    `<rect x="${x(first)}" y="${plot.y}" width="${x(first + count - 1) - x(first)}" height="${plot.height}" fill="#333"/>`,
    `<line x1="${plot.x}" x2="${plot.x + plot.width}" y1="${thr}" y2="${thr}" stroke="#68a" stroke-dasharray="3 3"/>`,
    line(lips.loudness, '#6c6', 0, range(lips.loudness).max), line(lips.opening, '#6af', 0, hi));
  for (const h of layout.titles) texts.push(`<text x="${h.x}" y="${h.y + 19}" font-size="16" fill="#9cf" font-family="DejaVu Sans, sans-serif">${esc(rows[h.row].title ?? '')}</text>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">${texts.join('')}</svg>`;
  // The plot's background goes under the tiles' text, over nothing else: draw the svg last.
  await sharp({ create: { width: layout.width, height: layout.height, channels: 3, background: '#101010' } })
    .composite([...overlays, { input: Buffer.from(svg), left: 0, top: 0 }])
    .png()
    .toFile(file);
}
