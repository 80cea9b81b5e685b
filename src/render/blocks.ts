// Horizontal runs of 2x2 blocks: the renderer visits, and the breathing band copies, whole
// stretches of a row at a time instead of testing every block of its region each frame. Pure.

/** Blocks i0 .. i0 + n - 1 of block row j; `off` counts the blocks of all earlier runs. */
export interface BlockRun { readonly j: number; readonly i0: number; readonly n: number; readonly off: number }

/** The runs, row by row, of the blocks (row-major, `bw` per row, `bh` rows) that `keep` selects. */
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
