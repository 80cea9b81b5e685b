// Image decoding and compositing with sharp (libvips, prebuilt binaries shipped in npm packages).
import sharp, { type Sharp } from 'sharp';
import { DhError } from '../core/errors.js';
import { clamp } from '../core/geometry.js';
import type { FrameLayout, RgbImage } from '../core/types.js';
import type { ImageCodec, PersonMask, PlacedLayer } from '../core/ports.js';
// The margin rule is pure render code; the codec only supplies the placed picture's pixels to it.
import { fillMarginsInPlace } from '../render/margin.js';

/** Decoded images beyond this many pixels are refused (a 40-megapixel photo is plenty). */
const MAX_PIXELS = 40_000_000;

/** JPEG/PNG/WebP/... -> packed RGB, upright according to its EXIF orientation. */
export async function decodeImage(bytes: Uint8Array, source: string): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (err) {
    throw new DhError('IMAGE_UNREADABLE', { source, reason: (err as Error).message.split('\n')[0] }, { cause: err });
  }
}

const fromRaw = (img: RgbImage) => sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } });

async function toRgb(s: Sharp): Promise<RgbImage> {
  const { data, info } = await s.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/**
 * The still frame every video frame starts from: the image cropped and scaled per `layout`.
 * Where the crop extends past the image, the margin continues the picture's background (its
 * edges' colours, without the person) out to the frame's edges.
 */
export async function composeBaseFrame(img: RgbImage, layout: FrameLayout, person?: PersonMask | null): Promise<RgbImage> {
  const { crop, scale, width, height } = layout;
  const x0 = Math.max(0, Math.round(crop.x)), y0 = Math.max(0, Math.round(crop.y));
  const x1 = Math.min(img.width, Math.round(crop.x + crop.width)), y1 = Math.min(img.height, Math.round(crop.y + crop.height));
  if (!layout.padded) {
    return toRgb(fromRaw(img).extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 }).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }));
  }
  const fgWidth = Math.max(1, Math.round((x1 - x0) * scale));
  const fgHeight = Math.max(1, Math.round((y1 - y0) * scale));
  const left = Math.round((x0 - crop.x) * scale), top = Math.round((y0 - crop.y) * scale);
  // Rounding can put the scaled picture a pixel past the frame's edge. Only the part inside the
  // frame is placed, and the margins are what is left of it, so the canvas is exactly
  // width x height: a frame one row too tall would shear every frame after it in the encoder.
  const vx0 = clamp(left, 0, width), vx1 = clamp(left + fgWidth, vx0 + 1, width);
  const vy0 = clamp(top, 0, height), vy1 = clamp(top + fgHeight, vy0 + 1, height);
  const visible = { left: vx0 - left, top: vy0 - top, width: vx1 - vx0, height: vy1 - vy0 };
  const scaled = await fromRaw(img)
    .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
    .resize(fgWidth, fgHeight, { fit: 'fill', kernel: 'lanczos3' })
    .png()
    .toBuffer();
  const foreground = await toRgb(sharp(scaled).extract(visible));
  // The margin continues the picture's background, never the person (src/render/margin.ts).
  const frame: RgbImage = { data: new Uint8Array(width * height * 3), width, height };
  for (let y = 0; y < foreground.height; y++) {
    frame.data.set(foreground.data.subarray(y * foreground.width * 3, (y + 1) * foreground.width * 3), ((vy0 + y) * width + vx0) * 3);
  }
  // The mask is over the whole source picture: frame pixel -> scaled picture -> source -> mask.
  const sx = (x1 - x0) / fgWidth, sy = (y1 - y0) / fgHeight;
  const personAt = person ? (x: number, y: number): number => {
    const mx = clamp(Math.floor(((x0 + (x - left + 0.5) * sx) * person.width) / img.width), 0, person.width - 1);
    const my = clamp(Math.floor(((y0 + (y - top + 0.5) * sy) * person.height) / img.height), 0, person.height - 1);
    return person.data[my * person.width + mx] / 255;
  } : undefined;
  fillMarginsInPlace(frame, { x: vx0, y: vy0, width: foreground.width, height: foreground.height }, personAt);
  if (frame.width !== width || frame.height !== height) {
    throw new DhError('INTERNAL', { reason: `base frame is ${frame.width}x${frame.height}, layout wants ${width}x${height}` });
  }
  return frame;
}

const escapeMarkup = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Watermark text as an RGBA overlay in the frame's bottom-right corner: white with a soft dark
 * shadow so it reads on any background. Uses Noto Sans CJK so Chinese and Japanese render.
 */
export async function renderTextOverlay(text: string, frameWidth: number, frameHeight: number): Promise<PlacedLayer> {
  const px = Math.max(14, Math.round(Math.min(frameWidth, frameHeight) * 0.034));
  const maxWidth = Math.round(frameWidth * 0.6);
  const glyphs = await sharp({
    text: {
      text: `<span foreground="white">${escapeMarkup(text)}</span>`,
      font: `Noto Sans CJK SC, Noto Sans, sans-serif ${px}px`,
      rgba: true,
      width: maxWidth,
      wrap: 'char',
    },
  }).png().toBuffer();
  const meta = await sharp(glyphs).metadata();
  const pad = Math.round(px * 0.5);
  const w = (meta.width ?? 1) + 2 * pad, h = (meta.height ?? 1) + 2 * pad;
  const alpha = await sharp(glyphs).extractChannel('alpha').toBuffer();
  const shadow = await sharp({ create: { width: meta.width ?? 1, height: meta.height ?? 1, channels: 3, background: '#000000' } })
    .joinChannel(alpha).png().toBuffer();
  const shadowPadded = await sharp({ create: { width: w, height: h, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: shadow, left: pad, top: pad }]).png().toBuffer();
  const { data } = await sharp(shadowPadded)
    .blur(Math.max(1, px / 10))
    .composite([{ input: glyphs, left: pad, top: pad }])
    .ensureAlpha(1)
    .raw()
    .toBuffer({ resolveWithObject: true });
  // 85% opacity: legible but not a banner.
  for (let i = 3; i < data.length; i += 4) data[i] = Math.round(data[i] * 0.85);
  const margin = Math.round(Math.min(frameWidth, frameHeight) * 0.03);
  return { rgba: new Uint8Array(data), width: w, height: h, x: frameWidth - w - margin + pad, y: frameHeight - h - margin + pad };
}

/** Encodes an RGB image as PNG (contact sheets, thumbnails, debugging). */
export async function encodePng(img: RgbImage): Promise<Buffer> {
  return fromRaw(img).png().toBuffer();
}

/** The image codec port (core/ports.ts) on sharp. */
export const sharpImageCodec: ImageCodec = { decode: decodeImage, composeBaseFrame, renderTextOverlay };
