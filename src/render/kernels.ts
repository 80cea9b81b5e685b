// The per-frame loops that touch most moving blocks (trace.ts traceBlocks, warp.ts warpJawBlocks,
// sample.ts sampleBlocks, pixels.ts drawJawBlocks), in TypeScript or in the native addon native/render (built by scripts/setup.mjs),
// which computes the same numbers in the same order: frames are byte-identical either way, and
// without the addon (not built) the TypeScript runs, about three times slower.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Point } from '../core/types.js';
import type { BlockList } from './blocks.js';
import type { HeadMotion } from './head.js';
import { newPixelSource } from './map.js';
import { MOUTH, type MouthWarp } from './mouth.js';
import { SampleAction, sampleBlocks } from './sample.js';
import { drawJawBlocks } from './pixels.js';
import { traceBlocks, type BlockWeights } from './trace.js';
import { warpJawBlocks } from './warp.js';
import type { YuvPlanes } from './yuv.js';

export interface RenderKernels {
  readonly name: 'native' | 'js';
  traceBlocks(list: BlockList, w: BlockWeights, m: HeadMotion | null, pivot: Point, qx: Float64Array, qy: Float64Array): void;
  warpJawBlocks(mouth: MouthWarp, jaw: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array): void;
  drawJawBlocks(mouth: MouthWarp, list: BlockList, positions: Int32Array, action: Uint8Array, qx: Float64Array, qy: Float64Array, src: YuvPlanes, out: YuvPlanes): void;
  sampleBlocks(list: BlockList, action: Uint8Array, qx: Float64Array, qy: Float64Array, src: YuvPlanes, bg: YuvPlanes, out: YuvPlanes, fresh: Uint8Array): void;
}

const jawScratch = newPixelSource();
export const JS_KERNELS: RenderKernels = Object.freeze({
  name: 'js', traceBlocks, sampleBlocks,
  warpJawBlocks: (mouth: MouthWarp, jaw: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array) => warpJawBlocks(mouth, jaw, qx, qy, action, jawScratch),
  drawJawBlocks: (mouth: MouthWarp, list: BlockList, positions: Int32Array, action: Uint8Array, qx: Float64Array, qy: Float64Array, src: YuvPlanes, out: YuvPlanes) =>
    drawJawBlocks(mouth, list, positions, action, qx, qy, src, out, jawScratch),
});

/** What native/render/render_addon.cc exports (its argument lists are spelled out there). */
interface RenderAddon {
  traceBlocks(n: number, x: Int32Array, y: Int32Array, b: Int32Array, weight: Float32Array, depth: Float32Array, body: Float32Array,
    motion: Float64Array | null, qx: Float64Array, qy: Float64Array): void;
  warpJawBlocks(n: number, jaw: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array, gridX: Float32Array, gridY: Float32Array,
    cols: number, rows: number, x0: number, y0: number, step: number, maxStretch: number, block: number, pixels: number): void;
  drawJawBlocks(n: number, positions: Int32Array, action: Uint8Array, qx: Float64Array, qy: Float64Array, x: Int32Array, y: Int32Array,
    gridX: Float32Array, gridY: Float32Array, cols: number, rows: number, x0: number, y0: number, step: number, pixels: number,
    width: number, height: number, srcY: Uint8Array, srcU: Uint8Array, srcV: Uint8Array, outY: Uint8Array, outU: Uint8Array, outV: Uint8Array): void;
  sampleBlocks(n: number, x: Int32Array, y: Int32Array, b: Int32Array, action: Uint8Array, qx: Float64Array, qy: Float64Array, width: number, height: number,
    srcY: Uint8Array, srcU: Uint8Array, srcV: Uint8Array, bgY: Uint8Array, bgU: Uint8Array, bgV: Uint8Array,
    outY: Uint8Array, outU: Uint8Array, outV: Uint8Array, fresh: Uint8Array): void;
}

export const RENDER_ADDON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'native', 'render', 'build', 'Release', 'render_addon.node');

function nativeKernels(addon: RenderAddon): RenderKernels {
  // One motion buffer per kernel set: a renderer calls it from one thread, one frame at a time.
  const motion = new Float64Array(10);
  const kernels: RenderKernels = {
    name: 'native',
    traceBlocks(list, w, m, pivot, qx, qy) {
      if (m) {
        motion[0] = m.a11; motion[1] = m.a12; motion[2] = m.a21; motion[3] = m.a22;
        motion[4] = m.tx; motion[5] = m.ty; motion[6] = m.sx; motion[7] = m.sy; motion[8] = pivot.x; motion[9] = pivot.y;
      }
      addon.traceBlocks(list.n, list.x, list.y, list.b, w.weight, w.depth, w.body, m ? motion : null, qx, qy);
    },
    warpJawBlocks(mouth, jaw, qx, qy, action) {
      addon.warpJawBlocks(jaw.length, jaw, qx, qy, action, mouth.gridX, mouth.gridY, mouth.gridCols, mouth.gridRows, mouth.bounds.x, mouth.bounds.y,
        MOUTH.gridStep, MOUTH.maxBlockStretch, SampleAction.Block, SampleAction.JawPixels);
    },
    drawJawBlocks(mouth, list, positions, action, qx, qy, src, out) {
      addon.drawJawBlocks(positions.length, positions, action, qx, qy, list.x, list.y, mouth.gridX, mouth.gridY, mouth.gridCols, mouth.gridRows,
        mouth.bounds.x, mouth.bounds.y, MOUTH.gridStep, SampleAction.JawPixels, src.width, src.height, src.y, src.u, src.v, out.y, out.u, out.v);
    },
    sampleBlocks(list, action, qx, qy, src, bg, out, fresh) {
      addon.sampleBlocks(list.n, list.x, list.y, list.b, action, qx, qy, src.width, src.height,
        src.y, src.u, src.v, bg.y, bg.u, bg.v, out.y, out.u, out.v, fresh);
    },
  };
  return Object.freeze(kernels);
}

let loaded: RenderKernels | null = null;

/** The native kernels when the addon is built, else the TypeScript ones. */
export function renderKernels(): RenderKernels {
  if (loaded) return loaded;
  try {
    loaded = nativeKernels(createRequire(import.meta.url)(RENDER_ADDON) as RenderAddon);
  } catch {
    loaded = JS_KERNELS;
  }
  return loaded;
}
