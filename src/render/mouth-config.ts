// The mouth warp's numbers and its per-video state (mouth.ts prepares and updates it,
// mouth-columns.ts fills its per-column tables, mouth-map.ts traces pixels through it).
import type { MouthRig, Rect } from '../core/types.js';
import type { MouthPalette } from './mouth-interior.js';

export const MOUTH = Object.freeze({
  /**
   * Widest lip gap at jaw = 1, x the face's own mouth-width scale (see openingScale): a jaw
   * drops as far on a thin, narrow mouth as on full lips or a broad smile. (0.3 while the gap
   * spanned the whole width: ending it inside the corners (openWidth) took a fifth of its area,
   * and thin closed lips, Mona Lisa's, parted on 7 % of the fast sentence's speech frames
   * instead of 16 %; 0.36 gives back 14 %.)
   */
  maxOpen: 0.36,
  /**
   * Share of the widest gap at jaw j: ((j - openDeadZone) / (1 - openDeadZone))^openCurve. Small
   * jaw values (fast speech, where the jaw never gets far before it must close again; Mandarin
   * at 8 syllables a second has a median jaw of 0.09) still part the lips visibly; 0 and 1 stay
   * put, and the dead zone keeps a jaw settling towards rest from showing a slit.
   */
  openCurve: 0.65,
  openDeadZone: 0.03,
  /** Share of the opening taken by the upper lip moving up. */
  upperShare: 0.15,
  /** Extra upper-lip lift at upperLipRaise = 1, x width. */
  raise: 0.05,
  /** Corner shift outwards at full spread and inwards at full rounding, x width. */
  spread: 0.07,
  round: 0.11,
  /** How far pressed lips roll in, x lip height. */
  press: 0.2,
  /**
   * The lip gap of a tongue's near-closure, x the widest: the jaw is up but the lips stay just
   * apart (the teeth's edge shows where the picture has teeth) rather than shut as for p/b/m.
   */
  tongueGap: 0.15,
  /** Depth below the lower lip over which lip-shaped motion becomes rigid jaw motion, x width. */
  lipBlend: 0.16,
  /** Lift of the mouth corners at a full smile, x width. */
  smileLift: 0.09,
  columns: 48,
  /** Deepest dark band under an open source mouth's inner lower lip taken as interior, x width. */
  shadowBelow: 0.1,
  /** Spacing (px) of the grid the warp's smooth part is sampled on each frame. */
  gridStep: 4,
  /** Stretch (see mouthStretchAt) beyond which a block is traced per pixel: its corners would be off by a tenth of a pixel. */
  maxBlockStretch: 0.2,
  /** Spread across the mouth (Gaussian sigma, x width) of the upper lip's motion in the skin above it. */
  skinSmoothing: 0.1,
  /**
   * Share of the mouth's width the lip gap spans: the lips stay together at their corners,
   * where they are thin. A gap reaching the corner points showed the dark interior past the
   * lips, as black wedges at both corners of a smile.
   */
  openWidth: 0.82,
  /**
   * The gap across the mouth is (1 - t^2)^openShape of its middle's (t = -1..1 over the gap's
   * width): rounded ends, not the blunt lens of a lower power that stays wide up to the corners.
   */
  openShape: 0.8,
  /** A drawn mouth is small: its widest opening and its opening's width, x a photo's. */
  drawnOpen: 0.6,
  drawnWidth: 0.8,
});

/**
 * A shift that changes by D px over a smoothstep of length L has a steepest slope of 1.5 D / L:
 * at 1 the picture folds over, near 1 a long stretch of the source is crammed into one row.
 * Transitions are at least this many times their change long, so a jaw closing a wide-open
 * source mouth squeezes the chin evenly (at most about three source rows to an output row).
 */
export const FOLD_FREE = 2.2;

export interface MouthWarp {
  readonly rig: MouthRig;
  /** Lip gap at jaw = 1, px (see openingScale). */
  readonly openPx: number;
  /** Share of the mouth's width the opening spans (less for a drawn mouth). */
  readonly openWidth: number;
  readonly bounds: Rect;
  readonly uMin: number; readonly uMax: number; readonly vMin: number; readonly vMax: number;
  readonly neckFall: number;
  /** Where the frame ends below the mouth, in v (the nearest over its width): the jaw's shift has faded out by then (mouth-columns.ts lowerShift). */
  readonly frameV: number;
  readonly palette: MouthPalette;
  readonly sourceTeeth: boolean;
  /**
   * Per column: how far below the upper lip the source's own teeth reach (0 where it shows
   * none). The face model's inner lower lip often lies on the lower lip's wet inside, below the
   * teeth: reusing all of the source gap put a band of lip colour inside the open mouth.
   */
  readonly teethDepth: Float32Array;
  readonly rows: number;
  // Per-column tables, refilled each frame by updateMouthInPlace.
  readonly upIn: Float32Array; readonly lowIn: Float32Array;
  readonly top: Float32Array; readonly bottom: Float32Array;
  readonly upperInv: Float32Array; readonly lowerInv: Float32Array;
  /** The upper edge's shift per column smoothed across the mouth, for the skin above the lip. */
  readonly upSmooth: Float32Array;
  /** The warp's displacement this frame at base-frame points bounds.x/y + gridStep x (i, j). */
  readonly gridCols: number; readonly gridRows: number;
  readonly gridX: Float32Array; readonly gridY: Float32Array;
  /** Horizontal shift profile across u and down v (per column / per row), and its gain this frame. */
  readonly uProfile: Float32Array; readonly vProfile: Float32Array;
  /** How much each column takes of a smile's corner lift: most at the corners. */
  readonly cornerProfile: Float32Array;
  shiftGain: number;
  smileGain: number;
  /**
   * This frame's lips in the lip frame (|u| < zoneHalfU, zoneTop < v < zoneBottom): the lip gap,
   * the lips around it and the drawn interior, where the warp has edges. Outside it, smooth.
   */
  zoneHalfU: number;
  zoneTop: number;
  zoneBottom: number;
  key: string;
}
