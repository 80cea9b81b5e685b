// The per-frame loops that touch most moving blocks (trace.ts traceBlocks, warp.ts warpJawBlocks,
// warpBlocks, sample.ts sampleBlocks, pixels.ts drawJawBlocks and drawEdgeBlocks), in TypeScript or in the native addon native/render (built by scripts/setup.mjs),
// which computes the same numbers in the same order: frames are byte-identical either way, and
// without the addon (not built) the TypeScript runs, about three times slower.
import { createRequire } from 'node:module';
import { nativeAddon } from '../core/native-addon.js';
export { RENDER_ADDON, RENDER_ADDON_V3 } from '../core/native-addon.js';
import type { Point } from '../core/types.js';
import type { BlockList } from './blocks.js';
import type { HeadMotion } from './head.js';
import { newPixelSource } from './map.js';
import { JS_MOUTH_FILL, type MouthFill } from './mouth.js';
import { FOLD_FREE, MOUTH, type MouthWarp } from './mouth-config.js';
import { SampleAction, sampleBlocks } from './sample.js';
import { drawEdgeBlocks, drawJawBlocks, newEdgeScratch, type PixelScene } from './pixels.js';
import { EYE } from './eye-config.js';
import { traceBlocks, type BlockWeights } from './trace.js';
import { EDGE_MARGIN, warpBlocks, warpJawBlocks } from './warp.js';
import { BlockKind } from './blocks.js';
import type { BlockMap } from './classify.js';
import { LUMA, type YuvPlanes } from './yuv.js';

export interface RenderKernels {
  readonly name: 'native' | 'js';
  traceBlocks(list: BlockList, w: BlockWeights, m: HeadMotion | null, pivot: Point, qx: Float64Array, qy: Float64Array): void;
  warpJawBlocks(mouth: MouthWarp, jaw: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array): void;
  drawJawBlocks(mouth: MouthWarp, list: BlockList, positions: Int32Array, action: Uint8Array, qx: Float64Array, qy: Float64Array, src: YuvPlanes, out: YuvPlanes): void;
  sampleBlocks(list: BlockList, action: Uint8Array, qx: Float64Array, qy: Float64Array, src: YuvPlanes, bg: YuvPlanes, out: YuvPlanes, fresh: Uint8Array): void;
  drawEdgeBlocks(scene: PixelScene, list: BlockList, positions: Int32Array, action: Uint8Array, m: HeadMotion | null, out: YuvPlanes): void;
  warpBlocks(scene: PixelScene, map: BlockMap, list: BlockList, positions: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array): void;
  /** The per-frame loops of mouth.ts updateMouthInPlace. */
  readonly mouthFill: MouthFill;
}

const jawScratch = newPixelSource();
const edgeScratch = newEdgeScratch();
export const JS_KERNELS: RenderKernels = Object.freeze({
  name: 'js', traceBlocks, sampleBlocks,
  warpJawBlocks: (mouth: MouthWarp, jaw: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array) => warpJawBlocks(mouth, jaw, qx, qy, action, jawScratch),
  drawJawBlocks: (mouth: MouthWarp, list: BlockList, positions: Int32Array, action: Uint8Array, qx: Float64Array, qy: Float64Array, src: YuvPlanes, out: YuvPlanes) =>
    drawJawBlocks(mouth, list, positions, action, qx, qy, src, out, jawScratch),
  drawEdgeBlocks: (scene: PixelScene, list: BlockList, positions: Int32Array, action: Uint8Array, m: HeadMotion | null, out: YuvPlanes) =>
    drawEdgeBlocks(scene, list, positions, action, m, out, edgeScratch),
  warpBlocks: (scene: PixelScene, map: BlockMap, list: BlockList, positions: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array) =>
    warpBlocks(scene.warps, map, list, positions, qx, qy, action, jawScratch),
  mouthFill: JS_MOUTH_FILL,
});

/** What native/render/render_addon.cc exports (its argument lists are spelled out there). */
interface RenderAddon {
  traceBlocks(n: number, x: Int32Array, y: Int32Array, b: Int32Array, weight: Float32Array, depth: Float32Array, body: Float32Array,
    motion: Float64Array | null, qx: Float64Array, qy: Float64Array): void;
  warpJawBlocks(n: number, jaw: Int32Array, qx: Float64Array, qy: Float64Array, action: Uint8Array, gridX: Float32Array, gridY: Float32Array,
    cols: number, rows: number, x0: number, y0: number, step: number, maxStretch: number, block: number, pixels: number): void;
  drawJawBlocks(n: number, positions: Int32Array, action: Uint8Array, qx: Float64Array, qy: Float64Array, x: Int32Array, y: Int32Array,
    gridX: Float32Array, gridY: Float32Array, cols: number, rows: number, x0: number, y0: number, step: number, pixels: number,
    width: number, height: number, srcY: Uint8Array, srcU: Uint8Array, srcV: Uint8Array, outY: Uint8Array, outU: Uint8Array, outV: Uint8Array): void;
  sampleBlocks(n: number, x: Int32Array, y: Int32Array, b: Int32Array, action: Uint8Array, qx: Float64Array, qy: Float64Array, width: number, height: number,
    srcY: Uint8Array, srcU: Uint8Array, srcV: Uint8Array, bgY: Uint8Array, bgU: Uint8Array, bgV: Uint8Array,
    outY: Uint8Array, outU: Uint8Array, outV: Uint8Array, fresh: Uint8Array): void;
  drawEdgeBlocks(n: number, positions: Int32Array, action: Uint8Array, x: Int32Array, y: Int32Array, edge: number, scalars: Float64Array, arrays: SceneTables,
    srcY: Uint8Array, srcU: Uint8Array, srcV: Uint8Array, outY: Uint8Array, outU: Uint8Array, outV: Uint8Array): void;
  warpBlocks(n: number, positions: Int32Array, b: Int32Array, kind: Uint8Array, calm: Uint8Array, eye: Uint8Array, qx: Float64Array, qy: Float64Array,
    action: Uint8Array, scalars: Float64Array, arrays: SceneTables): void;
  invertColumns(scalars: Float64Array, arrays: SceneTables, jawShift: number, upperInv: Float32Array, lowerInv: Float32Array): void;
  fillShiftGrid(scalars: Float64Array, arrays: SceneTables, gridX: Float32Array, gridY: Float32Array): void;
  threadCpuMs(): number;
}

/** The scene's tables: Float32Arrays, and the picture (rgb) the lid skin's cover compares with. */
type SceneTables = (Float32Array | Uint8Array)[];
/** A scene packed for the native kernels: its numbers (refilled each frame) and its tables. */
interface PackedScene { readonly scalars: Float64Array; readonly arrays: SceneTables }

const NONE = new Float32Array(0);
/** Where the eyes' numbers start among the scalars, and how many each has. */
const EYE_AT = 114, EYE_SIZE = 31;

/**
 * The scene's tables in the order render_addon.cc ReadScene reads them (head masks, the mouth
 * warp's, its grid and smoothed upper edge, then each eye's lids, lash band, lid tone, lid
 * texture, crease, shut fill, edge tone and lash line's strength), all refilled in place by their owners.
 */
function packScene(scene: PixelScene): PackedScene {
  const { head, warps: { mouth, eyes } } = scene;
  const arrays: SceneTables = [head?.weight ?? NONE, head?.bodyWeight ?? NONE, head?.weightDepth ?? NONE];
  if (mouth) arrays.push(mouth.vProfile, mouth.uProfile, mouth.cornerProfile, mouth.top, mouth.bottom, mouth.upperInv, mouth.lowerInv, mouth.upIn, mouth.lowIn, mouth.teethDepth);
  else arrays.push(...Array.from({ length: 10 }, () => NONE));
  arrays.push(mouth?.gridX ?? NONE, mouth?.gridY ?? NONE, mouth?.upSmooth ?? NONE);
  // The eyes of one renderer were all measured on its one picture.
  arrays.push(eyes[0]?.base.data ?? new Uint8Array(0));
  for (const e of eyes) arrays.push(e.rig.upperLid, e.rig.lowerLid, e.lashBand, e.lidTone, e.lidTexture, e.creaseHeight, e.creaseDepth, e.creaseHold, e.shutFill, e.lidToneLow, e.lashShow);
  return { scalars: new Float64Array(EYE_AT + EYE_SIZE * eyes.length), arrays };
}

/** This frame's numbers of the scene, in the order render_addon.cc ReadScene reads them. */
function fillScalars(f: Float64Array, scene: PixelScene, m: HeadMotion | null): void {
  const { src, head, pivot, warps: { mouth, mouthBox: mb, eyes, eyeBoxes } } = scene;
  f[0] = src.width; f[1] = src.height;
  f[2] = m ? 1 : 0;
  if (m) { f[3] = m.a11; f[4] = m.a12; f[5] = m.a21; f[6] = m.a22; f[7] = m.tx; f[8] = m.ty; f[9] = m.sx; f[10] = m.sy; }
  f[11] = pivot.x; f[12] = pivot.y;
  f[13] = head ? 1 : 0;
  if (head) { f[14] = head.bounds.x; f[15] = head.bounds.y; f[16] = head.bounds.width; f[17] = head.bounds.height; }
  f[18] = mouth && mb ? 1 : 0;
  if (mouth && mb) {
    const r = mouth.rig;
    f[19] = mb.x; f[20] = mb.y; f[21] = mb.width; f[22] = mb.height;
    f[23] = r.center.x; f[24] = r.center.y; f[25] = r.axis.x; f[26] = r.axis.y; f[27] = r.width;
    f[28] = mouth.uMin; f[29] = mouth.uMax; f[30] = mouth.vMin; f[31] = mouth.vMax; f[32] = mouth.rows; f[33] = MOUTH.columns;
    f[34] = mouth.shiftGain; f[35] = mouth.smileGain; f[36] = mouth.sourceTeeth ? 1 : 0;
  }
  f[37] = EYE.closeReach; f[38] = EYE.lashClosed; f[39] = EYE.unfoldTop; f[40] = EYE.lidShade; f[41] = EYE.lidShadeSpan;
  f[42] = EYE.lashWidth; f[43] = EYE.lashDarken; f[44] = EYE.browHalfLength;
  f[45] = eyes.length;
  if (mouth) {
    f[46] = mouth.zoneHalfU; f[47] = mouth.zoneTop; f[48] = mouth.zoneBottom;
    f[49] = mouth.gridCols; f[50] = mouth.gridRows; f[51] = MOUTH.gridStep; f[52] = MOUTH.maxBlockStretch;
    const r = mouth.rig;
    f[60] = r.noseHeight; f[61] = r.lipTop; f[62] = r.jawHalfWidth; f[63] = r.chinDepth; f[64] = mouth.neckFall; f[65] = MOUTH.lipBlend; f[66] = FOLD_FREE;
    f[113] = mouth.frameV;
    // The drawn interior (mouth-interior.ts interiorInto).
    const p = mouth.palette;
    f[71] = r.teeth !== false ? 1 : 0;
    for (let k = 0; k < 3; k++) { f[72 + k] = p.cavity[k]; f[75 + k] = p.teeth[k]; f[78 + k] = p.tongue[k]; f[89 + k] = p.line[k]; }
    f[81] = p.shadeBase; f[82] = p.shadeLow; f[83] = p.shadeUp; f[84] = p.shadeCorner; f[85] = p.tongueGain; f[86] = p.tongueCut;
    f[87] = p.tongueShade; f[88] = p.lineWidth; f[92] = p.edgeSoft;
  }
  // The closing lid's skin (eyes.ts mapEye's cover).
  f[67] = EYE.lidCover; f[68] = EYE.lidCoverDark;
  if (eyes.length > 0) { f[69] = eyes[0].base.width; f[70] = eyes[0].base.height; }
  f[93] = LUMA.kr; f[94] = LUMA.kg; f[95] = LUMA.kb; f[96] = LUMA.ys; f[97] = EYE.lashTone; f[98] = EYE.closedFrom; f[99] = EYE.closedEnd;
  // The lid's fold at its crease (eyes.ts foldLid).
  f[100] = EYE.creaseWidth; f[101] = EYE.creaseTravel; f[102] = EYE.creaseShadow; f[103] = EYE.creaseFaint; f[104] = EYE.creaseEnd; f[105] = EYE.creaseMirror; f[106] = EYE.creaseBelow;
  f[107] = EYE.lidCoverAbove; f[108] = EYE.lidCoverBelow;
  f[109] = LUMA.cb; f[110] = LUMA.cr; f[111] = EYE.furSpan; f[112] = EYE.lidCoverFast;
  f[53] = EDGE_MARGIN;
  f[54] = BlockKind.Edge; f[55] = BlockKind.Jaw; f[56] = BlockKind.Brow;
  f[57] = SampleAction.Block; f[58] = SampleAction.JawPixels; f[59] = SampleAction.EdgePixels;
  for (let e = 0; e < eyes.length; e++) {
    const w = eyes[e], b = eyeBoxes[e], l = w.lidBounds, g = EYE_AT + EYE_SIZE * e;
    f[g] = b.x; f[g + 1] = b.y; f[g + 2] = b.width; f[g + 3] = b.height;
    f[g + 4] = w.rig.center.x; f[g + 5] = w.rig.center.y; f[g + 6] = w.rig.axis.x; f[g + 7] = w.rig.axis.y; f[g + 8] = w.rig.width;
    f[g + 9] = w.vTop; f[g + 10] = w.vBrow; f[g + 11] = w.vBottom; f[g + 12] = w.aperture;
    f[g + 13] = w.blink; f[g + 14] = w.browLift; f[g + 15] = w.shiftU; f[g + 16] = w.shiftV;
    f[g + 17] = l.x; f[g + 18] = l.y; f[g + 19] = l.width; f[g + 20] = l.height;
    f[g + 21] = w.texCols; f[g + 22] = w.texRows; f[g + 23] = w.irisWidth; f[g + 24] = w.irisU;
    f[g + 25] = w.coverMin; f[g + 26] = EYE.lidCoverSkinTop; f[g + 27] = EYE.lidCoverSkinEnd * w.rig.width;
    f[g + 28] = w.lowerRise; f[g + 29] = w.coverAtLid; f[g + 30] = w.slideFur;
  }
}

function nativeKernels(addon: RenderAddon): RenderKernels {
  // One motion buffer per kernel set: a renderer calls it from one thread, one frame at a time.
  const motion = new Float64Array(10);
  const packed = new WeakMap<PixelScene, PackedScene>();
  const pack = (scene: PixelScene, m: HeadMotion | null): PackedScene => {
    let p = packed.get(scene);
    if (!p) { p = packScene(scene); packed.set(scene, p); }
    fillScalars(p.scalars, scene, m);
    return p;
  };
  // A mouth warp alone, as a scene (its own numbers and tables; no head, no eyes).
  const mouthScenes = new WeakMap<MouthWarp, PixelScene>();
  const packMouth = (w: MouthWarp): PackedScene => {
    let scene = mouthScenes.get(w);
    if (!scene) {
      const none = new Uint8Array(0);
      scene = { src: { width: 0, height: 0, y: none, u: none, v: none }, warps: { mouth: w, mouthBox: w.bounds, eyes: [], eyeBoxes: [] }, head: null, pivot: { x: 0, y: 0 } };
      mouthScenes.set(w, scene);
    }
    return pack(scene, null);
  };
  const kernels: RenderKernels = {
    name: 'native',
    traceBlocks(list, w, m, pivot, qx, qy) {
      if (m) {
        motion[0] = m.a11; motion[1] = m.a12; motion[2] = m.a21; motion[3] = m.a22;
        motion[4] = m.tx; motion[5] = m.ty; motion[6] = m.sx; motion[7] = m.sy; motion[8] = pivot.x; motion[9] = pivot.y;
      }
      addon.traceBlocks(list.n, list.x, list.y, list.b, w.weight, w.depth, w.body, m ? motion : null, qx, qy);
    },
    warpJawBlocks(mouth, jaw, qx, qy, action) {
      addon.warpJawBlocks(jaw.length, jaw, qx, qy, action, mouth.gridX, mouth.gridY, mouth.gridCols, mouth.gridRows, mouth.bounds.x, mouth.bounds.y,
        MOUTH.gridStep, MOUTH.maxBlockStretch, SampleAction.Block, SampleAction.JawPixels);
    },
    drawJawBlocks(mouth, list, positions, action, qx, qy, src, out) {
      addon.drawJawBlocks(positions.length, positions, action, qx, qy, list.x, list.y, mouth.gridX, mouth.gridY, mouth.gridCols, mouth.gridRows,
        mouth.bounds.x, mouth.bounds.y, MOUTH.gridStep, SampleAction.JawPixels, src.width, src.height, src.y, src.u, src.v, out.y, out.u, out.v);
    },
    sampleBlocks(list, action, qx, qy, src, bg, out, fresh) {
      addon.sampleBlocks(list.n, list.x, list.y, list.b, action, qx, qy, src.width, src.height,
        src.y, src.u, src.v, bg.y, bg.u, bg.v, out.y, out.u, out.v, fresh);
    },
    drawEdgeBlocks(scene, list, positions, action, m, out) {
      const p = pack(scene, m);
      const { src } = scene;
      addon.drawEdgeBlocks(positions.length, positions, action, list.x, list.y, SampleAction.EdgePixels, p.scalars, p.arrays,
        src.y, src.u, src.v, out.y, out.u, out.v);
    },
    mouthFill: Object.freeze({
      columns(w: MouthWarp, jawShift: number) {
        const p = packMouth(w);
        addon.invertColumns(p.scalars, p.arrays, jawShift, w.upperInv, w.lowerInv);
      },
      grid(w: MouthWarp) {
        const p = packMouth(w);
        addon.fillShiftGrid(p.scalars, p.arrays, w.gridX, w.gridY);
      },
    }),
    warpBlocks(scene, map, list, positions, qx, qy, action) {
      const p = pack(scene, null);
      addon.warpBlocks(positions.length, positions, list.b, map.kind, map.calm, map.eye, qx, qy, action, p.scalars, p.arrays);
    },
  };
  return Object.freeze(kernels);
}

let loaded: RenderKernels | null = null;
let addonClock: (() => number) | null = null;

/** The kernels of one build of the addon (RENDER_ADDON or RENDER_ADDON_V3); throws where it is not built. */
export function loadNativeKernels(file: string): RenderKernels {
  return nativeKernels(createRequire(import.meta.url)(file) as RenderAddon);
}

/** The native kernels when the addon is built, else the TypeScript ones. */
export function renderKernels(): RenderKernels {
  if (loaded) return loaded;
  const addon = nativeAddon<RenderAddon>();
  loaded = addon ? nativeKernels(addon) : JS_KERNELS;
  addonClock = addon?.threadCpuMs ?? null;
  return loaded;
}

/** The addon's clock of the calling thread's CPU time in ms (CLOCK_THREAD_CPUTIME_ID), or null where the addon is not built. */
export function nativeThreadClock(): (() => number) | null {
  renderKernels();
  return addonClock;
}
