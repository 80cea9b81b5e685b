// The two per-frame loops that touch every moving block (trace.ts traceBlocks, sample.ts
// sampleBlocks), in TypeScript or in the native addon (native/render), which computes the same
// numbers in the same order, so frames are byte-identical either way.
import type { Point } from '../core/types.js';
import type { BlockList } from './blocks.js';
import type { HeadMotion } from './head.js';
import { sampleBlocks } from './sample.js';
import { traceBlocks, type BlockWeights } from './trace.js';
import type { YuvPlanes } from './yuv.js';

export interface RenderKernels {
  readonly name: 'native' | 'js';
  traceBlocks(list: BlockList, w: BlockWeights, m: HeadMotion | null, pivot: Point, qx: Float64Array, qy: Float64Array): void;
  sampleBlocks(list: BlockList, action: Uint8Array, qx: Float64Array, qy: Float64Array, src: YuvPlanes, bg: YuvPlanes, out: YuvPlanes, fresh: Uint8Array): void;
}

export const JS_KERNELS: RenderKernels = Object.freeze({ name: 'js', traceBlocks, sampleBlocks });

export function renderKernels(): RenderKernels {
  return JS_KERNELS;
}
