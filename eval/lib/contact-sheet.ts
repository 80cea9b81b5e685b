// Draws a contact sheet for one rendered video with sharp: frames across the clip, the key frames
// (widest open, closure in speech, blink), zoomed face crops of those, and the measured series.
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import type { Rect } from '../../src/core/types.js';
import { range, sheetLayout, squareCrop, thumbHeight, type PlacedTile } from '../../src/eval-metrics/index.js';
import type { RenderedVideo, VideoMeasures } from './measure-video.js';

const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

const raw = (rgb: Uint8Array, width: number, height: number) => sharp(rgb, { raw: { width, height, channels: 3 } });

async function tile(img: Sharp, at: Rect, crop?: Rect): Promise<OverlayOptions> {
  const s = crop ? img.extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height }) : img;
  const input = await s.resize(at.width, at.height, { fit: 'contain', background: '#202020' }).png().toBuffer();
  return { input, left: at.x, top: at.y };
}

/** Polylines of the per-frame series, each scaled to the plot's height, with key frames marked. */
function seriesPlot(m: VideoMeasures, at: Rect): string {
  const n = m.frameCount, x = (f: number) => at.x + (f / Math.max(1, n - 1)) * at.width;
  const line = (values: ArrayLike<number>, colour: string, lo: number, hi: number) => {
    const span = hi - lo || 1;
    const pts = Array.from(values, (v, f) => `${x(f).toFixed(1)},${(at.y + at.height - ((v - lo) / span) * at.height).toFixed(1)}`);
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.join(' ')}"/>`;
  };
  const eye = range(m.eyeChange), ap = range(m.aperture), bg = range(m.background);
  const eyeHi = Math.max(eye.max, m.blinkThreshold * 1.2);
  const thrY = at.y + at.height - ((m.blinkThreshold - eye.min) / (eyeHi - eye.min || 1)) * at.height;
  const speech = m.speech.map((s, f) => (s ? `<rect x="${x(f).toFixed(1)}" y="${at.y}" width="${(at.width / n + 0.5).toFixed(1)}" height="${at.height}" fill="#2a3a2a"/>` : '')).join('');
  const marks = m.keyFrames.map((k) => `<line x1="${x(k.frame)}" x2="${x(k.frame)}" y1="${at.y}" y2="${at.y + at.height}" stroke="#888" stroke-dasharray="4 4"/>`).join('');
  return `<rect x="${at.x}" y="${at.y}" width="${at.width}" height="${at.height}" fill="#1a1a1a"/>${speech}${marks}` +
    `<line x1="${at.x}" x2="${at.x + at.width}" y1="${thrY}" y2="${thrY}" stroke="#c44" stroke-dasharray="2 3"/>` +
    line(m.eyeChange, '#ff6060', eye.min, eyeHi) + line(m.aperture, '#60c0ff', ap.min, ap.max) + line(m.background, '#e0e060', 0, Math.max(4, bg.max));
}

/** A zoomed strip of consecutive frames (e.g. one blink): their rgb24 and the box shown of each. */
export interface FrameStrip { readonly title: string; readonly frames: readonly number[]; readonly rgb: readonly Uint8Array[]; readonly crop: Rect }

export async function writeContactSheet(file: string, title: string, r: RenderedVideo, m: VideoMeasures, strips: readonly FrameStrip[] = []): Promise<void> {
  const { width: W, height: H } = r;
  const keys = m.keyFrames.slice(1);
  const rows = [
    { count: m.timeline.length, tileWidth: 200, tileHeight: thumbHeight(200, W, H), title: `${title}  -  frames across the clip` },
    { count: m.keyFrames.length, tileWidth: 400, tileHeight: thumbHeight(400, W, H), title: 'key frames (found by measuring the frames)' },
    { count: keys.length + 2, tileWidth: 280, tileHeight: 280, title: 'face zoom: source, first frame, key frames' },
    { count: 1, tileWidth: m.timeline.length * 210 - 10, tileHeight: 150, title: 'per frame: eye change (red; dashed = blink threshold), mouth aperture (blue), background change (yellow); dark green = speech' },
    // Zoomed at least twice where the tiles stay under 560 px: a lid is a few pixels tall.
    ...strips.map((s) => {
      const w = Math.max(300, Math.min(560, 2 * s.crop.width));
      return { count: s.frames.length, tileWidth: w, tileHeight: Math.round((w * s.crop.height) / Math.max(1, s.crop.width)), title: s.title };
    }),
  ];
  const layout = sheetLayout(rows);
  const byRow = (row: number): PlacedTile[] => layout.tiles.filter((t) => t.row === row);
  const label = (t: PlacedTile, text: string) => `<text x="${t.label.x + 4}" y="${t.label.y + 17}" font-size="14" fill="#eee" font-family="DejaVu Sans, sans-serif">${esc(text)}</text>`;
  const t = (f: number) => (f / r.fps).toFixed(2);
  const overlays: Promise<OverlayOptions>[] = [];
  const texts: string[] = [];
  const frame = (f: number) => raw(m.frames.get(f)!, W, H);

  byRow(0).forEach((p, i) => { const f = m.timeline[i]; overlays.push(tile(frame(f), p.image)); texts.push(label(p, `#${f}  t=${t(f)}s`)); });
  byRow(1).forEach((p, i) => { const k = m.keyFrames[i]; overlays.push(tile(frame(k.frame), p.image)); texts.push(label(p, `#${k.frame} t=${t(k.frame)}s: ${k.why}`)); });
  const crop = squareCrop(r.faceBox, 1.5, W, H);
  const zoom = byRow(2);
  const src = m.source;
  const srcCrop = src.face ? squareCrop(src.face.box, 1.8, src.width, src.height) : undefined;
  overlays.push(tile(raw(src.rgb, src.width, src.height), zoom[0].image, srcCrop));
  texts.push(label(zoom[0], src.face ? 'source face' : 'source (no face found)'));
  [m.keyFrames[0], ...keys].forEach((k, i) => {
    const p = zoom[i + 1];
    overlays.push(tile(frame(k.frame), p.image, crop));
    texts.push(label(p, `#${k.frame} ${k.why}`.slice(0, 34)));
  });
  strips.forEach((s, k) => byRow(4 + k).forEach((p, i) => {
    overlays.push(tile(raw(s.rgb[i], W, H), p.image, s.crop));
    texts.push(label(p, `#${s.frames[i]}`));
  }));
  const plot = byRow(3)[0];
  texts.push(seriesPlot(m, plot.image));
  for (const h of layout.titles) texts.push(`<text x="${h.x}" y="${h.y + 19}" font-size="16" fill="#9cf" font-family="DejaVu Sans, sans-serif">${esc(rows[h.row].title)}</text>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">${texts.join('')}</svg>`;
  await sharp({ create: { width: layout.width, height: layout.height, channels: 3, background: '#101010' } })
    .composite([...(await Promise.all(overlays)), { input: Buffer.from(svg), left: 0, top: 0 }])
    .png()
    .toFile(file);
}
