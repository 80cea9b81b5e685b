// Pass 1, once per renderer: what moves each 2x2 block of the region (BlockKind), and the head
// and shoulder weights each block shares between its four pixels. Pure.
import type { Rect } from '../core/types.js';
import { BlockKind } from './blocks.js';

/** Per-pixel masks of the head motion over `bounds` (see head.ts HeadWarp). */
export interface HeadMasks {
  readonly bounds: Rect;
  readonly weight: Float32Array;
  readonly weightDepth: Float32Array;
  readonly bodyWeight: Float32Array;
}

/** Where the warps act: what classification needs to know of the face, not how it moves. */
export interface WarpAreas {
  readonly head: HeadMasks | null;
  /** Everything each eye's warp can change (brow included), and the part around its lids. */
  readonly eyeBoxes: readonly Rect[];
  readonly lidBoxes: readonly Rect[];
  readonly mouthBox: Rect | null;
  /** Whether the lips can come within `margin` px of (x, y) in any frame. */
  readonly nearLips: (x: number, y: number, margin: number) => boolean;
  /** How far (px) the head motion can move a base point: areas are grown by it. */
  readonly slack: number;
}

export interface BlockMap {
  /** Blocks per row and rows (the region's size / 2). */
  readonly bw: number;
  readonly bh: number;
  readonly kind: Uint8Array;
  /** What an Edge block is in a frame where neither the lips nor a lid is near it: Head, Jaw or Brow. */
  readonly calm: Uint8Array;
  /** For Brow blocks (and Edge blocks calm as Brow): which eye. */
  readonly eye: Uint8Array;
  /** Mean over the block's pixels of the head weight, weight x depth and shoulder weight. */
  readonly weight: Float32Array;
  readonly depth: Float32Array;
  readonly body: Float32Array;
}

const inside = (r: Rect, x: number, y: number): boolean => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;

/** Accumulates the head masks' mean over block b's four pixels (in float32 steps, as stored). */
function addBlockWeights(map: BlockMap, head: HeadMasks, b: number, x0: number, y0: number): void {
  const hb = head.bounds;
  for (let k = 0; k < 4; k++) {
    const x = x0 + (k & 1), y = y0 + (k >> 1);
    if (!inside(hb, x, y)) continue;
    const hi = (y - hb.y) * hb.width + (x - hb.x);
    map.weight[b] += head.weight[hi] / 4;
    map.depth[b] += head.weightDepth[hi] / 4;
    map.body[b] += head.bodyWeight[hi] / 4;
  }
}

/**
 * Classifies every block of `region` (even-aligned). A block is judged at its centre, with the
 * warps' areas grown by the head motion's reach: a block that could land on the lips or an eye
 * in some frame is an Edge block.
 */
export function classifyBlocks(region: Rect, areas: WarpAreas): BlockMap {
  const bw = region.width >> 1, bh = region.height >> 1, n = bw * bh;
  const map: BlockMap = {
    bw, bh, kind: new Uint8Array(n), calm: new Uint8Array(n), eye: new Uint8Array(n),
    weight: new Float32Array(n), depth: new Float32Array(n), body: new Float32Array(n),
  };
  const { slack, mouthBox: mb } = areas;
  for (let j = 0; j < bh; j++) {
    for (let i = 0; i < bw; i++) {
      const b = j * bw + i, x0 = region.x + 2 * i, y0 = region.y + 2 * j;
      if (areas.head) addBlockWeights(map, areas.head, b, x0, y0);
      const cx = x0 + 0.5, cy = y0 + 0.5;
      const grown = (r: Rect) => cx >= r.x - slack && cx < r.x + r.width + slack && cy >= r.y - slack && cy < r.y + r.height + slack;
      const brow = areas.eyeBoxes.findIndex(grown);
      let smooth: BlockKind = BlockKind.Still;
      if (brow >= 0) { smooth = BlockKind.Brow; map.eye[b] = brow; }
      else if (mb && grown(mb)) smooth = BlockKind.Jaw;
      else if (map.weight[b] > 0) smooth = BlockKind.Head;
      else if (map.body[b] > 0) smooth = BlockKind.Body;
      const edges = areas.lidBoxes.some(grown) || (mb !== null && grown(mb) && areas.nearLips(cx, cy, slack));
      map.kind[b] = edges ? BlockKind.Edge : smooth;
      map.calm[b] = smooth === BlockKind.Still || smooth === BlockKind.Body ? BlockKind.Head : smooth;
    }
  }
  return map;
}
