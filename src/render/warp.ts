// Pass 3, per frame: the blocks the face's warps act on (Jaw, Brow and Edge kinds) after their
// centres were traced through the head motion. Each is sent on through the mouth or eye warp as
// one block, or marked to be drawn per pixel where the lips or a lid are near it this frame or
// the mouth warp squeezes it. Pure.
import type { Rect } from '../core/types.js';
import { BlockKind, type BlockList } from './blocks.js';
import type { BlockMap } from './classify.js';
import type { EyeWarp } from './eye-config.js';
import { mapEye } from './eyes.js';
import type { PixelSource } from './map.js';
import { MOUTH, type MouthWarp } from './mouth-config.js';
import { mapMouthSmooth, mouthStretchAt, nearLipsNow } from './mouth-map.js';
import { SampleAction } from './sample.js';

/** The face's warps (updated for the frame) and the areas they act on. */
export interface FaceWarps {
  readonly mouth: MouthWarp | null;
  readonly mouthBox: Rect | null;
  readonly eyes: readonly EyeWarp[];
  readonly eyeBoxes: readonly Rect[];
}

/**
 * How close (px) a block centre may come to this frame's lips or lids and still be traced once
 * per block: its pixels are a pixel away, and the mouth grid's nodes a grid step.
 */
export const EDGE_MARGIN = MOUTH.gridStep + 2;

/** Whether this frame's lips or a lid come within EDGE_MARGIN of base-frame point (x, y). */
export function edgesNear(w: FaceWarps, x: number, y: number): boolean {
  for (const e of w.eyes) {
    const r = e.lidBounds;
    if (x >= r.x - EDGE_MARGIN && x < r.x + r.width + EDGE_MARGIN && y >= r.y - EDGE_MARGIN && y < r.y + r.height + EDGE_MARGIN) return true;
  }
  return w.mouth !== null && nearLipsNow(w.mouth, x, y, EDGE_MARGIN);
}

/**
 * For the Jaw blocks `jaw` (positions in the block list) sets action[i] and moves (qx[i], qy[i])
 * on through the smooth part of the mouth warp, as mouth-map.ts mapMouthSmooth does; a block the warp
 * squeezes (mouthStretchAt > MOUTH.maxBlockStretch) keeps its head-traced centre and is drawn
 * per pixel, starting from it. The hot half of this pass: a kernel (kernels.ts).
 */
export function warpJawBlocks(mouth: MouthWarp, jaw: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array, s: PixelSource): void {
  for (let n = 0; n < jaw.length; n++) warpJawBlock(mouth, jaw[n], qx, qy, action, s);
}

function warpJawBlock(mouth: MouthWarp, i: number, qx: Float64Array, qy: Float64Array, action: Uint8Array, s: PixelSource): void {
  if (mouthStretchAt(mouth, qx[i], qy[i]) > MOUTH.maxBlockStretch) { action[i] = SampleAction.JawPixels; return; }
  action[i] = SampleAction.Block;
  mapMouthSmooth(mouth, qx[i], qy[i], s);
  qx[i] = s.x; qy[i] = s.y;
}

/**
 * For the Edge and Brow blocks `warped` (positions in `list`) sets action[i] and moves
 * (qx[i], qy[i]) on through the block's warp where it is drawn as a block: an Edge block with
 * neither the lips nor a lid near it this frame goes as its calm kind.
 */
export function warpBlocks(w: FaceWarps, map: BlockMap, list: BlockList, warped: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array, s: PixelSource): void {
  for (let n = 0; n < warped.length; n++) {
    const i = warped[n], b = list.b[i];
    let kind = map.kind[b];
    if (kind === BlockKind.Edge) {
      if (edgesNear(w, qx[i], qy[i])) { action[i] = SampleAction.EdgePixels; continue; }
      kind = map.calm[b];
    }
    if (kind === BlockKind.Jaw) { warpJawBlock(w.mouth!, i, qx, qy, action, s); continue; }
    action[i] = SampleAction.Block;
    if (kind !== BlockKind.Brow) continue;
    mapEye(w.eyes[map.eye[b]], qx[i], qy[i], s);
    qx[i] = s.x; qy[i] = s.y;
  }
}
