// Render stage: a base frame, a face rig and per-frame parameters in, yuv420p frames out.
// Only the region that moves (head, mouth, eyes) is redrawn per frame, straight into the YUV
// planes: every output buffer starts as the finished background (base + overlays), so the rest
// of the frame costs nothing, and no RGB frame is converted per frame. The region is cut into
// 2x2 blocks, classified once (classify.ts); each frame then runs named passes over them:
//   breathe  the shoulders' band, drawn ahead (body.ts)
//   trace    each moving block's centre back through the head motion (trace.ts)
//   warp     blocks of the mouth and eye warps on through them, or marked per pixel (warp.ts)
//   sample   one displacement per block from the clean base (sample.ts)
//   pixels   the blocks near the lips and lids, pixel by pixel (pixels.ts)
//   overlays the watermark again over what was drawn from the clean base (overlay.ts)
import { intersectRects } from '../core/geometry.js';
import type { FaceRig, FrameParams, Point, Rect, RgbImage } from '../core/types.js';
import { BlockKind, blockList, blockRuns, type BlockList } from './blocks.js';
import { createBreathingBand, type BreathingBand } from './body.js';
import { classifyBlocks, type BlockMap } from './classify.js';
import { eyeBox, updateEyeInPlace } from './eyes.js';
import { prepareEye } from './eye-prepare.js';
import { HEAD, headMotion, isStill, prepareHead, type HeadMotion } from './head.js';
import { renderKernels, type RenderKernels } from './kernels.js';
import { prepareMouth, updateMouthInPlace } from './mouth.js';
import type { MouthWarp } from './mouth-config.js';
import { lipsReach, mouthBox } from './mouth-map.js';
import { mouthStyleOf } from './mouth-interior.js';
import { blendOverlayInPlace, overlayRect, reblendOverlays, type Overlay } from './overlay.js';
import type { PixelScene } from './pixels.js';
import { SampleAction } from './sample.js';
import { createShutMouth, isShut } from './shut-mouth.js';
import type { FaceWarps } from './warp.js';
import { evenRect, planesOf, rgbToYuv420, type YuvPlanes } from './yuv.js';

export { composeBaseFrame, pictureInFrame, placePicture, type PicturePlacement } from './base-frame.js';
export { planLayout, mayPad, fixedMinSideSize, guessFaceBox, toFrameCoords, rectToFrame } from './layout.js';
export { MOUTH } from './mouth-config.js';
export { mouthState, type MouthState } from './mouth-interior.js';
export { EYE } from './eye-config.js';
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
  /**
   * Renders one frame's moving region into `out`, a buffer from newFrame(). With `clock`, each
   * pass's time is added to clock.ms under the pass's name (profiling: see bench/passes.ts).
   */
  renderInto(out: Uint8Array, params: FrameParams, clock?: PassClock): void;
}

/** Time spent per pass (by `now`, in ms: wall or CPU time), summed over the frames rendered with it. */
export interface PassClock { readonly now: () => number; readonly ms: Record<string, number> }

export const PASSES = Object.freeze(['warps', 'breathe', 'trace', 'warp', 'sample', 'pixels', 'overlays'] as const);

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

/** Updates the mouth and eye warps for a frame's parameters. */
function updateWarps(w: FaceWarps, p: FrameParams, kernels: RenderKernels): void {
  if (w.mouth) updateMouthInPlace(w.mouth, p, kernels.mouthFill);
  w.eyes.forEach((e, i) => updateEyeInPlace(e, i === 0 ? p.blinkLeft : p.blinkRight, p.gazeX ?? 0, p.gazeY ?? 0, p.browRaise ?? 0));
}

/** The frame's head motion, or null while the head is still (and where the rig has no head). */
function motionAt(rig: FaceRig, p: FrameParams): HeadMotion | null {
  if (!rig.head) return null;
  const m = headMotion(rig.head, p.headYaw ?? 0, p.headPitch ?? 0, p.headRoll ?? 0, p.breath ?? 0);
  return isStill(m) ? null : m;
}

/** How a renderer may trade exactness for speed; the defaults draw every frame in full. */
export interface RendererOptions {
  /**
   * Frames whose mouth is pressed shut (isShut) are drawn from a picture with that mouth baked
   * in (shutMouth.ts), without the mouth warp: the lips cost what the rest of the face does.
   * For a listener in a picture with several faces, whose mouth is shut most of the time. Not
   * byte-identical to the full pass while the head moves (see shutMouth.ts), so off by default:
   * single-face videos stay exactly as they were.
   */
  readonly bakeShutMouth?: boolean;
  /**
   * The base's and the background's yuv420p (backgroundFrame), where the caller has them already:
   * a render thread is sent them with its job, instead of converting two whole frames before its
   * first frame.
   */
  readonly yuv?: { readonly base: Uint8Array; readonly background: Uint8Array };
}

/** One way of drawing a frame: the warps, and the pictures it samples (the full pass, or the one with a shut mouth baked in). */
interface FramePass {
  readonly warps: FaceWarps;
  readonly scene: PixelScene;
  /** The classification the warp pass reads (the full pass's, or one whose lips are plain head blocks). */
  readonly map: BlockMap;
  readonly src: YuvPlanes;
  readonly bg: YuvPlanes;
  /** The mouth warp; null where the jaw's blocks go as plain head blocks. */
  readonly mouth: MouthWarp | null;
}

/** What every frame of a renderer reuses: the blocks it visits, as lists by kind, and per-block scratch. */
interface FrameBlocks {
  readonly rig: FaceRig;
  readonly region: Rect;
  readonly map: BlockMap;
  readonly list: BlockList;
  readonly warped: Int32Array;
  readonly jaw: Int32Array;
  readonly edgeOrBrow: Int32Array;
  readonly band: BreathingBand;
  readonly overlayClips: readonly { o: Overlay; clip: Rect }[];
  readonly pivot: Point;
  /** Per visited block: its traced source point and this frame's action (Head blocks: always SampleAction.Block, 0). */
  readonly qx: Float64Array;
  readonly qy: Float64Array;
  readonly action: Uint8Array;
  /** Per block: whether it was drawn from the clean base (overlays again). */
  readonly fresh: Uint8Array;
}

/** The frame's passes, in order, each timed by `lap`. */
function drawFrame(pass: FramePass, b: FrameBlocks, kernels: RenderKernels, p: FrameParams, f: YuvPlanes, lap: (name: string) => void): void {
  const { list, qx, qy, action, fresh } = b;
  updateWarps(pass.warps, p, kernels);
  const m = motionAt(b.rig, p);
  lap('warps');
  b.band.drawInto(f, m ? m.lift : 0, fresh);
  lap('breathe');
  kernels.traceBlocks(list, b.map, m, b.pivot, qx, qy);
  lap('trace');
  if (pass.mouth) kernels.warpJawBlocks(pass.mouth, b.jaw, qx, qy, action);
  else for (let n = 0; n < b.jaw.length; n++) action[b.jaw[n]] = SampleAction.Block;
  kernels.warpBlocks(pass.scene, pass.map, list, b.edgeOrBrow, qx, qy, action);
  lap('warp');
  kernels.sampleBlocks(list, action, qx, qy, pass.src, pass.bg, f, fresh);
  lap('sample');
  if (pass.mouth) kernels.drawJawBlocks(pass.mouth, list, b.warped, action, qx, qy, pass.src, f);
  kernels.drawEdgeBlocks(pass.scene, list, b.warped, action, m, f);
  lap('pixels');
  reblendOverlays(f, b.overlayClips, b.region, b.map.bw, b.map.kind, fresh);
  lap('overlays');
}

export function createFrameRenderer(base: RgbImage, rig: FaceRig, overlays: readonly Overlay[] = [], kernels: RenderKernels = renderKernels(), options: RendererOptions = {}): FrameRenderer {
  const { width, height } = base;
  const src = planesOf(options.yuv?.base ?? rgbToYuv420(base.data, width, height), width, height);
  const mouth = rig.mouth && prepareMouth(base, rig.mouth);
  // Faces without human teeth are the animals and drawings: their eyes may be dark all across.
  const eyes = rig.eyes.map((e) => prepareEye(base, e, { darkEyes: rig.mouth?.teeth === false, animal: !!rig.mouth && mouthStyleOf(rig.mouth) === 'animal' }));
  const head = rig.head && prepareHead(rig.head, width, height);
  const warps: FaceWarps = { mouth, mouthBox: mouth ? mouthBox(mouth) : null, eyes, eyeBoxes: eyes.map(eyeBox) };
  const parts = [head?.bounds, warps.mouthBox, ...warps.eyeBoxes].filter((r): r is Rect => !!r && r.width > 0 && r.height > 0);
  const union = unionRects(parts);
  const region = union ? evenRect(union, width, height) : { x: 0, y: 0, width: 0, height: 0 };
  const background = options.yuv?.background ?? backgroundFrame(base, overlays);
  const bg = planesOf(background, width, height);

  // Head motion moves base points by at most a few percent of the head size (about 6 % for a
  // lively prompt's widest turn); blocks that could land on the lips or an eye are traced per pixel.
  const slack = rig.head ? 0.1 * rig.head.halfHeight + 2 : 2;
  const map = classifyBlocks(region, {
    head, eyeBoxes: warps.eyeBoxes, lidBoxes: eyes.map((e) => e.lidBounds), mouthBox: warps.mouthBox,
    nearLips: mouth ? lipsReach(mouth) : () => false, slack,
  });
  const { bw, bh, kind } = map;
  // The blocks each frame visits: all but the never-moving ones and the breathing band's; and
  // among them (as positions in the list) those a mouth or eye warp acts on.
  const list = blockList(region, bw, bh, (b) => kind[b] !== BlockKind.Still && kind[b] !== BlockKind.Body);
  const positions = (keep: (k: number) => boolean) => {
    const at: number[] = [];
    for (let i = 0; i < list.n; i++) if (keep(kind[list.b[i]])) at.push(i);
    return Int32Array.from(at);
  };
  const warped = positions((k) => k !== BlockKind.Head), jaw = positions((k) => k === BlockKind.Jaw);
  const edgeOrBrow = positions((k) => k === BlockKind.Edge || k === BlockKind.Brow);
  const band = createBreathingBand(src, bg, region, bw, blockRuns(bw, bh, (b) => kind[b] === BlockKind.Body), map.body,
    { x: -(rig.head?.axis.y ?? 0), y: rig.head?.axis.x ?? 1 }, rig.head ? HEAD.breathLift * rig.head.halfHeight : 0);
  const overlayClips = overlays
    .map((o) => ({ o, clip: intersectRects(region, overlayRect(o)) }))
    .filter((c): c is { o: Overlay; clip: Rect } => c.clip !== null);

  const pivot = rig.head?.pivot ?? { x: 0, y: 0 };
  const blocks: FrameBlocks = {
    rig, region, map, list, warped, jaw, edgeOrBrow, band, overlayClips, pivot,
    qx: new Float64Array(list.n), qy: new Float64Array(list.n), action: new Uint8Array(list.n), fresh: new Uint8Array(bw * bh),
  };
  const full: FramePass = { warps, scene: { src, warps, head, pivot }, map, src, bg, mouth };
  // Shut-mouth frames: the picture with the shut mouth baked in, no mouth warp, and the lips'
  // Edge blocks calm as plain head blocks where no lid is near.
  const shut = options.bakeShutMouth && mouth ? createShutMouth({ src, bg, mouth, list, map, kernels, overlays: overlayClips }) : null;
  const stillWarps: FaceWarps = { mouth: null, mouthBox: null, eyes, eyeBoxes: warps.eyeBoxes };
  const still: FramePass | null = shut && {
    warps: stillWarps, scene: { src: shut.src, warps: stillWarps, head, pivot },
    map: { ...map, calm: map.calm.map((k) => (k === BlockKind.Jaw ? BlockKind.Head : k)) }, src: shut.src, bg: shut.bg, mouth: null,
  };

  return {
    width,
    height,
    region,
    newFrame: () => new Uint8Array(background),
    renderInto(out, p, clock) {
      if (region.width === 0) return;
      let t = clock ? clock.now() : 0;
      const lap = (name: string) => { if (clock) { const now = clock.now(); clock.ms[name] = (clock.ms[name] ?? 0) + now - t; t = now; } };
      // Which way a frame is drawn depends on its parameters alone: frames are rendered by
      // several threads in any order, and each must come out the same whichever drew it.
      const baked = shut && still && isShut(p);
      if (baked) shut.planesFor(p);
      drawFrame(baked ? still : full, blocks, kernels, p, planesOf(out, width, height), lap);
    },
  };
}
