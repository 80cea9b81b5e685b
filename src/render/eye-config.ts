// The eye warp's numbers and its per-video state (eye-prepare.ts makes it, eyes.ts traces pixels
// through it each frame; eye-skin.ts measures the lid skin it is made of).
import type { EyeRig, Rect, RgbImage } from '../core/types.js';

export const EYE = Object.freeze({
  /** How far above the lid the stretched skin starts, x eye width. */
  skinAbove: 0.38,
  /**
   * The brow looked for (eye-skin.ts belowBrow): from browAbove x the eye's width above the lid
   * skin's top, in rows across the middle 2 x browRowAcross of the eye, darker by browContrast
   * levels at least than the skin below it, and a band at least browThick thick (searched up to
   * browReachUp above the lid skin's top): the fixtures' brows 0.14-0.3, a crease line 0.05.
   */
  browAbove: 0.1,
  browRowAcross: 0.3,
  browContrast: 25,
  browThick: 0.1,
  browReachUp: 0.4,
  /**
   * At full closure the lid travels this fraction of the aperture: a little past the lower lid's
   * landmark line, which tends to sit a pixel or two low, so no white shows under a closed lid.
   */
  closeReach: 1.08,
  /**
   * An animal's lower lid rises this share of the way, the upper lid coming down the rest, so
   * the lids meet across the eye's middle (a cat's closed eye is a line halfway down, its fur
   * stretched less); the skin below the eye unfolds upwards from lowerSkin x the rise below the
   * lower lid. A human's lower lid barely moves: 0 there, the upper lid closes it. The upper lid
   * alone stretched the fur above a large round eye over all of it, and its lash line followed
   * the eye's round bottom: a U under a tall patch.
   */
  lowerRise: 0.4,
  lowerSkin: 1.2,
  /** Lash line thickness, x eye width, and how dark it gets at full closure. */
  lashWidth: 0.07,
  lashDarken: 0.35,
  /**
   * The lash line is drawn where the picture shows an eye: where, over the lash band and the
   * opening, it differs from the lid skin by lashShowTo levels of luma (lashes, iris, white), and
   * not at all under lashShowFrom (skin: a rig past the eye's corner; eye-skin.ts measureLashShow).
   */
  lashShowFrom: 16,
  lashShowTo: 40,
  /**
   * The band of lashes, liner and crease shadow above the lid line is where the picture is this
   * much darker than the lid skin above it (luma ratio), looked for up to this far above the
   * line (x the lid skin's height) and at least lashMin thick (x eye width).
   */
  lashDark: 0.86,
  lashReach: 0.6,
  lashMin: 0.03,
  /** ...and at most lashCap x its median across the eye (thicker is the socket's shadow). */
  lashCap: 1.5,
  /** Thickness of the lash line on a closed eye, x eye width: about the lash roots' row. */
  lashClosed: 0.035,
  /**
   * The lash line is no lighter than this x the lid skin's luma (above black): the band squeezed
   * into it is pale on a painted lid or where white lies under a refitted lid line, and read as a
   * grey or white sliver at the closed lid's edge.
   */
  lashTone: 0.4,
  /**
   * From this far into a blink every column of the lid closes with the middle, to shut (the lashes
   * squeezed into the line, the skin over the eye): near the corners the lid travels little, and
   * a shut eye still showed its lashes and the pale inner corner there, squeezed only as far.
   */
  closedFrom: 0.7,
  /** ...fading to the lid's own travel over this much of the eye's width at each end, so the lid has no hard end. */
  closedEnd: 0.12,
  /** The closed lid darkens this much towards its edge, over this lower share of its height. */
  lidShade: 0.07,
  lidShadeSpan: 0.35,
  /**
   * A closed lid is at least this much its skin's own colour (with its texture, lidTexture), and
   * fully so where the stretched picture differs from that colour by lidCoverDark levels:
   * stretched lashes, brow hairs, crease shadow and highlights would run down the lid in streaks.
   * 0.25 left the stretch's streaks showing (fur, an old photo's grain) once the cover had texture.
   */
  lidCover: 0.6,
  lidCoverDark: 30,
  /**
   * ...and where the picture shows a strand across a human lid (eyes.ts strandAt) the cover grows
   * (1 + lidCoverFast) times as fast as the lid travels: covered as fast as the lid came down, a
   * long-lashed eye's lashes curling up over its lid showed through the half-shut lid as grey
   * streaks (they are rooted at the lid's edge, and move down with it). Not where the picture is
   * merely darker than the lid skin: a shadowed socket's lid stood out as a pale dome; nor on a
   * drawing's lid, whose texture (taken with its drawn lashes' dots) then showed as a hatch.
   */
  lidCoverFast: 1,
  /**
   * A human lid is made of its skin (lid-skin.ts) and at least lidCoverSkin its colour, fading in
   * over the top lidCoverSkinTop of the lid's height: 0.4 of the stretched picture left crease
   * lines and the band of lashes stretched across it in streaks, and the fade over 0.3 of it drew
   * the lid's top as an edge under a low brow.
   */
  lidCoverSkin: 0.85,
  lidCoverSkinTop: 0.5,
  /**
   * ...and over this share of the eye's width at each end a lid gives way to the picture
   * there (its stretch is slight at the corners) where that is of the skin's light: its least
   * cover fades to 0, so white or lashes there are still covered. Ended at the eye's box, the lid
   * read as a patch with hard sides where the skin beside the eye is shaded (a crease, the socket).
   */
  lidCoverSkinEnd: 0.2,
  /**
   * An animal's or a drawing's lid covers only what was its eye: the cover fades in from
   * lidCoverAbove x the opening above its upper lid's line to lidCoverBelow x it below, and the
   * fur or skin above is the picture's, drawn down. Faded in from the lid skin's top it was a tall
   * flat patch with hard sides over the fur (the cat, the shiba) and the lower half of a drawn brow.
   */
  lidCoverAbove: 0.25,
  lidCoverBelow: 0.1,
  /**
   * An animal's lid is its fur: what its cover draws is the fur just above the eye, slid down with
   * the lid's edge, unstretched, reflected back and forth over furSpan x the opening (or the lid
   * skin's height, if taller). Its skin's colour with fine texture (a human lid's) was a flat,
   * speckled patch across the fur of a cat's closed eye; reflected over the lid skin alone, a
   * short band above a large eye, it drew chevrons.
   */
  furSpan: 1.5,
  /**
   * A drawn eye with white (a 3-D cartoon's): the skin between its brow and lashes is the socket's
   * shade, and a lid of that tone all down read as a brown patch over a lit face. The closed lid
   * bulges over the eyeball and meets the skin under the eye at its edge: its tone goes from the
   * socket's at the lid line to drawnLidLift of the way towards that skin's at the edge, where that
   * is lighter (measured from belowSkinFrom to belowSkinTo x the eye's width under the lower lid's
   * line, past its lashes and liner).
   */
  drawnLidLift: 0.8,
  belowSkinFrom: 0.08,
  belowSkinTo: 0.25,
  /**
   * The cover's texture: the fine detail (luma less its 5 x 5 px median, where within lidTexture levels)
   * of the lid skin above the lashes, a band of lidTextureBand x eye width at least, repeated
   * (mirrored) down the lid at its own scale. A cover of the skin's tone alone read as a flat disc.
   */
  lidTexture: 12,
  lidTextureBand: 0.1,
  /**
   * The upper lid's crease (eye-skin.ts measureCrease): a valley at least creaseContrast x the lid
   * skin's luma (above black) darker than the skin both above it (within creaseAbove x eye width)
   * and below it, looked for from creaseReach x the lid skin's height above the lid line down to
   * creaseGap x eye width above it (the lash roots), in creaseShare of the eye's middle at least.
   * 0.1 finds the suit's, Einstein's and the dark-haired woman's creases (30-140 levels deep in the
   * eye's middle) and none on the smiling woman's shadowed eye, whose make-up shades down to the
   * lashes without a valley.
   */
  creaseReach: 0.6,
  creaseGap: 0.03,
  creaseAbove: 0.08,
  creaseContrast: 0.1,
  creaseShare: 0.4,
  /**
   * ...its height above the lid line held within creaseSpread x eye width of its median across the
   * eye's middle: a fold follows the lid's curve; towards the corners the valley found can be the
   * socket's shadow or a brow's tail (the smiling portrait's rose 10 px there).
   */
  creaseSpread: 0.03,
  /**
   * An eye without a crease has its "crease" this far (x eye width) above its lash band, and folds
   * creaseNone as much as one with a crease (eye-skin.ts Crease hold): not at all, its lid unfolds
   * as one sheet as before. Half a fold (0.5) drew a floating light stripe over the smiling
   * portrait's shadowed eye, whose lid shows no crease.
   */
  creaseDefault: 0.02,
  creaseNone: 0,
  /**
   * As the lid lowers its crease travels this share of the lid edge's travel: on a real lid the
   * tarsal skin comes out from under the fold, which itself moves little. Shut, the crease lies
   * about half way from the lash line up to the skin under the brow.
   */
  creaseTravel: 0.3,
  /** The skin coming out from under the fold is the picture's skin above the crease from this x the lid's travel on (eyes.ts foldLid). */
  creaseMirror: 2,
  /** The shadow over the crease, this far (x eye width) above it in the picture, is covered by the lid's skin as the fold opens out. */
  creaseShadow: 0.06,
  /**
   * ...and below its middle it reaches creaseBelow x the crease line's half width (creaseWidth):
   * that part stays at the fold as the lid comes down. The suit portrait's crease shadow is 2-3 px
   * deep below its middle at 720p (the line's half width 1.3 px).
   */
  creaseBelow: 2,
  /**
   * The crease line on a shut lid: creaseWidth x the eye's own width each side of the fold (1-2 px
   * for a face at 720p), creaseFaint x the lid skin's luma (above black) darker than it at its
   * middle, fading out over creaseEnd x eye width at each end. The picture's own crease shadow
   * (its depth as measured) turns into this as the lid closes.
   */
  creaseWidth: 0.025,
  creaseFaint: 0.08,
  creaseEnd: 0.25,
  /** How fast the lid skin may unfold at the top, x its own height: about half the stretch stays near the edge. */
  unfoldTop: 1.9,
  /** Iris travel at full gaze, x eye width (horizontal) and x aperture height (vertical). */
  gazeTravelX: 0.16,
  gazeTravelY: 0.18,
  /** Extra lid closure when looking fully down. */
  lidFollow: 0.3,
  /** Brow lift at a full raise, the brow's half length, and how far up the lift reaches, x eye width. */
  browLift: 0.09,
  browHalfLength: 0.75,
  browReach: 1.1,
});

export interface EyeWarp {
  readonly rig: EyeRig;
  readonly vTop: number;
  readonly vBottom: number;
  /** Top of the brow area that lifts. */
  readonly vBrow: number;
  /** Everything the warp can change, and the part around the lids where it has edges. */
  readonly bounds: Rect;
  readonly lidBounds: Rect;
  /** Height of the dark band (lashes, liner, crease shadow) above the upper lid line, across the eye. */
  readonly lashBand: Float32Array;
  /** How much of an eye the picture shows per lid sample, 0..1 (eye-skin.ts measureLashShow): the lash line's strength. */
  readonly lashShow: Float32Array;
  /**
   * A human lid's crease (eye-skin.ts measureCrease): its height above the upper lid line and the
   * depth of its shadow and how much it folds (Crease hold) per lid sample. Empty for an animal's
   * or a drawing's lid, which unfolds as one sheet (fur or paint has no fold).
   */
  readonly creaseHeight: Float32Array;
  readonly creaseDepth: Float32Array;
  readonly creaseHold: Float32Array;
  /**
   * Per lid sample, how much further (px) the shut lid's edge comes down than closeReach takes it:
   * where the lower lid has a dip (a drawn eye's outline, a fit that hugs the white), the shut
   * lash line followed it in a wave ("~"); filled, it has one low point (shutFillOf). Zero for a
   * lower lid with one low point already.
   */
  readonly shutFill: Float32Array;
  /** The lid skin's colour (Y, Cb, Cr triples) across the eye (a human's: lid-skin.ts; else eye-skin.ts measureLidTone), and the widest aperture. */
  readonly lidTone: Float32Array;
  /**
   * A drawn eye with white: the closed lid's colour at its edge (as lidTone), lidTone lifted
   * towards the skin under the eye (EYE.drawnLidLift); the lid's tone goes from lidTone at its
   * line to this at its edge. Empty for any other eye, whose lid is of lidTone all down.
   */
  readonly lidToneLow: Float32Array;
  /** The lid skin's fine texture (lidTexture; a human's from its skin, lid-skin.ts lidTextureOf): texRows rows of texCols values, 1 px apart from (u = -width / 2, vTop). */
  readonly lidTexture: Float32Array;
  readonly texCols: number;
  readonly texRows: number;
  readonly aperture: number;
  /**
   * The eye's own width, as rigged: the iris travel and the lash line's thickness are measured in
   * it. A rig refitted round the white or widened over an outline is wider than the iris moves,
   * and a lash line of its width came out half as thick again, a heavy grey line.
   */
  readonly irisWidth: number;
  /**
   * Where the eye's own middle lies along the rig (u): the eyeball turns about it, over
   * irisWidth, whatever the lids were widened over. Turned over the widened rig, the eye's corners
   * and the skin past them slid with every gaze shift.
   */
  readonly irisU: number;
  /** The picture the lid skin is read from, to cover what is darker than the skin. */
  readonly base: RgbImage;
  /** How much of the closed lid is at least its skin's colour (EYE.lidCover; a human lid's lidCoverSkin). */
  readonly coverMin: number;
  /** 1: the cover fades in round the upper lid's line (EYE.lidCoverAbove; an animal's or a drawing's); 0: down from the lid's top (EYE.lidCoverSkinTop, a human's). */
  readonly coverAtLid: number;
  /** 1: the cover draws the fur above the eye slid down (EYE.furSpan; an animal's); 0: the lid skin's tone and texture. */
  readonly slideFur: number;
  /** The share of the closing the lower lid makes (EYE.lowerRise for an animal's eye, else 0). */
  readonly lowerRise: number;
  blink: number;
  browLift: number;
  shiftU: number;
  shiftV: number;
}
