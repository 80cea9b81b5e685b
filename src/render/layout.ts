// Where the source image sits in the output frame. Pure maths over sizes and the face box.
import { DhError } from '../core/errors.js';
import { clamp } from '../core/geometry.js';
import type { FrameLayout, Rect, ResizeMode } from '../core/types.js';
import { VIDEO } from '../core/video.js';

/** Framing targets for adaptive crops, as multiples of the detected face box height. */
const FRAMING = Object.freeze({
  /** The window is at least this tall, so head and some shoulders stay in frame, ... */
  minFaceMultiple: 2,
  /**
   * ... unless the largest window inside the picture is at least this tall: a slightly tighter
   * crop of the picture itself beats a frame padded with margins.
   */
  tightFaceMultiple: 1.6,
  /** ... and at most this tall, so a small face in a big picture is brought closer. */
  maxFaceMultiple: 5,
  /** Face centre sits this far down the window: a little above the middle, as in broadcast framing. */
  faceCenterY: 0.42,
});

/** A rough face box for images where no face was detected: centred, upper-middle. */
export function guessFaceBox(width: number, height: number): Rect {
  const size = 0.45 * Math.min(width, height);
  return { x: (width - size) / 2, y: Math.max(0, height * 0.42 - size / 2), width: size, height: size };
}

const even = (n: number): number => 2 * Math.round(n / 2);

/** Output size for fixedMinSide: the image's own aspect with the short side at 720, both even. */
export function fixedMinSideSize(width: number, height: number): { width: number; height: number } {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const aspect = long / short;
  if (aspect > VIDEO.maxAspect + 1e-9) {
    throw new DhError('IMAGE_ASPECT_UNSUPPORTED', { width, height, aspect: aspect.toFixed(2) });
  }
  const longOut = even(VIDEO.minSide * aspect);
  return width >= height ? { width: longOut, height: VIDEO.minSide } : { width: VIDEO.minSide, height: longOut };
}

/**
 * Whether planLayout may pad a picture of this size, whatever its face: only adaptive framing
 * pads, and only a picture narrower than the frame (a window wider than the picture).
 */
export const mayPad = (imageWidth: number, imageHeight: number, mode: ResizeMode): boolean =>
  mode !== 'fixedMinSide' && imageWidth * VIDEO.height < imageHeight * VIDEO.width;

/**
 * Plans the output frame. adaptive: a 1280x720 window around the face; when the image is too
 * narrow (or short) to give the face enough room, the window extends past the image and the
 * caller fills the margin. fixedMinSide: the whole image scaled so its short side is 720.
 */
export function planLayout(imageWidth: number, imageHeight: number, face: Rect | null, mode: ResizeMode): FrameLayout {
  if (mode === 'fixedMinSide') {
    const size = fixedMinSideSize(imageWidth, imageHeight);
    return { ...size, crop: { x: 0, y: 0, width: imageWidth, height: imageHeight }, scale: size.width / imageWidth, padded: false };
  }
  const aspect = VIDEO.width / VIDEO.height;
  const box = face ?? guessFaceBox(imageWidth, imageHeight);
  // The largest 16:9 window that fits inside the image.
  const fitHeight = Math.min(imageHeight, imageWidth / aspect);
  const wanted = Math.min(imageHeight, box.height * FRAMING.minFaceMultiple);
  const minHeight = fitHeight >= box.height * FRAMING.tightFaceMultiple ? Math.min(wanted, fitHeight) : wanted;
  const height = clamp(fitHeight, minHeight, box.height * FRAMING.maxFaceMultiple);
  const width = height * aspect;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // Centre on the face; when the window is wider than the image, centre the image instead so the
  // fill is shared evenly left and right.
  const x = width <= imageWidth ? clamp(cx - width / 2, 0, imageWidth - width) : (imageWidth - width) / 2;
  const y = height <= imageHeight ? clamp(cy - FRAMING.faceCenterY * height, 0, imageHeight - height) : (imageHeight - height) / 2;
  const padded = x < -1e-6 || y < -1e-6 || x + width > imageWidth + 1e-6 || y + height > imageHeight + 1e-6;
  return { width: VIDEO.width, height: VIDEO.height, crop: { x, y, width, height }, scale: VIDEO.width / width, padded };
}

/** Maps source-image coordinates (x,y pairs) into the output frame. */
export function toFrameCoords(points: Float32Array, layout: FrameLayout): Float32Array {
  const out = new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 2) {
    out[i] = (points[i] - layout.crop.x) * layout.scale;
    out[i + 1] = (points[i + 1] - layout.crop.y) * layout.scale;
  }
  return out;
}

export function rectToFrame(r: Rect, layout: FrameLayout): Rect {
  return {
    x: (r.x - layout.crop.x) * layout.scale,
    y: (r.y - layout.crop.y) * layout.scale,
    width: r.width * layout.scale,
    height: r.height * layout.scale,
  };
}
