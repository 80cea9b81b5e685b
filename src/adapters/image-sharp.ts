// Image decoding and compositing with sharp (libvips, prebuilt binaries shipped in npm packages).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { DhError } from '../core/errors.js';
import type { Rect, RgbImage } from '../core/types.js';
import type { ImageCodec, PlacedLayer } from '../core/ports.js';
import { sniffMedia } from '../media/sniff.js';
import { runTool } from './ffmpeg.js';

/** Decoded images beyond this many pixels are refused (a 40-megapixel photo is plenty). */
const MAX_PIXELS = 40_000_000;

/** JPEG/PNG/WebP/HEIC/BMP/... -> packed RGB, upright according to its EXIF orientation. */
export async function decodeImage(bytes: Uint8Array, source: string): Promise<RgbImage> {
  let kind: ForeignKind | null;
  // Its size from its header, so that a huge picture is told as such, not as undecodable.
  const { width, height } = await headerSize(bytes);
  if (width * height > MAX_PIXELS) throw new DhError('IMAGE_TOO_LARGE', { source, width, height, max: MAX_PIXELS / 1e6 });
  try {
    return await decodeWithSharp(bytes);
  } catch (err) {
    kind = foreignKind(bytes);
    if (!kind) throw new DhError('IMAGE_UNREADABLE', { source, reason: firstLine(err) }, { cause: err });
  }
  try {
    return await decodeWithSharp(await convertForeign(bytes, kind));
  } catch (err) {
    throw new DhError('IMAGE_UNREADABLE', { source, reason: `${kind.toUpperCase()}: ${firstLine(err)}` }, { cause: err });
  }
}

/** A picture's size as its header gives it; 0 x 0 when sharp cannot read the header (decoding then says why). */
async function headerSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  try {
    const { width = 0, height = 0 } = await sharp(bytes).metadata();
    return { width, height };
  } catch {
    return { width: 0, height: 0 };
  }
}

const firstLine = (err: unknown): string => (err as Error).message.split('\n')[0];

async function decodeWithSharp(bytes: Uint8Array): Promise<RgbImage> {
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/**
 * Formats sharp's prebuilt libvips does not read: HEIC (an iPhone's photos; its HEVC decoder is
 * left out of the npm build) and BMP, told by their first bytes (media/sniff.ts), not their names.
 */
type ForeignKind = 'heic' | 'bmp';
function foreignKind(bytes: Uint8Array): ForeignKind | null {
  const ext = sniffMedia(bytes.subarray(0, 64))?.ext;
  return ext === 'heic' || ext === 'bmp' ? ext : null;
}

/** How long a converter may take before the picture is refused. */
const CONVERT_TIMEOUT_MS = 60_000;

/**
 * The picture converted by a Debian tool into a file sharp reads: HEIC by libheif's heif-convert
 * (to a JPEG at quality 95: its PNG writer refuses some phones' sRGB profiles), BMP by ffmpeg.
 */
async function convertForeign(bytes: Uint8Array, kind: ForeignKind): Promise<Uint8Array> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dh-image-'));
  const signal = AbortSignal.timeout(CONVERT_TIMEOUT_MS);
  try {
    const input = path.join(dir, `in.${kind}`);
    const output = path.join(dir, kind === 'heic' ? 'out.jpg' : 'out.png');
    await fs.writeFile(input, bytes);
    if (kind === 'heic') await runTool('heif-convert', ['-q', '95', input, output], { signal });
    else await runTool('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-frames:v', '1', output], { signal });
    return new Uint8Array(await fs.readFile(output));
  } catch (err) {
    throw signal.aborted ? new Error(`the conversion took over ${CONVERT_TIMEOUT_MS / 1000} s`) : err;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

const fromRaw = (img: RgbImage) => sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } });

/** What `s` makes, as packed RGB. */
export async function toRgb(s: Sharp): Promise<RgbImage> {
  const { data, info } = await s.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/**
 * The `region` of `img` (whole pixels inside it) scaled to `width` x `height` (Lanczos 3): the
 * pixels of a base frame; placing them and filling a padded frame's margins is the render
 * stage's (render/base-frame.ts).
 */
export async function resizeRegion(img: RgbImage, region: Rect, width: number, height: number): Promise<RgbImage> {
  return toRgb(fromRaw(img).extract({ left: region.x, top: region.y, width: region.width, height: region.height }).resize(width, height, { fit: 'fill', kernel: 'lanczos3' }));
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
export const sharpImageCodec: ImageCodec = { decode: decodeImage, resizeRegion, renderTextOverlay };
