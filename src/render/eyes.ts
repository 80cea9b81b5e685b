// Blinks by warping the real image: the skin of the upper lid, between the lid edge and a
// little below the brow, is stretched down over the eye while the eye itself stays where it
// is (it disappears under the lid rather than being squashed). The lid edge carries a soft
// dark lash line. Pure.
import { clamp } from '../core/geometry.js';
import type { EyeRig, Rect, RgbImage } from '../core/types.js';
import { sampleBilinearInto } from './sample.js';

export const EYE = Object.freeze({
  /** How far above the lid the stretched skin starts, x eye width. */
  skinAbove: 0.38,
  /** At full closure the lid stops this fraction short of the lower lid. */
  closeReach: 0.96,
  /** Lash line thickness, x eye width, and how dark it gets at full closure. */
  lashWidth: 0.07,
  lashDarken: 0.55,
});

export interface EyeWarp {
  readonly rig: EyeRig;
  readonly vTop: number;
  readonly vBottom: number;
  readonly bounds: Rect;
}

export function prepareEye(base: RgbImage, rig: EyeRig): EyeWarp {
  const half = rig.width / 2;
  const vTop = Math.min(...rig.upperLid) - EYE.skinAbove * rig.width;
  const vBottom = Math.max(...rig.lowerLid) + 1;
  const corners = [[-half, vTop], [half, vTop], [-half, vBottom], [half, vBottom]].map(([u, v]) => ({
    x: rig.center.x + u * rig.axis.x - v * rig.axis.y,
    y: rig.center.y + u * rig.axis.y + v * rig.axis.x,
  }));
  const xs = corners.map((c) => c.x), ys = corners.map((c) => c.y);
  const x0 = clamp(Math.floor(Math.min(...xs)) - 1, 0, base.width), y0 = clamp(Math.floor(Math.min(...ys)) - 1, 0, base.height);
  const x1 = clamp(Math.ceil(Math.max(...xs)) + 1, 0, base.width), y1 = clamp(Math.ceil(Math.max(...ys)) + 1, 0, base.height);
  return { rig, vTop, vBottom, bounds: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } };
}

function lidAt(lid: Float32Array, width: number, u: number): number {
  const n = lid.length;
  const pos = (u / width + 0.5) * (n - 1);
  const i = clamp(Math.floor(pos), 0, n - 2);
  const t = clamp(pos - i, 0, 1);
  return lid[i] + (lid[i + 1] - lid[i]) * t;
}

/** Writes the eye region for lid closure `blink` (0 open .. 1 closed) into `out`. */
export function renderEyeInto(w: EyeWarp, base: RgbImage, out: Uint8Array, blink: number): void {
  const rig = w.rig;
  const b = clamp(blink, 0, 1);
  const half = rig.width / 2;
  const ax = rig.axis.x, ay = rig.axis.y, nx = -ay, ny = ax;
  const cx = rig.center.x, cy = rig.center.y;
  const lash = Math.max(1, EYE.lashWidth * rig.width);
  const stride = base.width * 3;
  const { x: bx, y: by, width: bw, height: bh } = w.bounds;
  for (let y = by; y < by + bh; y++) {
    for (let x = bx; x < bx + bw; x++) {
      const dx = x - cx, dy = y - cy;
      const u = dx * ax + dy * ay;
      const v = dx * nx + dy * ny;
      const o = y * stride + x * 3;
      if (u <= -half || u >= half || v <= w.vTop || v >= w.vBottom) {
        // Inside the box but outside the lid area: the unchanged image.
        sampleBilinearInto(base, x, y, out, o);
        continue;
      }
      const up = lidAt(rig.upperLid, rig.width, u);
      const low = lidAt(rig.lowerLid, rig.width, u);
      const lidEdge = up + b * EYE.closeReach * Math.max(0, low - up);
      let vs = v;
      if (v < lidEdge && lidEdge > up) vs = w.vTop + ((v - w.vTop) * (up - w.vTop)) / (lidEdge - w.vTop);
      sampleBilinearInto(base, cx + u * ax + vs * nx, cy + u * ay + vs * ny, out, o);
      if (b > 0.05 && v < lidEdge + 0.5 && v > lidEdge - lash) {
        const k = 1 - EYE.lashDarken * b * (1 - (lidEdge - v) / lash) * clamp((low - up) / 2, 0, 1);
        out[o] *= k; out[o + 1] *= k; out[o + 2] *= k;
      }
    }
  }
}
