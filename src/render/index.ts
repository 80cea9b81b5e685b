// Render stage: a base frame, a face rig and per-frame parameters in, rgb24 frames out.
// Only the regions that move are rewritten; every output buffer starts as a copy of the
// finished background (base + overlays), so the rest of the frame costs nothing per frame.
import { intersectRects } from '../core/geometry.js';
import type { FaceRig, FrameParams, Rect, RgbImage } from '../core/types.js';
import { prepareEye, renderEyeInto, type EyeWarp } from './eyes.js';
import { mouthBounds, prepareMouth, renderMouthInto, updateMouthTablesInPlace, type MouthWarp } from './mouth.js';
import { blendOverlayInPlace, overlayRect, type Overlay } from './overlay.js';

export { planLayout, fixedMinSideSize, guessFaceBox, toFrameCoords, rectToFrame } from './layout.js';
export { MOUTH } from './mouth.js';
export { EYE } from './eyes.js';
export type { Overlay } from './overlay.js';

export interface FrameRenderer {
  /** Rectangles rewritten each frame; everything else stays as the background. */
  readonly regions: readonly Rect[];
  /** A new frame buffer holding the background. */
  newFrame(): Uint8Array;
  /** Renders one frame's moving regions into `out`, a buffer from newFrame(). */
  renderInto(out: Uint8Array, params: FrameParams): void;
}

export function createFrameRenderer(base: RgbImage, rig: FaceRig, overlays: readonly Overlay[] = []): FrameRenderer {
  const mouth: MouthWarp | null = rig.mouth && prepareMouth(base, rig.mouth);
  const eyes: EyeWarp[] = rig.eyes.map((e) => prepareEye(base, e));
  const regions = [...(mouth ? [mouthBounds(mouth)] : []), ...eyes.map((e) => e.bounds)];
  const background = new Uint8Array(base.data);
  const full = { x: 0, y: 0, width: base.width, height: base.height };
  for (const o of overlays) blendOverlayInPlace(background, base.width, o, full);
  // Overlays that a moving region paints over must be blended again after that region.
  const overlayClips = overlays.flatMap((o) =>
    regions.map((r) => intersectRects(r, overlayRect(o))).filter((c): c is Rect => c !== null).map((clip) => ({ o, clip })));
  return {
    regions,
    newFrame: () => new Uint8Array(background),
    renderInto(out, params) {
      if (mouth) {
        updateMouthTablesInPlace(mouth, params.jaw);
        renderMouthInto(mouth, base, out);
      }
      eyes.forEach((e, i) => renderEyeInto(e, base, out, i === 0 ? params.blinkLeft : params.blinkRight));
      for (const { o, clip } of overlayClips) blendOverlayInPlace(out, base.width, o, clip);
    },
  };
}
