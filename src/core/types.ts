// The data handed between pipeline stages. Every stage takes and returns these plain shapes,
// so a stage can be tested with hand-made values and swapped without touching its neighbours.

import type { RESIZE_MODES } from './video.js';

/** Mono PCM, samples in [-1, 1]. */
export interface RawAudio {
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

/** Packed 8-bit RGB, row-major, no padding: the layout ffmpeg's `rgb24` expects. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type ResizeMode = (typeof RESIZE_MODES)[number];

/**
 * Face landmarks in some image's pixel coordinates: MediaPipe FaceMesh topology, 468 mesh points
 * plus 10 iris points (478), stored as x,y pairs.
 */
/**
 * How a face's landmarks were found: 'facemesh' on the whole picture; 'facemesh-crop' on a head
 * the fallback proposed (a cat-face box, the top of an animal's or person's box), turned upright;
 * 'cat-cascade' from a cat-face box by cat proportions (analyze/face/cat.ts); 'animal-eyes' from
 * the dark eyes and nose in an animal's box (analyze/face/animal-eyes.ts); 'points' marked.
 */
export const FACE_METHODS = ['facemesh', 'facemesh-crop', 'cat-cascade', 'animal-eyes', 'points'] as const;
export type FaceMethod = (typeof FACE_METHODS)[number];

/**
 * What kind of picture a face is in, which decides how its mouth opens: 'photo' (a shaded
 * interior with teeth, as in a photo or a painting), 'drawing' (a small flat-shaded mouth in the
 * drawing's own colours, no teeth), 'animal' (a soft dark opening under the nose with a tongue,
 * never teeth). 'auto' reads it from the picture (analyze/face/style.ts).
 */
export const AVATAR_STYLES = ['auto', 'photo', 'drawing', 'animal'] as const;
export type AvatarStyle = (typeof AVATAR_STYLES)[number];
export type MouthStyle = Exclude<AvatarStyle, 'auto'>;

export interface FaceLandmarks {
  /** 478 FaceMesh landmarks (x, y pairs), source-image pixels. */
  readonly points: Float32Array;
  readonly box: Rect;
  readonly score: number;
  /** Omitted: 'facemesh' (landmarks stored before methods were recorded). */
  readonly method?: FaceMethod;
  /**
   * The face is an animal's (an object detector saw an animal, and no person, around it): its
   * mouth opens onto a dark interior and tongue, never drawn human teeth.
   */
  readonly animal?: boolean;
  /** The style the user gave for this face (kept with an avatar so reuse keeps it); omitted = auto. */
  readonly style?: MouthStyle;
  /**
   * The eyes are behind dark glasses or shut in the picture (analyze/face/fit-picture.ts): they
   * neither blink nor look about, since a lid drawn over a lens would show.
   */
  readonly eyesHidden?: boolean;
}

/** What reports list of each face in a picture: its number (left to right), box (source pixels) and how it was found. */
export interface NumberedFace {
  readonly index: number;
  readonly box: Rect;
  readonly method: FaceMethod;
}

/** What reports show of a face: how it was found, how sure, and its points (source pixels). */
export interface FaceSummary {
  readonly method: FaceMethod;
  readonly confidence: number;
  readonly points: { readonly leftEye: [number, number]; readonly rightEye: [number, number]; readonly mouthLeft: [number, number]; readonly mouthRight: [number, number]; readonly chin: [number, number] };
}

/**
 * A face marked by hand (or by a detector that finds only these): source-image pixels, "left"
 * meaning the image's left. Enough to drive any avatar: see analyze/face/points.ts.
 */
export interface FacePoints {
  readonly leftEye: Point;
  readonly rightEye: Point;
  readonly mouthLeft: Point;
  readonly mouthRight: Point;
  readonly chin?: Point;
}

/** How the source image maps onto the output frame: output = (source - crop.origin) * scale. */
export interface FrameLayout {
  readonly width: number;
  readonly height: number;
  /** Source-image rectangle shown in the frame; it may extend past the image (then padded). */
  readonly crop: Rect;
  readonly scale: number;
  /** True when the crop extends past the source image and the margin is filled. */
  readonly padded: boolean;
}

/** Mouth geometry in output-frame pixels, in a local frame aligned with the lips. */
export interface MouthRig {
  readonly center: Point;
  /** Unit vector from the subject's right mouth corner (image left) to the left one. */
  readonly axis: Point;
  readonly width: number;
  /** Lip seam offset (along the downward normal) at evenly spaced positions across the mouth. */
  readonly seam: Float32Array;
  /**
   * Inner edges of the upper and lower lip at the same positions. They coincide for a closed
   * mouth; the gap between them is what the source shows of teeth and mouth interior.
   */
  readonly upperInner: Float32Array;
  readonly lowerInner: Float32Array;
  /** Outer edges of the lips at the mouth centre (offsets; lipTop < 0 < lipBottom). */
  readonly lipTop: number;
  readonly lipBottom: number;
  /** Distance from the seam centre down to the chin tip, and up to the nose base. */
  readonly chinDepth: number;
  readonly noseHeight: number;
  /** Half width of the jaw at mouth height. */
  readonly jawHalfWidth: number;
  /**
   * Whether an opening mouth may show drawn teeth. Not for faces marked by points (animals,
   * drawings the face model does not know): their mouths open onto a dark interior and tongue.
   */
  readonly teeth?: boolean;
  /** How the opening is drawn (see AvatarStyle); omitted = 'photo' when teeth, else 'animal'. */
  readonly style?: MouthStyle;
}

export interface EyeRig {
  /** Mid-point between the eye corners. */
  readonly center: Point;
  /** Unit vector from the image-left eye corner to the image-right one. */
  readonly axis: Point;
  readonly width: number;
  /** Upper and lower lid offsets (downward normal) at evenly spaced positions across the eye. */
  readonly upperLid: Float32Array;
  readonly lowerLid: Float32Array;
  /** Iris centre as an offset (u across, v down) from `center`, and its radius; null if unknown. */
  readonly iris: { readonly u: number; readonly v: number; readonly radius: number } | null;
}

/** The head as an ellipse for the 2.5-D head-motion warp, in output-frame pixels. */
export interface HeadRig {
  readonly center: Point;
  /** Unit vector across the face (eye line), image-left to image-right. */
  readonly axis: Point;
  /** Semi-axes across and along the face, covering hair and ears. */
  readonly halfWidth: number;
  readonly halfHeight: number;
  /** Point the head turns about: the base of the neck. */
  readonly pivot: Point;
  readonly chin: Point;
  /**
   * The picture's part of the frame, where a padded layout put margins beside it (default: the
   * whole frame). The motion fades out towards its edges, so they stay put.
   */
  readonly picture?: Rect;
}

export interface FaceRig {
  readonly faceBox: Rect;
  /** Null when no face was found: a mouth guessed onto fur or fabric looks worse than none. */
  readonly mouth: MouthRig | null;
  /** Both eyes when landmarks were found, none otherwise. */
  readonly eyes: readonly EyeRig[];
  /** Null when no face was found: the picture then stays still. */
  readonly head: HeadRig | null;
}

/** Per-video-frame animation parameters, each value in [0, 1] unless noted. */
export interface ParamTracks {
  readonly fps: number;
  readonly frameCount: number;
  /** Jaw opening. */
  readonly jaw: Float32Array;
  /** Eyelid closure, per eye (image-left eye first). */
  readonly blinkLeft: Float32Array;
  readonly blinkRight: Float32Array;
  /** Lips drawn wide, as in "ee". */
  readonly lipSpread: Float32Array;
  /** Lips rounded and pushed forward, as in "oo". */
  readonly lipRound: Float32Array;
  /** Lips pressed shut (m, b, p); 1 overrides jaw opening at the lips. */
  readonly lipPress: Float32Array;
  /** Upper lip lifted off the teeth (f, v, sh and open vowels). */
  readonly upperLipRaise: Float32Array;
  /** Probability that someone is speaking now. */
  readonly speechActivity: Float32Array;
  /** Stressed-syllable accent (for nods and brow raises): peaks briefly on emphasis. */
  readonly emphasis: Float32Array;
  /** Voice pitch relative to the speaker's median, in octaves clamped to [-1, 1]; 0 when silent. */
  readonly pitch: Float32Array;
  /** Head rotation in degrees: turn (positive = towards image right), nod (positive = chin down), tilt (positive = clockwise). */
  readonly headYaw: Float32Array;
  readonly headPitch: Float32Array;
  readonly headRoll: Float32Array;
  /** Breathing phase in [-1, 1]: shoulders and head rise at +1. */
  readonly breath: Float32Array;
  /** Gaze direction in [-1, 1] per axis (0, 0 = into the camera; +x = image right, +y = down). */
  readonly gazeX: Float32Array;
  readonly gazeY: Float32Array;
  /** Eyebrow lift in [0, 1]: on stressed syllables and rising pitch. */
  readonly browRaise: Float32Array;
  /** Smile in [0, 1]: corners drawn out and up (from the prompt). */
  readonly smile: Float32Array;
}

/** The per-frame values the renderer needs, read out of ParamTracks at one frame. */
export interface FrameParams {
  readonly jaw: number;
  readonly blinkLeft: number;
  readonly blinkRight: number;
  /** Speech tracks at this frame (see ParamTracks); absent = neutral (0). */
  readonly lipSpread?: number;
  readonly lipRound?: number;
  readonly lipPress?: number;
  readonly upperLipRaise?: number;
  readonly speechActivity?: number;
  readonly emphasis?: number;
  readonly pitch?: number;
  /** Idle and speech-linked motion at this frame (see ParamTracks); absent = still. */
  readonly headYaw?: number;
  readonly headPitch?: number;
  readonly headRoll?: number;
  readonly breath?: number;
  readonly gazeX?: number;
  readonly gazeY?: number;
  readonly browRaise?: number;
  readonly smile?: number;
}

/** Progress callback: stage name and completion in [0, 1]. */
export type ProgressFn = (stage: string, fraction: number) => void;

/** One phoneme of synthesized speech, timed against the audio it belongs to. */
export interface PhonemeEvent {
  /** Phoneme symbol (espeak-ng mnemonic or IPA, as the engine reports it). */
  readonly phoneme: string;
  /** Seconds from the start of the audio. */
  readonly start: number;
  readonly end: number;
}

export interface Voice {
  /** Stable id used in requests, e.g. "espeak:en-us" or "festival:us_slt_hts". */
  readonly id: string;
  readonly name: string;
  /** BCP 47 language tag, e.g. "en-US", "cmn", "de". */
  readonly language: string;
  readonly gender: 'male' | 'female' | 'unknown';
  readonly engine: string;
}

export interface SynthesizedSpeech {
  readonly audio: RawAudio;
  readonly phonemes: readonly PhonemeEvent[];
  readonly durationSeconds: number;
}
