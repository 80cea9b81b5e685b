import { intersectRects } from '../core/geometry.js';
import type { Rect } from '../core/types.js';

/** An RGBA picture (e.g. rendered watermark text) and where it goes in the frame. */
export interface Overlay {
  readonly rgba: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly x: number;
  readonly y: number;
}

export const overlayRect = (o: Overlay): Rect => ({ x: o.x, y: o.y, width: o.width, height: o.height });

/** Alpha-blends the part of `overlay` inside `clip` over an rgb24 frame of `frameWidth`. */
export function blendOverlayInPlace(frame: Uint8Array, frameWidth: number, overlay: Overlay, clip: Rect): void {
  const r = intersectRects(overlayRect(overlay), clip);
  if (!r) return;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const s = ((y - overlay.y) * overlay.width + (x - overlay.x)) * 4;
      const a = overlay.rgba[s + 3] / 255;
      if (a === 0) continue;
      const d = (y * frameWidth + x) * 3;
      frame[d] += (overlay.rgba[s] - frame[d]) * a;
      frame[d + 1] += (overlay.rgba[s + 1] - frame[d + 1]) * a;
      frame[d + 2] += (overlay.rgba[s + 2] - frame[d + 2]) * a;
    }
  }
}
