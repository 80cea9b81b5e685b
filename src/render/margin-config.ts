// The numbers and shapes of a padded frame's margins (margin.ts, margin-edge.ts, margin-texture.ts).

export const MARGIN = Object.freeze({
  /** Width of the edge strip read, px of the frame. */
  strip: 6,
  /**
   * A position is background while its colour is within this of the background's (distance in
   * Y, Cb, Cr with chroma counted chromaWeight times: a dark suit against a dark blue wall
   * differs in hue more than in brightness), ...
   */
  tolerance: 22,
  chromaWeight: 2,
  /** Extra tolerance for single pixels of the strip (grain, JPEG noise), levels. */
  pixelNoise: 8,
  /** ... plus this many times the backdrop's own spread along the edge. */
  toleranceSpread: 2.5,
  /** A side whose backdrop is less than this share of it takes the other sides' backdrop (margin.ts). */
  ownBackdrop: 0.25,
  /** Runs of background shorter than this share of the edge, with the person on both sides, are the person's (hair strands, shadow). */
  minRun: 0.04,
  /** Positions this close (share of the edge) to the person's are taken as theirs: the strip blends both there. */
  blendRows: 0.008,
  /** How fast the background colour followed along the edge adapts (share per pixel). */
  follow: 0.1,
  /** Share of a side's length, from its top, where the backdrop is read (people reach the sides lower down). */
  referenceSpan: 0.4,
  /**
   * A backdrop whose edge colour strays less than this (mean distance, levels) from its own
   * trend (the colour smoothed over detailSpan of the edge's length) is plain.
   */
  plainSpread: 3,
  detailSpan: 0.05,
  /** On a dark backdrop small differences tell more: the tolerance shrinks with its luma below this, down to minScale. */
  toleranceLuma: 160,
  toleranceMinScale: 0.35,
  /**
   * Smoothing along the edge, as a share of the frame's short side: at the picture's edge, and
   * from farOut (share of the short side) away from it on, where a textured backdrop is only its
   * colours: the continuation blurs as it leaves the picture.
   */
  smoothNear: 0.006,
  smoothFar: 0.11,
  farOut: 0.2,
  /** With a person mask: a strip pixel at least this much the person makes its position the person's. */
  personLevel: 0.1,
  /**
   * A picture's outermost line (a column or row left by a resizer or a scanner: a light or dark
   * border one pixel wide) that differs from the next line in by more than this mean luma, while
   * that line and the one after it agree within half of it, is replaced by the next line, so a
   * padded frame shows no seam of it beside its margin.
   */
  edgeLineStep: 16,
  /**
   * ... and the line inside such a border whose mean luma is off the next line in by more than
   * this (and twice as much as that line is off the one after it) is the border's overshoot
   * left by the resizer, replaced with it: the cat's light right border left a line 4-9 levels
   * darker than the fur-dark backdrop beside it, a 2 px seam at the margin.
   */
  edgeRingStep: 2,
  /**
   * A textured backdrop (foliage, a flag, a painted canvas) is continued as its mirror image,
   * blurred more the further it is from the picture, fading towards its own smoothed colour: the
   * way broadcasters fill a 16:9 frame around portrait footage. Carrying each row's edge colour
   * outwards instead draws long horizontal streaks. The mirrored band is this deep (share of the
   * frame's short side) with a person mask, which keeps the person out of it pixel by pixel ...
   */
  mirrorDepth: 0.3,
  /**
   * ... and this deep without one, where the positions along the edge and the colours tell the
   * person's: a band pixel counts as backdrop as far as its colour is within the edge's tolerance
   * of the backdrop carried along the edge (fully within half of it).
   */
  mirrorDepthByColour: 0.1,
  /** Blur radius at the picture's edge (share of the short side) and its growth per pixel out. */
  blurNear: 0.004,
  blurGrowth: 0.4,
  /** A mirrored pixel is backdrop in full below this much person, and not at all from personFull on. */
  personFull: 0.5,
  /** The mask is read this far around each pixel (share of the short side), the most person found counting: its edge is soft and loose hair strays past it. */
  personReach: 0.015,
  /**
   * A mask is used only where this quantile of its values over the picture reaches maskSure: a
   * segmenter sure of a person marks it at 1 (1.00 on every other fixture, read at 512 px); one that
   * half-recognises an animal stays well under it (the shiba's 0.67). margin.ts sureMask.
   */
  maskSureQuantile: 0.99,
  maskSure: 0.9,
  /** A mask that calls less than this share of the picture the person has missed the subject (an animal, a drawing): the band is then as deep as without one. */
  personMinShare: 0.05,
  /** Boxes up to this many times (2^levels) larger fill in where the person left too little backdrop; past them the colour carried along the edge does. */
  fillLevels: 2,
  /** The continuation fades towards the backdrop's smoothed colour: up to this share, reached fadeOut (share of the short side) from the picture. */
  fadeMax: 0.45,
  fadeOut: 0.45,
});

export type Side = 'left' | 'right' | 'top' | 'bottom';

/** How much frame pixel (x, y), inside the placed picture, is the person: 0 .. 1 (a segmentation mask). */
export type PersonAt = (x: number, y: number) => number;
