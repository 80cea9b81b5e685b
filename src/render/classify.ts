// Pass 1, once per renderer: what moves each 2x2 block of the region (BlockKind), and the head
// and shoulder weights each block shares between its four pixels. Pure.
import { inRect } from '../core/geometry.js';
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

/** Accumulates the head masks' mean over block b's four pixels (in float32 steps, as stored). */
function addBlockWeights(map: BlockMap, head: HeadMasks, b: number, x0: number, y0: number): void {
  const hb = head.bounds;
  for (let k = 0; k < 4; k++) {
    const x = x0 + (k & 1), y = y0 + (k >> 1);
    if (!inRect(hb, x, y)) continue;
    const hi = (y - hb.y) * hb.width + (x - hb.x);
    map.weight[b] += head.weight[hi] / 4;
    map.depth[b] += head.weightDepth[hi] / 4;
    map.body[b] += head.bodyWeight[hi] / 4;
  }
}

/** A rectangle grown by `by` on every side, as edges: x0 <= x < x1, y0 <= y < y1. */
interface Span { readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number }
const grow = (r: Rect, by: number): Span => ({ x0: r.x - by, x1: r.x + r.width + by, y0: r.y - by, y1: r.y + r.height + by });
const within = (s: Span, x: number, y: number): boolean => x >= s.x0 && x < s.x1 && y >= s.y0 && y < s.y1;

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
  const { slack, head } = areas;
  const eyes = areas.eyeBoxes.map((r) => grow(r, slack)), lids = areas.lidBoxes.map((r) => grow(r, slack));
  const mouth = areas.mouthBox && grow(areas.mouthBox, slack);
  for (let j = 0; j < bh; j++) {
    const y0 = region.y + 2 * j, cy = y0 + 0.5;
    for (let i = 0; i < bw; i++) {
      const b = j * bw + i, x0 = region.x + 2 * i, cx = x0 + 0.5;
      if (head) addBlockWeights(map, head, b, x0, y0);
      let brow = -1;
      for (let e = 0; e < eyes.length && brow < 0; e++) if (within(eyes[e], cx, cy)) brow = e;
      const atMouth = mouth !== null && within(mouth, cx, cy);
      let smooth: BlockKind = BlockKind.Still;
      if (brow >= 0) { smooth = BlockKind.Brow; map.eye[b] = brow; }
      else if (atMouth) smooth = BlockKind.Jaw;
      else if (map.weight[b] > 0) smooth = BlockKind.Head;
      else if (map.body[b] > 0) smooth = BlockKind.Body;
      let edges = false;
      for (let e = 0; e < lids.length && !edges; e++) edges = within(lids[e], cx, cy);
      if (!edges && atMouth) edges = areas.nearLips(cx, cy, slack);
      map.kind[b] = edges ? BlockKind.Edge : smooth;
      map.calm[b] = smooth === BlockKind.Still || smooth === BlockKind.Body ? BlockKind.Head : smooth;
    }
  }
  return map;
}
