// Render stage: a base frame, a face rig and per-frame parameters in, yuv420p frames out.
// Only the region that moves (head, mouth, eyes) is redrawn per frame, straight into the YUV
// planes: every output buffer starts as the finished background (base + overlays), so the rest
// of the frame costs nothing, and no RGB frame is converted per frame. Inside the region each
// pixel is traced back through the head motion, then the mouth or eye warp, to a point of the
// base frame; luma is sampled per pixel and chroma once per 2x2 block at the block's mean source.
import { intersectRects } from '../core/geometry.js';
import type { FaceRig, FrameParams, Rect, RgbImage } from '../core/types.js';
import { eyeBox, mapEye, prepareEye, updateEyeInPlace, type EyeWarp } from './eyes.js';
import { headMotion, isStill, prepareHead, type HeadWarp } from './head.js';
import { newPixelSource } from './map.js';
import { mapMouth, mouthBox, nearLips, prepareMouth, updateMouthInPlace, type MouthWarp } from './mouth.js';
import { blendOverlayInPlace, blendOverlayYuvInPlace, overlayRect, type Overlay } from './overlay.js';
import { samplePlane } from './sample.js';
import { evenRect, planesOf, rgbToYuv420, yuv420Size } from './yuv.js';

export { planLayout, fixedMinSideSize, guessFaceBox, toFrameCoords, rectToFrame } from './layout.js';
export { MOUTH, mouthState, type MouthState } from './mouth.js';
export { EYE } from './eyes.js';
export { HEAD } from './head.js';
export { rgbToYuv420, yuv420Size, planesOf } from './yuv.js';
export type { Overlay } from './overlay.js';

export interface FrameRenderer {
  readonly width: number;
  readonly height: number;
  /** The rectangle redrawn each frame; everything else stays as the background. */
  readonly region: Rect;
  /** A new yuv420p frame buffer holding the background. */
  newFrame(): Uint8Array;
  /** Renders one frame's moving region into `out`, a buffer from newFrame(). */
  renderInto(out: Uint8Array, params: FrameParams): void;
}

function unionRects(rects: readonly Rect[]): Rect | null {
  if (rects.length === 0) return null;
  const x0 = Math.min(...rects.map((r) => r.x)), y0 = Math.min(...rects.map((r) => r.y));
  const x1 = Math.max(...rects.map((r) => r.x + r.width)), y1 = Math.max(...rects.map((r) => r.y + r.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

const inside = (r: Rect, x: number, y: number): boolean => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;

export function createFrameRenderer(base: RgbImage, rig: FaceRig, overlays: readonly Overlay[] = []): FrameRenderer {
  const { width, height } = base;
  const cw = width >> 1, ch = height >> 1;
  const src = planesOf(rgbToYuv420(base.data, width, height), width, height);
  const mouth: MouthWarp | null = rig.mouth && prepareMouth(base, rig.mouth);
  const eyes: EyeWarp[] = rig.eyes.map((e) => prepareEye(base, e));
  const head: HeadWarp | null = rig.head && prepareHead(rig.head, width, height);
  const mb = mouth ? mouthBox(mouth) : null;
  const ebs = eyes.map(eyeBox);
  const parts = [head?.bounds, mb, ...ebs].filter((r): r is Rect => !!r && r.width > 0 && r.height > 0);
  const union = unionRects(parts);
  const region = union ? evenRect(union, width, height) : { x: 0, y: 0, width: 0, height: 0 };

  const withOverlays = new Uint8Array(base.data);
  const full = { x: 0, y: 0, width, height };
  for (const o of overlays) blendOverlayInPlace(withOverlays, width, o, full);
  const background = rgbToYuv420(withOverlays, width, height);
  const overlayClips = overlays
    .map((o) => ({ o, clip: intersectRects(region, overlayRect(o)) }))
    .filter((c): c is { o: Overlay; clip: Rect } => c.clip !== null);

  const hb = head?.bounds ?? { x: 0, y: 0, width: 0, height: 0 };
  const hw = head?.weight, hwd = head?.weightDepth;
  const pivot = rig.head?.pivot ?? { x: 0, y: 0 };
  // Per 2x2 block: 0 = never changes (copied); 1 = moves only with the head (copied while the
  // head is still); 2 = in the smooth part of the mouth warp (jaw, chin, neck); 3 = near the lips
  // or in an eye, where the warp has edges or draws colour. Kinds 1 and 2 are traced once per
  // block, at its centre, and the four pixels share that displacement; kind 3 per pixel.
  const bw = region.width >> 1, bh = region.height >> 1;
  const kind = new Uint8Array(bw * bh);
  const blockWeight = new Float32Array(bw * bh), blockDepth = new Float32Array(bw * bh);
  // Head motion moves base points by at most a few percent of the head size.
  const slack = rig.head ? 0.06 * rig.head.halfHeight + 2 : 2;
  for (let j = 0; j < bh; j++) {
    for (let i = 0; i < bw; i++) {
      const b = j * bw + i;
      const cx = region.x + 2 * i + 0.5, cy = region.y + 2 * j + 0.5;
      for (let k = 0; k < 4; k++) {
        const x = region.x + 2 * i + (k & 1), y = region.y + 2 * j + (k >> 1);
        if (hw && inside(hb, x, y)) {
          const hi = (y - hb.y) * hb.width + (x - hb.x);
          blockWeight[b] += hw[hi] / 4;
          blockDepth[b] += hwd![hi] / 4;
        }
      }
      const grown = (r: Rect) => cx >= r.x - slack && cx < r.x + r.width + slack && cy >= r.y - slack && cy < r.y + r.height + slack;
      if (ebs.some(grown) || (mouth && grown(mb!) && nearLips(mouth, cx, cy, slack))) kind[b] = 3;
      else if (mb && grown(mb)) kind[b] = 2;
      else if (blockWeight[b] > 0) kind[b] = 1;
    }
  }
  const s = newPixelSource();
  const sy = src.y, su = src.u, sv = src.v;

  return {
    width,
    height,
    region,
    newFrame: () => new Uint8Array(background),
    renderInto(out, p) {
      if (region.width === 0) return;
      const f = planesOf(out, width, height);
      const fy = f.y, fu = f.u, fv = f.v;
      if (mouth) updateMouthInPlace(mouth, p);
      eyes.forEach((e, i) => updateEyeInPlace(e, i === 0 ? p.blinkLeft : p.blinkRight, p.gazeX ?? 0, p.gazeY ?? 0));
      const motion = rig.head ? headMotion(rig.head, p.headYaw ?? 0, p.headPitch ?? 0, p.headRoll ?? 0, p.breath ?? 0) : null;
      const m = motion && !isStill(motion) ? motion : null;
      for (let j = 0; j < bh; j++) {
        const y0 = region.y + 2 * j;
        for (let i = 0; i < bw; i++) {
          const x0 = region.x + 2 * i;
          const ci = (y0 >> 1) * cw + (x0 >> 1);
          const kb = kind[j * bw + i];
          if (kb === 0 || (kb === 1 && m === null)) {
            const a = y0 * width + x0;
            fy[a] = sy[a]; fy[a + 1] = sy[a + 1]; fy[a + width] = sy[a + width]; fy[a + width + 1] = sy[a + width + 1];
            fu[ci] = su[ci]; fv[ci] = sv[ci];
            continue;
          }
          if (kb !== 3) {
            // One displacement for the whole block, from the head motion and the smooth part of
            // the mouth warp at the block centre; the four pixels share its fractional offset.
            const b = j * bw + i;
            const pcx = x0 + 0.5, pcy = y0 + 0.5;
            let qx = pcx, qy = pcy;
            if (m) {
              const wgt = blockWeight[b], wd = blockDepth[b];
              const px = pcx - pivot.x, py = pcy - pivot.y;
              qx -= wgt * (m.a11 * px + m.a12 * py + m.tx) + wd * m.sx;
              qy -= wgt * (m.a21 * px + m.a22 * py + m.ty) + wd * m.sy;
            }
            if (kb === 2) { mapMouth(mouth!, qx, qy, s); qx = s.x; qy = s.y; }
            let tx = qx - 0.5, ty = qy - 0.5;
            if (tx < 0) tx = 0; else if (tx > width - 2.001) tx = width - 2.001;
            if (ty < 0) ty = 0; else if (ty > height - 2.001) ty = height - 2.001;
            const ix = tx | 0, iy = ty | 0, ax = tx - ix, ay = ty - iy;
            const a = iy * width + ix, d = y0 * width + x0;
            for (let k = 0; k < 4; k++) {
              const o = a + (k & 1) + (k >> 1) * width;
              const top = sy[o] + (sy[o + 1] - sy[o]) * ax;
              const bot = sy[o + width] + (sy[o + width + 1] - sy[o + width]) * ax;
              fy[d + (k & 1) + (k >> 1) * width] = top + (bot - top) * ay + 0.5;
            }
            const cx = (qx - 0.5) * 0.5, cy = (qy - 0.5) * 0.5;
            fu[ci] = samplePlane(su, cw, ch, cx, cy) + 0.5;
            fv[ci] = samplePlane(sv, cw, ch, cx, cy) + 0.5;
            continue;
          }
          let sumX = 0, sumY = 0, cov = 0, covU = 0, covV = 0, dark = 0;
          for (let k = 0; k < 4; k++) {
            const x = x0 + (k & 1), y = y0 + (k >> 1);
            let qx = x, qy = y;
            if (m && x >= hb.x && x < hb.x + hb.width && y >= hb.y && y < hb.y + hb.height) {
              const hi = (y - hb.y) * hb.width + (x - hb.x);
              const wgt = hw![hi];
              if (wgt > 0) {
                const wd = hwd![hi];
                const px = x - pivot.x, py = y - pivot.y;
                qx = x - (wgt * (m.a11 * px + m.a12 * py + m.tx) + wd * m.sx);
                qy = y - (wgt * (m.a21 * px + m.a22 * py + m.ty) + wd * m.sy);
              }
            }
            s.x = qx; s.y = qy; s.cover = 0; s.dark = 1;
            if (mb && qx >= mb.x && qx < mb.x + mb.width && qy >= mb.y && qy < mb.y + mb.height) mapMouth(mouth!, qx, qy, s);
            else {
              for (let e = 0; e < ebs.length; e++) {
                const b = ebs[e];
                if (qx >= b.x && qx < b.x + b.width && qy >= b.y && qy < b.y + b.height) { mapEye(eyes[e], qx, qy, s); break; }
              }
            }
            let l = s.x === x && s.y === y ? sy[y * width + x] : samplePlane(sy, width, height, s.x, s.y);
            if (s.dark !== 1) l = 16 + (l - 16) * s.dark;
            if (s.cover > 0) {
              l += (s.cy - l) * s.cover;
              cov += s.cover; covU += s.cover * s.cu; covV += s.cover * s.cv;
            }
            fy[y * width + x] = l + 0.5;
            sumX += s.x; sumY += s.y; dark += s.dark;
          }
          // Chroma sample sites sit at the centre of each 2x2 luma block.
          const cx = (sumX * 0.25 - 0.5) * 0.5, cy = (sumY * 0.25 - 0.5) * 0.5;
          let u = samplePlane(su, cw, ch, cx, cy), v = samplePlane(sv, cw, ch, cx, cy);
          if (dark < 4) { const d = dark * 0.25; u = 128 + (u - 128) * d; v = 128 + (v - 128) * d; }
          if (cov > 0) { const a = cov * 0.25; u += (covU / cov - u) * a; v += (covV / cov - v) * a; }
          fu[ci] = u + 0.5;
          fv[ci] = v + 0.5;
        }
      }
      for (const { o, clip } of overlayClips) blendOverlayYuvInPlace(f, o, clip);
    },
  };
}

export const frameBytes = yuv420Size;
