// Render stage: a base frame, a face rig and per-frame parameters in, yuv420p frames out.
// Only the region that moves (head, mouth, eyes) is redrawn per frame, straight into the YUV
// planes: every output buffer starts as the finished background (base + overlays), so the rest
// of the frame costs nothing, and no RGB frame is converted per frame. Inside the region each
// pixel is traced back through the head motion, then the mouth or eye warp, to a point of the
// base frame; luma is sampled per pixel and chroma once per 2x2 block at the block's mean source.
import { intersectRects } from '../core/geometry.js';
import type { FaceRig, FrameParams, Rect, RgbImage } from '../core/types.js';
import { eyeBox, mapEye, prepareEye, updateEyeInPlace, type EyeWarp } from './eyes.js';
import { HEAD, headMotion, isStill, prepareHead, type HeadWarp } from './head.js';
import { newPixelSource } from './map.js';
import { MOUTH, mapMouth, mapMouthSmooth, mouthBox, mouthStretchAt, nearLips, nearLipsNow, prepareMouth, updateMouthInPlace, type MouthWarp } from './mouth.js';
import { blendOverlayInPlace, blendOverlayYuvInPlace, overlayRect, type Overlay } from './overlay.js';
import { blockRuns } from './blocks.js';
import { createBreathingBand } from './body.js';
import { samplePlane, sampleBlockInto } from './sample.js';
import { evenRect, planesOf, rgbToYuv420 } from './yuv.js';

export { planLayout, fixedMinSideSize, guessFaceBox, toFrameCoords, rectToFrame } from './layout.js';
export { MOUTH } from './mouth.js';
export { mouthState, type MouthState } from './mouth-interior.js';
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

const BODY_ONLY = 6;
/**
 * How close (px) a block centre may come to this frame's lips or lids and still be traced once
 * per block: its pixels are a pixel away, and the mouth grid's nodes a grid step.
 */
const EDGE_MARGIN = MOUTH.gridStep + 2;

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
  // eye e's warp; 6 = moves only with the breathing of the shoulders (drawn by the breathing
  // band's cache). All but kind 3 are traced once per block, at its centre, and the four pixels
  // share that displacement; kind 3 per pixel.
  const bw = region.width >> 1, bh = region.height >> 1;
  const kind = new Uint8Array(bw * bh);
  // What a kind-3 block is when, this frame, neither the lips nor a lid is near it.
  const smooth = new Uint8Array(bw * bh);
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
      if (brow >= 0) smooth[b] = 4 + brow;
      else if (mb && grown(mb)) smooth[b] = 2;
      else if (blockWeight[b] > 0) smooth[b] = 1;
      else if (blockBody[b] > 0) smooth[b] = BODY_ONLY;
      const edges = eyes.some((e) => grown(e.lidBounds)) || (mouth && grown(mb!) && nearLips(mouth, cx, cy, slack));
      kind[b] = edges ? 3 : smooth[b];
    }
  }
  // The blocks each frame visits: all but the never-moving ones and the breathing band's.
  const visits = blockRuns(bw, bh, (b) => kind[b] !== 0 && kind[b] !== BODY_ONLY);
  const s = newPixelSource();
  const srcPts = new Float64Array(8);
  const sy = src.y, su = src.u, sv = src.v;
  // Pixels that do not move this frame come from the background (which carries the overlays);
  // pixels traced to the clean base get the overlays blended again afterwards, block by block.
  const bg = planesOf(background, width, height);
  const bgY = bg.y, bgU = bg.u, bgV = bg.v;
  const fresh = new Uint8Array(bw * bh);
  const copyBackgroundBlock = (fy: Uint8Array, fu: Uint8Array, fv: Uint8Array, a: number, c: number): void => {
    fy[a] = bgY[a]; fy[a + 1] = bgY[a + 1]; fy[a + width] = bgY[a + width]; fy[a + width + 1] = bgY[a + width + 1];
    fu[c] = bgU[c]; fv[c] = bgV[c];
  };
  const edgesNear = (x: number, y: number): boolean => {
    for (const e of eyes) {
      const r = e.lidBounds;
      if (x >= r.x - EDGE_MARGIN && x < r.x + r.width + EDGE_MARGIN && y >= r.y - EDGE_MARGIN && y < r.y + r.height + EDGE_MARGIN) return true;
    }
    return mouth !== null && nearLipsNow(mouth, x, y, EDGE_MARGIN);
  };
  const band = createBreathingBand(src, bg, region, bw, blockRuns(bw, bh, (b) => kind[b] === BODY_ONLY), blockBody,
    { x: -(rig.head?.axis.y ?? 0), y: rig.head?.axis.x ?? 1 }, rig.head ? HEAD.breathLift * rig.head.halfHeight : 0);

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
      band.drawInto(f, m ? m.lift : 0, fresh);
      // Blocks not visited keep the background every buffer starts with, or are the band's.
      for (const run of visits) {
        const j = run.j, y0 = region.y + 2 * j;
        for (let i = run.i0; i < run.i0 + run.n; i++) {
          const x0 = region.x + 2 * i;
          const ci = (y0 >> 1) * cw + (x0 >> 1);
          const b = j * bw + i;
          let kb = kind[b];
          if (kb === 1 && m === null) {
            copyBackgroundBlock(fy, fu, fv, y0 * width + x0, ci);
            fresh[b] = 0;
            continue;
          }
          // The block centre traced back through the head motion.
          const pcx = x0 + 0.5, pcy = y0 + 0.5;
          let qx = pcx, qy = pcy;
          if (m) {
            const wgt = blockWeight[b], px = pcx - pivot.x, py = pcy - pivot.y;
            qx -= wgt * (m.a11 * px + m.a12 * py + m.tx) + blockDepth[b] * m.sx + blockBody[b] * m.tx;
            qy -= wgt * (m.a21 * px + m.a22 * py + m.ty) + blockDepth[b] * m.sy + blockBody[b] * m.ty;
          }
          // Only where the lips or a lid are near it this frame is a block traced per pixel; and
          // where the mouth warp squeezes it, per pixel through the warp's grid.
          if (kb === 3 && !edgesNear(qx, qy)) kb = smooth[b] === 0 || smooth[b] === BODY_ONLY ? 1 : smooth[b];
          fresh[b] = 1;
          if (kb !== 3) {
            if (kb >= 4) { mapEye(eyes[kb - 4], qx, qy, s); qx = s.x; qy = s.y; }
            else if (kb === 2 && mouthStretchAt(mouth!, qx, qy) > MOUTH.maxBlockStretch) {
              const hx = qx - pcx, hy = qy - pcy;
              let sumX = 0, sumY = 0;
              for (let k = 0; k < 4; k++) {
                const x = x0 + (k & 1), y = y0 + (k >> 1);
                mapMouthSmooth(mouth!, x + hx, y + hy, s);
                fy[y * width + x] = samplePlane(sy, width, height, s.x, s.y) + 0.5;
                sumX += s.x; sumY += s.y;
              }
              const cx = (sumX * 0.25 - 0.5) * 0.5, cy = (sumY * 0.25 - 0.5) * 0.5;
              fu[ci] = samplePlane(su, cw, ch, cx, cy) + 0.5;
              fv[ci] = samplePlane(sv, cw, ch, cx, cy) + 0.5;
              continue;
            } else if (kb === 2) { mapMouthSmooth(mouth!, qx, qy, s); qx = s.x; qy = s.y; }
            const d = y0 * width + x0;
            if (Math.abs(qx - pcx) < 0.02 && Math.abs(qy - pcy) < 0.02) {
              // Moving by less than a fiftieth of a pixel: the unmoved picture is exact enough.
              copyBackgroundBlock(fy, fu, fv, d, ci);
              fresh[b] = 0;
              continue;
            }
            // One displacement for the whole block; the four pixels share its fractional offset.
            sampleBlockInto(src, qx, qy, fy, d, width, fu, fv, ci);
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
            srcPts[2 * k] = s.x; srcPts[2 * k + 1] = s.y;
          }
          // Chroma sample sites sit at the centre of each 2x2 luma block. Where the block's pixels
          // come from far apart (across the lip seam of a source mouth closed by the warp, whose
          // middle is the source's teeth), each pixel's own colour is averaged instead.
          let u: number, v: number;
          const spread = Math.max(Math.abs(srcPts[0] - srcPts[6]), Math.abs(srcPts[1] - srcPts[7]), Math.abs(srcPts[2] - srcPts[4]), Math.abs(srcPts[3] - srcPts[5]));
          if (spread > 2.5) {
            u = 0; v = 0;
            for (let k = 0; k < 4; k++) {
              const px = (srcPts[2 * k] - 0.5) * 0.5, py = (srcPts[2 * k + 1] - 0.5) * 0.5;
              u += 0.25 * samplePlane(su, cw, ch, px, py); v += 0.25 * samplePlane(sv, cw, ch, px, py);
            }
          } else {
            const cx = (sumX * 0.25 - 0.5) * 0.5, cy = (sumY * 0.25 - 0.5) * 0.5;
            u = samplePlane(su, cw, ch, cx, cy); v = samplePlane(sv, cw, ch, cx, cy);
          }
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

