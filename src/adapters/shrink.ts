// The models read small inputs (256-512 px), but hand their input to the WebAssembly heap at its
// own size (as int32: 12 bytes a pixel), and a wasm heap never gives memory back: a 23-megapixel
// photo held the render process at 1 GB. Each model's adapter shrinks a large picture first.
import sharp from 'sharp';
import type { RgbImage } from '../core/types.js';

/**
 * `image` scaled down (Lanczos 3, sharp's default) to at most `maxSide` pixels on its longer side,
 * and the scale applied (1: the same image, not copied). A point p of the result is p / scale in
 * `image`.
 */
export async function shrinkTo(image: RgbImage, maxSide: number): Promise<{ readonly image: RgbImage; readonly scale: number }> {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  if (scale >= 1) return { image, scale: 1 };
  const w = Math.max(1, Math.round(image.width * scale)), h = Math.max(1, Math.round(image.height * scale));
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(w, h, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return { image: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: w, height: h }, scale };
}
