// The shoulders' breathing, cached. Below and beside the head only breathing moves the picture:
// each pixel there rises by its own fixed share of one number, the lift. So the band is drawn
// once per lift step (a sixteenth of a pixel, far below what an eye can tell apart) and later
// frames copy it row by row. This area is about as large as the head's, and copying it costs a
// fraction of tracing it, which frees the cores for the encoder. Pure apart from its own cache.
import type { Point, Rect } from '../core/types.js';
import { sampleBlockInto } from './sample.js';
import type { YuvPlanes } from './yuv.js';

export const BODY = Object.freeze({
  /** Lift quantum, px. */
  liftStep: 1 / 16,
  /** Cache bound per renderer; lifts past it are drawn each time into a scratch copy. */
  maxCacheBytes: 32 << 20,
});

/** A horizontal run of band blocks: block row, first block column, length, offset into a level's packed blocks. */
interface Run { readonly j: number; readonly i0: number; readonly n: number; readonly off: number }

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
 * `inBand[b]` marks the blocks (2x2, row-major over `region`, `bw` per row) that only breathe;
 * `weight[b]` is each one's share of the lift; `normal` the direction a positive lift moves the
 * picture's content by (as in the head motion's translation).
 */
export function createBreathingBand(src: YuvPlanes, background: YuvPlanes, region: Rect, bw: number, inBand: Uint8Array, weight: Float32Array, normal: Point): BreathingBand {
  const runs: Run[] = [];
  let blocks = 0;
  const bh = inBand.length / bw;
  for (let j = 0; j < bh; j++) {
    for (let i = 0; i < bw;) {
      if (!inBand[j * bw + i]) { i++; continue; }
      const i0 = i;
      while (i < bw && inBand[j * bw + i]) i++;
      runs.push({ j, i0, n: i - i0, off: blocks });
      blocks += i - i0;
    }
  }
  const newLevel = (): Level => ({ y: new Uint8Array(4 * blocks), u: new Uint8Array(blocks), v: new Uint8Array(blocks) });
  const cache = new Map<number, Level>();
  const maxLevels = Math.floor(BODY.maxCacheBytes / Math.max(1, 6 * blocks));
  let scratch: Level | null = null;
  const width = src.width;

  const draw = (level: number, into: Level): void => {
    const lift = level * BODY.liftStep;
    for (const r of runs) {
      const y0 = region.y + 2 * r.j;
      for (let k = 0; k < r.n; k++) {
        const b = r.j * bw + r.i0 + k;
        const shift = weight[b] * lift;
        const qx = region.x + 2 * (r.i0 + k) + 0.5 - shift * normal.x, qy = y0 + 0.5 - shift * normal.y;
        sampleBlockInto(src, qx, qy, into.y, 4 * r.off + 2 * k, 2 * r.n, into.u, into.v, r.off + k);
      }
    }
  };

  return {
    blocks,
    drawInto(out, lift, fresh) {
      const level = Math.round(lift / BODY.liftStep);
      const cw = width >> 1;
      if (level === 0) {
        for (const r of runs) {
          const y0 = region.y + 2 * r.j, x0 = region.x + 2 * r.i0, len = 2 * r.n;
          const a = y0 * width + x0, c = (y0 >> 1) * cw + (x0 >> 1);
          out.y.set(background.y.subarray(a, a + len), a);
          out.y.set(background.y.subarray(a + width, a + width + len), a + width);
          out.u.set(background.u.subarray(c, c + r.n), c);
          out.v.set(background.v.subarray(c, c + r.n), c);
          fresh.fill(0, r.j * bw + r.i0, r.j * bw + r.i0 + r.n);
        }
        return;
      }
      let l = cache.get(level);
      if (!l) {
        if (cache.size < maxLevels) { l = newLevel(); cache.set(level, l); } else l = scratch ??= newLevel();
        draw(level, l);
      }
      for (const r of runs) {
        const y0 = region.y + 2 * r.j, x0 = region.x + 2 * r.i0, len = 2 * r.n;
        const a = y0 * width + x0, c = (y0 >> 1) * cw + (x0 >> 1), o = 4 * r.off;
        out.y.set(l.y.subarray(o, o + len), a);
        out.y.set(l.y.subarray(o + len, o + 2 * len), a + width);
        out.u.set(l.u.subarray(r.off, r.off + r.n), c);
        out.v.set(l.v.subarray(r.off, r.off + r.n), c);
        fresh.fill(1, r.j * bw + r.i0, r.j * bw + r.i0 + r.n);
      }
    },
  };
}
