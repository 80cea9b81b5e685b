// The shoulders' breathing, drawn ahead. Below and beside the head only breathing moves the
// picture: each pixel there rises by its own fixed share of one number, the lift. So the band is
// drawn once for each lift step (a sixteenth of a pixel, far below what an eye can tell apart),
// the first time a frame needs it, and frames copy it row by row. This area is about as large as
// the head's, and copying it costs a fraction of tracing it, which frees the cores for the
// encoder; the steps are bounded (BODY.maxCacheBytes), so memory stays the same whatever the
// video's length. Pure: the frames do not depend on which steps were drawn before.
import type { Point, Rect } from '../core/types.js';
import type { BlockRun } from './blocks.js';
import { sampleBlockInto } from './sample.js';
import type { YuvPlanes } from './yuv.js';

export const BODY = Object.freeze({
  /** Finest lift quantum, px. */
  liftStep: 1 / 16,
  /** Memory for the drawn steps; a bigger band gets coarser steps. */
  maxCacheBytes: 24 << 20,
});

interface Level { readonly y: Uint8Array; readonly u: Uint8Array; readonly v: Uint8Array }

export interface BreathingBand {
  /** Number of 2x2 blocks in the band. */
  readonly blocks: number;
  /**
   * Writes the band for `lift` (px along the body's up direction, as the head motion has it) into
   * `out`; marks its blocks in `fresh` as traced from the clean base (1) or copied from the
   * background (0), for the overlay pass.
   */
  drawInto(out: YuvPlanes, lift: number, fresh: Uint8Array): void;
}

/**
 * `runs` are the blocks (2x2, row-major over `region`, `bw` per row) that only breathe;
 * `weight[b]` is each one's share of the lift; `normal` the direction a positive lift moves the
 * picture's content by (as in the head motion's translation); lifts lie within +-`maxLift` px.
 */
export function createBreathingBand(src: YuvPlanes, background: YuvPlanes, region: Rect, bw: number, runs: readonly BlockRun[], weight: Float32Array, normal: Point, maxLift: number): BreathingBand {
  const blocks = runs.reduce((n, r) => n + r.n, 0);
  const width = src.width, cw = width >> 1;
  const maxSteps = Math.max(1, Math.floor(BODY.maxCacheBytes / Math.max(1, 6 * blocks) / 2));
  const step = Math.max(BODY.liftStep, maxLift / maxSteps);
  const top = Math.ceil(maxLift / step);
  // levels[top + k] holds the band lifted by k steps, drawn the first time a frame needs it (a
  // video's lifts stay within a few steps of rest for seconds, and a renderer that drew them all
  // up front kept its first frame waiting); level 0 is the background itself.
  const levels: (Level | undefined)[] = new Array(2 * top + 1);
  const level = (k: number): Level => {
    const have = levels[top + k];
    if (have) return have;
    const l = { y: new Uint8Array(4 * blocks), u: new Uint8Array(blocks), v: new Uint8Array(blocks) };
    for (const r of runs) {
      const y0 = region.y + 2 * r.j;
      for (let n = 0; n < r.n; n++) {
        const shift = weight[r.j * bw + r.i0 + n] * k * step;
        const qx = region.x + 2 * (r.i0 + n) + 0.5 - shift * normal.x, qy = y0 + 0.5 - shift * normal.y;
        sampleBlockInto(src, qx, qy, l.y, 4 * r.off + 2 * n, 2 * r.n, l.u, l.v, r.off + n);
      }
    }
    levels[top + k] = l;
    return l;
  };

  return {
    blocks,
    drawInto(out, lift, fresh) {
      const k = Math.max(-top, Math.min(top, Math.round(lift / step)));
      const l = k === 0 ? null : level(k);
      for (const r of runs) {
        const y0 = region.y + 2 * r.j, x0 = region.x + 2 * r.i0, len = 2 * r.n;
        const a = y0 * width + x0, c = (y0 >> 1) * cw + (x0 >> 1), first = r.j * bw + r.i0;
        if (!l) {
          out.y.set(background.y.subarray(a, a + len), a);
          out.y.set(background.y.subarray(a + width, a + width + len), a + width);
          out.u.set(background.u.subarray(c, c + r.n), c);
          out.v.set(background.v.subarray(c, c + r.n), c);
          fresh.fill(0, first, first + r.n);
        } else {
          const o = 4 * r.off;
          out.y.set(l.y.subarray(o, o + len), a);
          out.y.set(l.y.subarray(o + len, o + 2 * len), a + width);
          out.u.set(l.u.subarray(r.off, r.off + r.n), c);
          out.v.set(l.v.subarray(r.off, r.off + r.n), c);
          fresh.fill(1, first, first + r.n);
        }
      }
    },
  };
}
