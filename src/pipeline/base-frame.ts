// The base frame of a video: the codec scales the picture's region (the only pixel I/O), the
// render stage places it and continues the backdrop into a padded frame's margins.
import type { ImageCodec, PersonMask } from '../core/ports.js';
import type { FrameLayout, RgbImage } from '../core/types.js';
import { composeBaseFrame, placePicture } from '../render/index.js';

/** `image` cropped and scaled into the frame as `layout` says; a padded frame's margins continue its backdrop (told from the person by `person`). */
export async function baseFrame(codec: ImageCodec, image: RgbImage, layout: FrameLayout, person?: PersonMask | null): Promise<RgbImage> {
  const placement = placePicture(image.width, image.height, layout);
  const scaled = await codec.resizeRegion(image, placement.region, placement.width, placement.height);
  return composeBaseFrame(scaled, placement, layout, image, person);
}
