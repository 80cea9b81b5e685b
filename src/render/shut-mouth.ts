// A listener's mouth is pressed shut for most of a dialogue, yet the lips' blocks were traced
// pixel by pixel through the mouth warp every frame: the one per-face cost that cannot change
// anything the head motion does not already move. For such frames the renderer draws the face
// from a copy of the clean picture with the shut mouth baked in (drawn once, per pixel, exactly
// as the full pass draws it with the head still) and no mouth warp: the lips and jaw go as plain
// head-moved blocks. With the head still, the frame is byte-identical to the full pass; while it
// moves, the lips are resampled from the baked picture rather than traced through the warp from
// the clean one (a second bilinear step, and one head displacement per 2x2 block instead of per
// pixel): differences of a level or two of luma at the lip line (test/unit/shut-mouth.test.ts
// measures them). Pure.
import type { FrameParams, Rect } from '../core/types.js';
import { BlockKind, type BlockList } from './blocks.js';
import type { BlockMap } from './classify.js';
import type { RenderKernels } from './kernels.js';
import { updateMouthInPlace } from './mouth.js';
import type { MouthWarp } from './mouth-config.js';
import { blendOverlayYuvInPlace, type Overlay } from './overlay.js';
import type { PixelScene } from './pixels.js';
import { SampleAction } from './sample.js';
import type { FaceWarps } from './warp.js';
import type { YuvPlanes } from './yuv.js';

/** As updateMouthInPlace rounds the parameters. */
const q = (x: number | undefined): number => Math.round((x ?? 0) * 1000) / 1000;

/**
 * Whether a frame's mouth is pressed shut (what silence gives: no jaw, lips pressed, no other
 * articulation; the prompt's smile may be anything). A function of the frame's parameters only.
 */
export function isShut(p: FrameParams): boolean {
  return q(p.jaw) === 0 && q(p.lipPress) === 1 && q(p.lipRound) === 0 && q(p.lipSpread) === 0 && q(p.upperLipRaise) === 0;
}

const copyPlanes = (p: YuvPlanes): YuvPlanes => ({ width: p.width, height: p.height, y: new Uint8Array(p.y), u: new Uint8Array(p.u), v: new Uint8Array(p.v) });

export interface ShutMouth {
  /** The clean picture and the background (with overlays), each with the shut mouth baked in. */
  readonly src: YuvPlanes;
  readonly bg: YuvPlanes;
  /** Bakes the frame's shut mouth (smile included) unless it is the one baked already; returns the planes. */
  planesFor(p: FrameParams): { readonly src: YuvPlanes; readonly bg: YuvPlanes };
}

/** What the renderer already has: its clean picture and background, blocks, classification and kernels. */
export interface ShutMouthScene {
  readonly src: YuvPlanes;
  readonly bg: YuvPlanes;
  readonly mouth: MouthWarp;
  readonly list: BlockList;
  readonly map: BlockMap;
  readonly kernels: RenderKernels;
  readonly overlays: readonly { o: Overlay; clip: Rect }[];
}

/**
 * The blocks (positions in `list`) the mouth warp draws while the eyes do not: Jaw blocks and
 * Edge blocks whose calm kind is Jaw (the lips). The shut frames draw them as head blocks.
 */
export function mouthBlocks(list: BlockList, map: BlockMap): Int32Array {
  return Int32Array.from({ length: list.n }, (_, i) => i).filter((i) => {
    const b = list.b[i];
    return map.kind[b] === BlockKind.Jaw || (map.kind[b] === BlockKind.Edge && map.calm[b] === BlockKind.Jaw);
  });
}

export function createShutMouth({ src, bg, mouth, list, map, kernels, overlays }: ShutMouthScene): ShutMouth {
  const shutSrc = copyPlanes(src), shutBg = copyPlanes(bg);
  const own = mouthBlocks(list, map);
  const jaw = own.filter((i) => map.kind[list.b[i]] === BlockKind.Jaw), lips = own.filter((i) => map.kind[list.b[i]] === BlockKind.Edge);
  const qx = new Float64Array(list.n), qy = new Float64Array(list.n), action = new Uint8Array(list.n), fresh = new Uint8Array(map.bw * map.bh);
  // The mouth's blocks exactly as the full pass draws them with the head still, the eyes left out.
  const warps: FaceWarps = { mouth, mouthBox: mouth.bounds, eyes: [], eyeBoxes: [] };
  const scene: PixelScene = { src, warps, head: null, pivot: { x: 0, y: 0 } };
  const width = src.width, cw = width >> 1;
  let baked: string | null = null;
  const planes = { src: shutSrc, bg: shutBg };
  return {
    ...planes,
    planesFor(p) {
      updateMouthInPlace(mouth, p, kernels.mouthFill);
      if (mouth.key === baked) return planes;
      // Blocks not the mouth's are skipped by every pass below (none of them is a plain block).
      action.fill(SampleAction.EdgePixels);
      for (const i of own) { qx[i] = list.x[i] + 0.5; qy[i] = list.y[i] + 0.5; }
      kernels.warpJawBlocks(mouth, jaw, qx, qy, action);
      kernels.warpBlocks(scene, map, list, lips, qx, qy, action);
      // Unmoved blocks are copied from the clean picture: the baked picture carries no overlays.
      kernels.sampleBlocks(list, action, qx, qy, src, src, shutSrc, fresh);
      kernels.drawJawBlocks(mouth, list, own, action, qx, qy, src, shutSrc);
      kernels.drawEdgeBlocks(scene, list, own, action, null, shutSrc);
      // The background: the baked blocks with the overlays blended on, as the overlay pass
      // blends them on drawn blocks.
      for (const i of own) {
        const x = list.x[i], y = list.y[i], d = y * width + x, c = (y >> 1) * cw + (x >> 1);
        shutBg.y[d] = shutSrc.y[d]; shutBg.y[d + 1] = shutSrc.y[d + 1]; shutBg.y[d + width] = shutSrc.y[d + width]; shutBg.y[d + width + 1] = shutSrc.y[d + width + 1];
        shutBg.u[c] = shutSrc.u[c]; shutBg.v[c] = shutSrc.v[c];
        for (const { o } of overlays) blendOverlayYuvInPlace(shutBg, o, { x, y, width: 2, height: 2 });
      }
      baked = mouth.key;
      return planes;
    },
  };
}
