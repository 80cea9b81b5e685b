// Overlays (watermark text) drawn over frames. They are blended into the background once, and
// again over the moving region each frame where the two meet. Pure.
import { intersectRects } from '../core/geometry.js';
import type { Rect } from '../core/types.js';
import { BlockKind } from './blocks.js';
import { yuvOf, type YuvPlanes } from './yuv.js';

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

/**
 * Alpha-blends `overlay` inside `clip` (even-aligned) over yuv420p planes; chroma takes each
 * 2x2 block's mean colour and alpha.
 */
export function blendOverlayYuvInPlace(f: YuvPlanes, overlay: Overlay, clip: Rect): void {
  const r = intersectRects(overlayRect(overlay), clip);
  if (!r) return;
  const cw = f.width >> 1;
  for (let y = r.y & ~1; y < r.y + r.height; y += 2) {
    for (let x = r.x & ~1; x < r.x + r.width; x += 2) {
      let au = 0, su = 0, sv = 0;
      for (let k = 0; k < 4; k++) {
        const px = x + (k & 1), py = y + (k >> 1);
        if (px < r.x || py < r.y || px >= r.x + r.width || py >= r.y + r.height) continue;
        const s = ((py - overlay.y) * overlay.width + (px - overlay.x)) * 4;
        const a = overlay.rgba[s + 3] / 255;
        if (a === 0) continue;
        const [yy, u, v] = yuvOf(overlay.rgba[s], overlay.rgba[s + 1], overlay.rgba[s + 2]);
        const d = py * f.width + px;
        f.y[d] += (yy - f.y[d]) * a;
        au += a; su += u * a; sv += v * a;
      }
      if (au === 0) continue;
      const c = (y >> 1) * cw + (x >> 1);
      const a = au / 4;
      f.u[c] += (su / au - f.u[c]) * a;
      f.v[c] += (sv / au - f.v[c]) * a;
    }
  }
}

/**
 * Pass 6, per frame: the overlays again over the blocks of `region` (`bw` per row) drawn from
 * the clean base this frame (`fresh`); `clips` are each overlay's part inside the region.
 */
export function reblendOverlays(out: YuvPlanes, clips: readonly { o: Overlay; clip: Rect }[], region: Rect, bw: number, kind: Uint8Array, fresh: Uint8Array): void {
  for (const { o, clip } of clips) {
    for (let y = clip.y & ~1; y < clip.y + clip.height; y += 2) {
      for (let x = clip.x & ~1; x < clip.x + clip.width; x += 2) {
        const b = ((y - region.y) >> 1) * bw + ((x - region.x) >> 1);
        if (kind[b] !== BlockKind.Still && fresh[b] === 1) blendOverlayYuvInPlace(out, o, { x, y, width: 2, height: 2 });
      }
    }
  }
}
