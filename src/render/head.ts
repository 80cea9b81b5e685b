// Head motion as a 2.5-D warp. The head is an ellipsoid: turning and nodding shift each point by
// its depth (the nose moves most, the outline least), tilting rotates about the base of the
// neck, breathing lifts everything a little. A feathered mask carries the motion smoothly into
// the neck and the background right around the silhouette, so nothing tears and the rest of
// the frame stays still. Pure.
import { clamp, smoothstep } from '../core/geometry.js';
import type { HeadRig, Rect } from '../core/types.js';

export const HEAD = Object.freeze({
  /** Mask feather beyond the head ellipse, as a fraction of its radii. */
  feather: 0.3,
  /** Share of turn/nod shift every head point gets regardless of depth (the skull moves too). */
  rigidShare: 0.35,
  /** Head rise at full breath, x head half-height. */
  breathLift: 0.006,
});

export interface HeadWarp {
  readonly rig: HeadRig;
  /** Region the mask covers (even-aligned), and per-pixel mask weight and weight x depth term. */
  readonly bounds: Rect;
  readonly weight: Float32Array;
  readonly weightDepth: Float32Array;
}

export function prepareHead(rig: HeadRig, width: number, height: number): HeadWarp {
  const reach = 1 + HEAD.feather;
  const ax = rig.axis.x, ay = rig.axis.y;
  const ex = Math.hypot(rig.halfWidth * ax, rig.halfHeight * ay) * reach;
  const ey = Math.hypot(rig.halfWidth * ay, rig.halfHeight * ax) * reach;
  const x0 = clamp(Math.floor((rig.center.x - ex) / 2) * 2, 0, width), x1 = clamp(Math.ceil((rig.center.x + ex) / 2) * 2, 0, width);
  const y0 = clamp(Math.floor((rig.center.y - ey) / 2) * 2, 0, height), y1 = clamp(Math.ceil((rig.center.y + ey) / 2) * 2, 0, height);
  const bounds = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  const weight = new Float32Array(bounds.width * bounds.height);
  const weightDepth = new Float32Array(bounds.width * bounds.height);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const dx = x - rig.center.x, dy = y - rig.center.y;
      const u = (dx * ax + dy * ay) / rig.halfWidth;
      const v = (-dx * ay + dy * ax) / rig.halfHeight;
      const r2 = u * u + v * v;
      const w = 1 - smoothstep(1, reach, Math.sqrt(r2));
      const z = r2 < 1 ? Math.sqrt(1 - r2) : 0;
      const i = (y - y0) * bounds.width + (x - x0);
      weight[i] = w;
      weightDepth[i] = w * (HEAD.rigidShare + (1 - HEAD.rigidShare) * z);
    }
  }
  return { rig, bounds, weight, weightDepth };
}

/** Per-frame coefficients of the head displacement D(p) = A (p - pivot) + depthTerm * s. */
export interface HeadMotion {
  readonly a11: number; readonly a12: number; readonly a21: number; readonly a22: number;
  /** Added for every unit of mask weight (breathing lift). */
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
    tx: nx * lift, ty: ny * lift,
    sx: ax * turn + nx * nod, sy: ay * turn + ny * nod,
  };
}

export const isStill = (m: HeadMotion): boolean =>
  Math.abs(m.a21) < 1e-6 && Math.abs(m.tx) + Math.abs(m.ty) + Math.abs(m.sx) + Math.abs(m.sy) < 1e-4;
