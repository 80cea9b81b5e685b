// The renderer's region is cut into 2x2 pixel blocks (one chroma sample each). What moves a block
// is decided once, when the renderer is made (classify.ts); each frame visits the blocks that can
// move, as flat lists the passes walk. Pure.
import type { Rect } from '../core/types.js';

/** What moves a block; decided once per renderer. */
export const BlockKind = Object.freeze({
  /** Never changes: keeps the background every frame buffer starts with. */
  Still: 0,
  /** Moves only with the head: traced once per block, at its centre. */
  Head: 1,
  /** In the smooth part of the mouth warp (jaw, chin, neck): per block through the warp's grid. */
  Jaw: 2,
  /**
   * Near the lips or the lids, where the warps have edges or draw colour: per pixel in the
   * frames where they are near it, otherwise as its calm kind (BlockMap.calm).
   */
  Edge: 3,
  /** In the smooth brow part of an eye's warp (which eye: BlockMap.eye): per block. */
  Brow: 4,
  /** Moves only with the breathing of the shoulders: drawn by the breathing band (body.ts). */
  Body: 5,
});
export type BlockKind = (typeof BlockKind)[keyof typeof BlockKind];

/** Blocks i0 .. i0 + n - 1 of block row j; `off` counts the blocks of all earlier runs. */
export interface BlockRun { readonly j: number; readonly i0: number; readonly n: number; readonly off: number }

/**
 * The runs, row by row, of the blocks (row-major, `bw` per row, `bh` rows) that `keep` selects:
 * the breathing band copies whole stretches of a row at a time.
 */
export function blockRuns(bw: number, bh: number, keep: (b: number) => boolean): BlockRun[] {
  const runs: BlockRun[] = [];
  let off = 0;
  for (let j = 0; j < bh; j++) {
    for (let i = 0; i < bw;) {
      if (!keep(j * bw + i)) { i++; continue; }
      const i0 = i;
      while (i < bw && keep(j * bw + i)) i++;
      runs.push({ j, i0, n: i - i0, off });
      off += i - i0;
    }
  }
  return runs;
}

/** Blocks as flat lists: block index (row-major over the region) and top-left pixel of each. */
export interface BlockList {
  readonly n: number;
  readonly b: Int32Array;
  readonly x: Int32Array;
  readonly y: Int32Array;
}

/** The blocks of `region` (`bw` per row) that `keep` selects, in row-major order. */
export function blockList(region: Rect, bw: number, bh: number, keep: (b: number) => boolean): BlockList {
  const picked: number[] = [];
  for (let b = 0; b < bw * bh; b++) if (keep(b)) picked.push(b);
  const n = picked.length, b = Int32Array.from(picked);
  const x = new Int32Array(n), y = new Int32Array(n);
  for (let i = 0; i < n; i++) { x[i] = region.x + 2 * (b[i] % bw); y[i] = region.y + 2 * Math.floor(b[i] / bw); }
  return { n, b, x, y };
}
