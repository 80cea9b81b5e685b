// Several faces in one picture: one frame renderer per face, each redrawing only its own moving
// region into the same frame buffer, in one pass over the frame. A frame then costs the sum of
// the faces' regions, which in a group picture are each smaller than a lone portrait's face:
// two faces do not cost two frames. Where two regions touch, the face drawn later (further
// right) wins only where its own warp moves pixels: blocks it never moves are left alone. While
// a face listens its mouth is pressed shut, and it is drawn from the picture with that mouth
// baked in (shut-mouth.ts): a listener costs about what its head motion does, not its lips.
import type { FaceRig, FrameParams, Rect, RgbImage } from '../core/types.js';
import { createFrameRenderer, type FrameRenderer, type RendererOptions } from './index.js';
import { renderKernels } from './kernels.js';
import type { Overlay } from './overlay.js';

export interface ComposedRenderer {
  readonly width: number;
  readonly height: number;
  /** Each face's redrawn rectangle, in the order of the rigs. */
  readonly regions: readonly Rect[];
  newFrame(): Uint8Array;
  /** Renders every face's region into `out`; `params[i]` drives face i. */
  renderInto(out: Uint8Array, params: readonly FrameParams[]): void;
}

/** `yuv`: the base's and the background's yuv420p where the caller has them (RendererOptions), shared by every face. */
export function createComposedRenderer(base: RgbImage, rigs: readonly FaceRig[], overlays: readonly Overlay[] = [], yuv?: RendererOptions['yuv']): ComposedRenderer {
  const parts: FrameRenderer[] = rigs.map((rig) => createFrameRenderer(base, rig, overlays, renderKernels(), { bakeShutMouth: true, ...(yuv ? { yuv } : {}) }));
  return {
    width: base.width,
    height: base.height,
    regions: parts.map((p) => p.region),
    newFrame: () => parts[0].newFrame(),
    renderInto(out, params) {
      for (let i = 0; i < parts.length; i++) parts[i].renderInto(out, params[i]);
    },
  };
}
