// Framing for several speaking faces: adaptive's 16:9 window is placed around all of them, as
// planLayout places it around one face, and widened until every face fits with a margin; it
// extends past the picture (padded) only when the faces cannot fit inside it. fixedMinSide shows
// the whole picture anyway. Pure.
import type { FrameLayout, Rect, ResizeMode } from '../core/types.js';
import { VIDEO } from '../core/video.js';
import { planLayout } from './layout.js';

/** The window is this much wider than the span of the faces: each keeps its hair and ears. */
const GROUP_MARGIN = 1.5;
/** The faces' middle sits this far down the window, as one face does in planLayout. */
const FACE_CENTER_Y = 0.42;

export function unionRect(rects: readonly Rect[]): Rect {
  const x0 = Math.min(...rects.map((r) => r.x)), y0 = Math.min(...rects.map((r) => r.y));
  const x1 = Math.max(...rects.map((r) => r.x + r.width)), y1 = Math.max(...rects.map((r) => r.y + r.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function planGroupLayout(imageWidth: number, imageHeight: number, faces: readonly Rect[], mode: ResizeMode): FrameLayout {
  if (faces.length <= 1 || mode === 'fixedMinSide') return planLayout(imageWidth, imageHeight, faces[0] ?? null, mode);
  const all = unionRect(faces);
  const aspect = VIDEO.width / VIDEO.height;
  // The largest 16:9 window inside the picture.
  const fitHeight = Math.min(imageHeight, imageWidth / aspect);
  const tallest = Math.max(...faces.map((f) => f.height));
  // As for one face: at least two face-heights tall, and here also wide enough for the group
  // with its margin, and tall enough for faces at different heights.
  let height = Math.max(2 * tallest, all.height * 1.5, (GROUP_MARGIN * all.width) / aspect);
  // Padding only when the faces themselves do not fit the picture's own window: a tighter margin first.
  if (height > fitHeight && all.width <= fitHeight * aspect && all.height <= fitHeight) height = fitHeight;
  const width = height * aspect;
  const cx = all.x + all.width / 2, cy = all.y + all.height / 2;
  const x = width <= imageWidth ? Math.min(Math.max(cx - width / 2, 0), imageWidth - width) : cx - width / 2;
  const y = height <= imageHeight ? Math.min(Math.max(cy - FACE_CENTER_Y * height, 0), imageHeight - height) : (imageHeight - height) / 2;
  const padded = x < -1e-6 || y < -1e-6 || x + width > imageWidth + 1e-6 || y + height > imageHeight + 1e-6;
  return { width: VIDEO.width, height: VIDEO.height, crop: { x, y, width, height }, scale: VIDEO.width / width, padded };
}
