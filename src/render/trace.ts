// Pass 2, per frame: each visited block's centre traced back through the head motion to the
// point of the base frame it shows. The back-trace of one point is written once here and serves
// the blocks and the per-pixel blocks alike. Pure.
import type { Point } from '../core/types.js';
import type { BlockList } from './blocks.js';
import type { HeadMotion } from './head.js';

/** A point being traced; reused to avoid allocation. */
export interface Traced { x: number; y: number }

/**
 * The base-frame point that (x, y) shows under head motion `m` about `pivot`, for head weight
 * `w`, weight x depth `wd` and shoulder weight `wb` there: p - (w (A (p - pivot) + t) + wd s + wb t).
 */
export function headTrace(m: HeadMotion, pivot: Point, x: number, y: number, w: number, wd: number, wb: number, out: Traced): void {
  const px = x - pivot.x, py = y - pivot.y;
  out.x = x - (w * (m.a11 * px + m.a12 * py + m.tx) + wd * m.sx + wb * m.tx);
  out.y = y - (w * (m.a21 * px + m.a22 * py + m.ty) + wd * m.sy + wb * m.ty);
}

/** Per-block mean weights, indexed by block (see BlockMap). */
export interface BlockWeights { readonly weight: Float32Array; readonly depth: Float32Array; readonly body: Float32Array }

/**
 * Traces the centre of every block of `list` into (qx[i], qy[i]); `m` null (the head still):
 * every centre shows itself.
 */
export function traceBlocks(list: BlockList, w: BlockWeights, m: HeadMotion | null, pivot: Point, qx: Float64Array, qy: Float64Array): void {
  const t: Traced = { x: 0, y: 0 };
  for (let i = 0; i < list.n; i++) {
    const cx = list.x[i] + 0.5, cy = list.y[i] + 0.5;
    if (m === null) { qx[i] = cx; qy[i] = cy; continue; }
    const b = list.b[i];
    headTrace(m, pivot, cx, cy, w.weight[b], w.depth[b], w.body[b], t);
    qx[i] = t.x; qy[i] = t.y;
  }
}
