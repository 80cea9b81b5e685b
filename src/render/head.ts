// Head motion as a 2.5-D warp. The head is an ellipsoid: turning and nodding shift each point by
// its depth (the nose moves most, the outline least), tilting rotates about the base of the
// neck, breathing lifts head and shoulders a little. Feathered masks carry the motion smoothly
// into the neck, the chest and the background right around the silhouette, so nothing tears and
// the rest of the frame stays still. Pure.
import { clamp, smoothstep } from '../core/geometry.js';
import type { HeadRig, Rect } from '../core/types.js';

export const HEAD = Object.freeze({
  /** Mask feather beyond the head ellipse, as a fraction of its radii. */
  feather: 0.3,
  /** Share of turn/nod shift every head point gets regardless of depth (the skull moves too). */
  rigidShare: 0.35,
  /** Head and shoulder rise at full breath, x head half-height. */
  breathLift: 0.006,
  /** The shoulder band that breathes: centre below the neck base, semi-axes, x head radii. */
  shoulderDrop: 0.35,
  shoulderHalfWidth: 2.1,
  shoulderHalfHeight: 0.4,
  shoulderFeather: 0.35,
  /**
   * Within this distance (x head half-width) of the picture's edges in the frame the motion
   * fades out: past the frame's edge there is nothing to draw from (the edge row would be
   * smeared in), and beside a margin the picture's edge would swim over it.
   */
  pinned: 0.25,
});

export interface HeadWarp {
  readonly rig: HeadRig;
  /**
   * Region the masks cover (even-aligned), and per pixel: head weight, head weight x depth
   * term, and the weight of the shoulders' breathing where the head does not already move.
   */
  readonly bounds: Rect;
  readonly weight: Float32Array;
  readonly weightDepth: Float32Array;
  readonly bodyWeight: Float32Array;
}

/** Bounding box of an ellipse (centre, unit axis, semi-axes) grown by `reach`. */
function ellipseBox(cx: number, cy: number, ax: number, ay: number, a: number, b: number, reach: number) {
  const ex = Math.hypot(a * ax, b * ay) * reach, ey = Math.hypot(a * ay, b * ax) * reach;
  return { x0: cx - ex, y0: cy - ey, x1: cx + ex, y1: cy + ey };
}

export function prepareHead(rig: HeadRig, width: number, height: number): HeadWarp {
  const reach = 1 + HEAD.feather, bodyReach = 1 + HEAD.shoulderFeather;
  const ax = rig.axis.x, ay = rig.axis.y, nx = -ay, ny = ax;
  const sa = HEAD.shoulderHalfWidth * rig.halfWidth, sb = HEAD.shoulderHalfHeight * rig.halfHeight;
  const scx = rig.pivot.x + nx * HEAD.shoulderDrop * rig.halfHeight, scy = rig.pivot.y + ny * HEAD.shoulderDrop * rig.halfHeight;
  const hbox = ellipseBox(rig.center.x, rig.center.y, ax, ay, rig.halfWidth, rig.halfHeight, reach);
  const sbox = ellipseBox(scx, scy, ax, ay, sa, sb, bodyReach);
  const x0 = clamp(Math.floor(Math.min(hbox.x0, sbox.x0) / 2) * 2, 0, width), x1 = clamp(Math.ceil(Math.max(hbox.x1, sbox.x1) / 2) * 2, 0, width);
  const y0 = clamp(Math.floor(Math.min(hbox.y0, sbox.y0) / 2) * 2, 0, height), y1 = clamp(Math.ceil(Math.max(hbox.y1, sbox.y1) / 2) * 2, 0, height);
  const bounds = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  const n = bounds.width * bounds.height;
  const weight = new Float32Array(n), weightDepth = new Float32Array(n), bodyWeight = new Float32Array(n);
  const pic = rig.picture ?? { x: 0, y: 0, width, height };
  const px0 = Math.max(0, pic.x), py0 = Math.max(0, pic.y), px1 = Math.min(width, pic.x + pic.width) - 1, py1 = Math.min(height, pic.y + pic.height) - 1;
  const pin = HEAD.pinned * rig.halfWidth;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const edge = Math.min(x - px0, px1 - x, y - py0, py1 - y);
      const held = edge >= pin ? 1 : smoothstep(0, pin, edge);
      const dx = x - rig.center.x, dy = y - rig.center.y;
      const u = (dx * ax + dy * ay) / rig.halfWidth;
      const v = (-dx * ay + dy * ax) / rig.halfHeight;
      const r2 = u * u + v * v;
      const w = 1 - smoothstep(1, reach, Math.sqrt(r2));
      const z = r2 < 1 ? Math.sqrt(1 - r2) : 0;
      const sx = x - scx, sy = y - scy;
      const su = (sx * ax + sy * ay) / sa, sv = (-sx * ay + sy * ax) / sb;
      const body = 1 - smoothstep(1, bodyReach, Math.sqrt(su * su + sv * sv));
      const i = (y - y0) * bounds.width + (x - x0);
      weight[i] = w * held;
      weightDepth[i] = w * (HEAD.rigidShare + (1 - HEAD.rigidShare) * z) * held;
      bodyWeight[i] = body * (1 - w);
    }
  }
  return { rig, bounds, weight, weightDepth, bodyWeight };
}

/** Per-frame coefficients of the head displacement D(p) = A (p - pivot) + depthTerm * s. */
export interface HeadMotion {
  readonly a11: number; readonly a12: number; readonly a21: number; readonly a22: number;
  /** Added for every unit of head or shoulder weight: the breathing lift (px), along the body's normal. */
  readonly lift: number;
  readonly tx: number; readonly ty: number;
  /** Added per unit of weight x depth (turn and nod). */
  readonly sx: number; readonly sy: number;
}

const DEG = Math.PI / 180;

/** Motion coefficients for a head pose in degrees and a breathing phase in [-1, 1]. */
export function headMotion(rig: HeadRig, yawDeg: number, pitchDeg: number, rollDeg: number, breath: number): HeadMotion {
  const t = rollDeg * DEG;
  const c = Math.cos(t) - 1, s = Math.sin(t);
  const ax = rig.axis.x, ay = rig.axis.y, nx = -ay, ny = ax;
  // Turning moves the face front across by about the head radius times the angle.
  const turn = Math.sin(yawDeg * DEG) * rig.halfWidth;
  const nod = Math.sin(pitchDeg * DEG) * rig.halfHeight * 0.8;
  const lift = -breath * HEAD.breathLift * rig.halfHeight;
  return {
    a11: c, a12: -s, a21: s, a22: c,
    lift, tx: nx * lift, ty: ny * lift,
    sx: ax * turn + nx * nod, sy: ay * turn + ny * nod,
  };
}

export const isStill = (m: HeadMotion): boolean =>
  Math.abs(m.a21) < 1e-6 && Math.abs(m.tx) + Math.abs(m.ty) + Math.abs(m.sx) + Math.abs(m.sy) < 1e-4;
