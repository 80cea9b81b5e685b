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
import { evenRect, planesOf, rgbToYuv420 } from './yuv.js';

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

/** The still yuv420p frame (base with overlays) every rendered frame starts from. */
export function backgroundFrame(base: RgbImage, overlays: readonly Overlay[] = []): Uint8Array {
  const withOverlays = new Uint8Array(base.data);
  const full = { x: 0, y: 0, width: base.width, height: base.height };
  for (const o of overlays) blendOverlayInPlace(withOverlays, base.width, o, full);
  return rgbToYuv420(withOverlays, base.width, base.height);
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

  const background = backgroundFrame(base, overlays);
  const overlayClips = overlays
    .map((o) => ({ o, clip: intersectRects(region, overlayRect(o)) }))
    .filter((c): c is { o: Overlay; clip: Rect } => c.clip !== null);

  const hb = head?.bounds ?? { x: 0, y: 0, width: 0, height: 0 };
  const hw = head?.weight, hwd = head?.weightDepth, hbw = head?.bodyWeight;
  const pivot = rig.head?.pivot ?? { x: 0, y: 0 };
  // Per 2x2 block: 0 = never changes (copied); 1 = moves only with the head (copied while the
  // head is still); 2 = in the smooth part of the mouth warp (jaw, chin, neck); 3 = near the lips
  // or the lids, where the warp has edges or draws colour; 4 + e = in the smooth brow part of
  // eye e's warp. All but kind 3 are traced once per block, at its centre, and the four pixels
  // share that displacement; kind 3 per pixel.
  const bw = region.width >> 1, bh = region.height >> 1;
  const kind = new Uint8Array(bw * bh);
  const blockWeight = new Float32Array(bw * bh), blockDepth = new Float32Array(bw * bh), blockBody = new Float32Array(bw * bh);
  // Head motion moves base points by at most a few percent of the head size (about 6 % for a
  // lively prompt's widest turn); blocks that could land on the lips or an eye are traced per pixel.
  const slack = rig.head ? 0.1 * rig.head.halfHeight + 2 : 2;
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
          blockBody[b] += hbw![hi] / 4;
        }
      }
      const grown = (r: Rect) => cx >= r.x - slack && cx < r.x + r.width + slack && cy >= r.y - slack && cy < r.y + r.height + slack;
      const brow = ebs.findIndex(grown);
      if (eyes.some((e) => grown(e.lidBounds)) || (mouth && grown(mb!) && nearLips(mouth, cx, cy, slack))) kind[b] = 3;
      else if (brow >= 0) kind[b] = 4 + brow;
      else if (mb && grown(mb)) kind[b] = 2;
      else if (blockWeight[b] > 0 || blockBody[b] > 0) kind[b] = 1;
    }
  }
  const s = newPixelSource();
  const sy = src.y, su = src.u, sv = src.v;
  // Pixels that do not move this frame come from the background (which carries the overlays);
  // pixels traced to the clean base get the overlays blended again afterwards, block by block.
  const bg = planesOf(background, width, height);
  const bgY = bg.y, bgU = bg.u, bgV = bg.v;
  const fresh = new Uint8Array(bw * bh);
  // The jaw-and-neck part of the mouth warp is smooth enough to evaluate once per 4x4 pixels:
  // per row of 4x4 cells, the displacement and the cell row it was computed for.
  const cellDx = new Float32Array((bw >> 1) + 1), cellDy = new Float32Array((bw >> 1) + 1);
  const cellRow = new Int32Array((bw >> 1) + 1);

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
      eyes.forEach((e, i) => updateEyeInPlace(e, i === 0 ? p.blinkLeft : p.blinkRight, p.gazeX ?? 0, p.gazeY ?? 0, p.browRaise ?? 0));
      const motion = rig.head ? headMotion(rig.head, p.headYaw ?? 0, p.headPitch ?? 0, p.headRoll ?? 0, p.breath ?? 0) : null;
      const m = motion && !isStill(motion) ? motion : null;
      cellRow.fill(-1);
      for (let j = 0; j < bh; j++) {
        const y0 = region.y + 2 * j;
        for (let i = 0; i < bw; i++) {
          const x0 = region.x + 2 * i;
          const ci = (y0 >> 1) * cw + (x0 >> 1);
          const kb = kind[j * bw + i];
          // Never-moving blocks keep the background every buffer starts with.
          if (kb === 0) continue;
          const b = j * bw + i;
          if (kb === 1 && m === null) {
            const a = y0 * width + x0;
            fy[a] = bgY[a]; fy[a + 1] = bgY[a + 1]; fy[a + width] = bgY[a + width]; fy[a + width + 1] = bgY[a + width + 1];
            fu[ci] = bgU[ci]; fv[ci] = bgV[ci];
            fresh[b] = 0;
            continue;
          }
          fresh[b] = 1;
          if (kb !== 3) {
            // One displacement for the whole block, from the head motion and the smooth part of
            // the mouth warp at the block centre; the four pixels share its fractional offset.
            const pcx = x0 + 0.5, pcy = y0 + 0.5;
            let qx = pcx, qy = pcy;
            if (m) {
              const wgt = blockWeight[b], wd = blockDepth[b], wb = blockBody[b];
              const px = pcx - pivot.x, py = pcy - pivot.y;
              qx -= wgt * (m.a11 * px + m.a12 * py + m.tx) + wd * m.sx + wb * m.tx;
              qy -= wgt * (m.a21 * px + m.a22 * py + m.ty) + wd * m.sy + wb * m.ty;
            }
            if (kb >= 4) { mapEye(eyes[kb - 4], qx, qy, s); qx = s.x; qy = s.y; }
            else if (kb === 2) {
              const cell = i >> 1;
              if (cellRow[cell] !== j >> 1) {
                // Evaluate at the cell centre (this block's centre moved by half a block).
                const ox = (i & 1) ? -1 : 1, oy = (j & 1) ? -1 : 1;
                mapMouth(mouth!, qx + ox, qy + oy, s);
                cellDx[cell] = s.x - (qx + ox);
                cellDy[cell] = s.y - (qy + oy);
                cellRow[cell] = j >> 1;
              }
              qx += cellDx[cell];
              qy += cellDy[cell];
            }
            const d = y0 * width + x0;
            if (Math.abs(qx - pcx) < 0.02 && Math.abs(qy - pcy) < 0.02) {
              // Moving by less than a fiftieth of a pixel: the unmoved picture is exact enough.
              fy[d] = bgY[d]; fy[d + 1] = bgY[d + 1]; fy[d + width] = bgY[d + width]; fy[d + width + 1] = bgY[d + width + 1];
              fu[ci] = bgU[ci]; fv[ci] = bgV[ci];
              fresh[b] = 0;
              continue;
            }
            let tx = qx - 0.5, ty = qy - 0.5;
            if (tx < 0) tx = 0; else if (tx > width - 2.001) tx = width - 2.001;
            if (ty < 0) ty = 0; else if (ty > height - 2.001) ty = height - 2.001;
            const ix = tx | 0, iy = ty | 0, ax = tx - ix, ay = ty - iy;
            // The four pixels share one fractional offset, so a 3x3 neighbourhood serves all four.
            const a = iy * width + ix;
            const p00 = sy[a], p01 = sy[a + 1], p02 = sy[a + 2];
            const p10 = sy[a + width], p11 = sy[a + width + 1], p12 = sy[a + width + 2];
            const p20 = sy[a + 2 * width], p21 = sy[a + 2 * width + 1], p22 = sy[a + 2 * width + 2];
            const h00 = p00 + (p01 - p00) * ax, h01 = p01 + (p02 - p01) * ax;
            const h10 = p10 + (p11 - p10) * ax, h11 = p11 + (p12 - p11) * ax;
            const h20 = p20 + (p21 - p20) * ax, h21 = p21 + (p22 - p21) * ax;
            fy[d] = h00 + (h10 - h00) * ay + 0.5;
            fy[d + 1] = h01 + (h11 - h01) * ay + 0.5;
            fy[d + width] = h10 + (h20 - h10) * ay + 0.5;
            fy[d + width + 1] = h11 + (h21 - h11) * ay + 0.5;
            let cx = (qx - 0.5) * 0.5, cy = (qy - 0.5) * 0.5;
            if (cx < 0) cx = 0; else if (cx > cw - 1.001) cx = cw - 1.001;
            if (cy < 0) cy = 0; else if (cy > ch - 1.001) cy = ch - 1.001;
            const jx = cx | 0, jy = cy | 0, bx = cx - jx, by = cy - jy;
            const c = jy * cw + jx;
            const u0 = su[c] + (su[c + 1] - su[c]) * bx, u1 = su[c + cw] + (su[c + cw + 1] - su[c + cw]) * bx;
            const v0 = sv[c] + (sv[c + 1] - sv[c]) * bx, v1 = sv[c + cw] + (sv[c + cw + 1] - sv[c + cw]) * bx;
            fu[ci] = u0 + (u1 - u0) * by + 0.5;
            fv[ci] = v0 + (v1 - v0) * by + 0.5;
            continue;
          }
          let sumX = 0, sumY = 0, cov = 0, covU = 0, covV = 0, dark = 0;
          for (let k = 0; k < 4; k++) {
            const x = x0 + (k & 1), y = y0 + (k >> 1);
            let qx = x, qy = y;
            if (m && x >= hb.x && x < hb.x + hb.width && y >= hb.y && y < hb.y + hb.height) {
              const hi = (y - hb.y) * hb.width + (x - hb.x);
              const wgt = hw![hi], wb = hbw![hi];
              if (wgt > 0 || wb > 0) {
                const wd = hwd![hi];
                const px = x - pivot.x, py = y - pivot.y;
                qx = x - (wgt * (m.a11 * px + m.a12 * py + m.tx) + wd * m.sx + wb * m.tx);
                qy = y - (wgt * (m.a21 * px + m.a22 * py + m.ty) + wd * m.sy + wb * m.ty);
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
      for (const { o, clip } of overlayClips) {
        for (let y = clip.y & ~1; y < clip.y + clip.height; y += 2) {
          for (let x = clip.x & ~1; x < clip.x + clip.width; x += 2) {
            const b = ((y - region.y) >> 1) * bw + ((x - region.x) >> 1);
            if (kind[b] !== 0 && fresh[b] === 1) blendOverlayYuvInPlace(f, o, { x, y, width: 2, height: 2 });
          }
        }
      }
    },
  };
}

