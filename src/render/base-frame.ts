// The still frame every video frame starts from: the picture cropped and scaled as the layout
// says and, where the crop reaches past the picture (adaptive framing of a narrow picture), the
// margins around it continuing its backdrop (margin.ts). Pure: the codec scales the picture's
// region (pixel I/O at the edge); placing it and filling the margins happen here.
import { DhError } from '../core/errors.js';
import { clamp } from '../core/geometry.js';
import type { PersonMask } from '../core/ports.js';
import type { FrameLayout, Rect, RgbImage } from '../core/types.js';
import { fillMarginsInPlace, type PersonAt } from './margin.js';

/** Where the picture goes in the frame: which of its pixels, scaled to what size, and the part of that inside the frame. */
export interface PicturePlacement {
  /** The picture's pixels shown (whole pixels, inside the picture). */
  readonly region: Rect;
  /** The size `region` is scaled to. */
  readonly width: number;
  readonly height: number;
  /** The part of the scaled region inside the frame (scaled pixels), and where it lands (frame pixels). */
  readonly visible: Rect;
  readonly at: { readonly x: number; readonly y: number };
}

/** The placement of a `imageWidth` x `imageHeight` picture in the frame of `layout`. */
export function placePicture(imageWidth: number, imageHeight: number, layout: FrameLayout): PicturePlacement {
  const { crop, scale, width, height } = layout;
  const x0 = Math.max(0, Math.round(crop.x)), y0 = Math.max(0, Math.round(crop.y));
  const x1 = Math.min(imageWidth, Math.round(crop.x + crop.width)), y1 = Math.min(imageHeight, Math.round(crop.y + crop.height));
  const region = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  if (!layout.padded) return { region, width, height, visible: { x: 0, y: 0, width, height }, at: { x: 0, y: 0 } };
  const fgWidth = Math.max(1, Math.round((x1 - x0) * scale));
  const fgHeight = Math.max(1, Math.round((y1 - y0) * scale));
  const left = Math.round((x0 - crop.x) * scale), top = Math.round((y0 - crop.y) * scale);
  // Rounding can put the scaled picture a pixel past the frame's edge. Only the part inside the
  // frame is placed, and the margins are what is left of it, so the canvas is exactly
  // width x height: a frame one row too tall would shear every frame after it in the encoder.
  const vx0 = clamp(left, 0, width), vx1 = clamp(left + fgWidth, vx0 + 1, width);
  const vy0 = clamp(top, 0, height), vy1 = clamp(top + fgHeight, vy0 + 1, height);
  return { region, width: fgWidth, height: fgHeight, visible: { x: vx0 - left, y: vy0 - top, width: vx1 - vx0, height: vy1 - vy0 }, at: { x: vx0, y: vy0 } };
}

/** The frame pixels the picture of `layout` covers (the whole frame unless padded): the rest is margin. */
export function pictureInFrame(imageWidth: number, imageHeight: number, layout: FrameLayout): Rect {
  const { at, visible } = placePicture(imageWidth, imageHeight, layout);
  return { x: at.x, y: at.y, width: visible.width, height: visible.height };
}

/**
 * The base frame from the placed picture's scaled pixels (`scaled`: `placement.region` of the
 * picture at `placement.width` x `placement.height`). Where padded, the margins continue the
 * backdrop, told from the person by `person` (a mask over the whole picture) where given.
 */
export function composeBaseFrame(scaled: RgbImage, placement: PicturePlacement, layout: FrameLayout, imageSize: { width: number; height: number }, person?: PersonMask | null): RgbImage {
  const { width, height } = layout;
  if (scaled.width !== placement.width || scaled.height !== placement.height) {
    throw new DhError('INTERNAL', { reason: `scaled picture is ${scaled.width}x${scaled.height}, placement wants ${placement.width}x${placement.height}` });
  }
  if (!layout.padded) return scaled;
  const { visible, at, region } = placement;
  const frame: RgbImage = { data: new Uint8Array(width * height * 3), width, height };
  for (let y = 0; y < visible.height; y++) {
    const from = ((visible.y + y) * scaled.width + visible.x) * 3;
    frame.data.set(scaled.data.subarray(from, from + visible.width * 3), ((at.y + y) * width + at.x) * 3);
  }
  // The mask is over the whole source picture: frame pixel -> scaled picture -> source -> mask.
  // The mapping is separable, so it is tabled once per column and row: the margins read the mask
  // some million times.
  const left = at.x - visible.x, top = at.y - visible.y;
  const sx = region.width / placement.width, sy = region.height / placement.height;
  let personAt: PersonAt | undefined;
  if (person) {
    const column = new Int32Array(width), row = new Int32Array(height);
    for (let x = 0; x < width; x++) column[x] = clamp(Math.floor(((region.x + (x - left + 0.5) * sx) * person.width) / imageSize.width), 0, person.width - 1);
    for (let y = 0; y < height; y++) row[y] = person.width * clamp(Math.floor(((region.y + (y - top + 0.5) * sy) * person.height) / imageSize.height), 0, person.height - 1);
    const mask = person.data;
    personAt = (x, y) => mask[row[y] + column[x]] / 255;
  }
  fillMarginsInPlace(frame, { x: at.x, y: at.y, width: visible.width, height: visible.height }, personAt);
  return frame;
}
