// Framing for several speaking faces: adaptive's 16:9 window is placed around all of them, as
// planLayout places it around one face, and widened until every face fits with a margin; it
// extends past the picture (padded) only when the faces cannot fit inside it. fixedMinSide shows
// the whole picture anyway. Pure.
import type { FrameLayout, Rect, ResizeMode } from '../core/types.js';
import { VIDEO } from '../core/video.js';
import { planLayout } from './layout.js';

/** The window is this much wider than the span of the faces: each keeps its hair and ears. */
const GROUP_MARGIN = 1.5;

export function unionRect(rects: readonly Rect[]): Rect {
  const x0 = Math.min(...rects.map((r) => r.x)), y0 = Math.min(...rects.map((r) => r.y));
  const x1 = Math.max(...rects.map((r) => r.x + r.width)), y1 = Math.max(...rects.map((r) => r.y + r.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function planGroupLayout(imageWidth: number, imageHeight: number, faces: readonly Rect[], mode: ResizeMode): FrameLayout {
  if (faces.length <= 1 || mode === 'fixedMinSide') return planLayout(imageWidth, imageHeight, faces[0] ?? null, mode);
  const all = unionRect(faces);
  const aspect = VIDEO.width / VIDEO.height;
  // planLayout makes the window at least two face-heights tall: a stand-in "face" centred on the
  // group, tall enough that those two heights give a window GROUP_MARGIN times the group's width.
  const tallest = Math.max(...faces.map((f) => f.height));
  const height = Math.max(tallest, all.height / 2, (GROUP_MARGIN * all.width) / aspect / 2);
  const cx = all.x + all.width / 2, cy = all.y + all.height / 2;
  const stand = { x: cx - height / 2, y: cy - height / 2, width: height, height };
  const layout = planLayout(imageWidth, imageHeight, stand, mode);
  // Inside the picture the window may have been held to it: if the faces still fit, fine;
  // otherwise (a wide group in a narrow picture) the window grows past it, centred on the faces.
  const fits = all.x >= layout.crop.x && all.x + all.width <= layout.crop.x + layout.crop.width;
  if (fits) return layout;
  const width = all.width * GROUP_MARGIN, h = width / aspect;
  const x = cx - width / 2, y = Math.min(Math.max(0, cy - 0.42 * h), Math.max(0, imageHeight - h));
  return { width: VIDEO.width, height: VIDEO.height, crop: { x, y, width, height: h }, scale: VIDEO.width / width, padded: true };
}
