// Animation stage: the speech audio (and, when the text is known, its phoneme timeline) and a
// seed in, per-frame parameter tracks out.
import type { FrameParams, ParamTracks, PhonemeEvent, RawAudio } from '../core/types.js';
import { blinkTrack } from './blink.js';
import { idleTracks } from './idle.js';
import type { MotionStyle } from './style.js';
import { tracksFromAudio, tracksFromPhonemes } from './speech/index.js';

export { blinkTrack, blinkTimes, blinkShape, BLINK } from './blink.js';
export { idleTracks, IDLE } from './idle.js';
export { criticallyDamped } from './speech/dynamics.js';
export { styleFromPrompt, NEUTRAL_STYLE, type MotionStyle } from './style.js';
export * from './speech/index.js';

export interface AnimateInput {
  readonly audio: RawAudio;
  /** Phoneme timeline of the audio when it was synthesized from known text. */
  readonly phonemes?: readonly PhonemeEvent[];
  readonly fps: number;
  readonly frameCount: number;
  readonly seed: number;
  /** How the person moves (from the prompt); absent = neutral. */
  readonly style?: MotionStyle;
}

export function animate(input: AnimateInput): ParamTracks {
  const speech = input.phonemes && input.phonemes.length > 0
    ? tracksFromPhonemes(input.phonemes, input.audio, input.fps, input.frameCount)
    : tracksFromAudio(input.audio, input.fps, input.frameCount);
  const { gazeShifts, ...motion } = idleTracks({ fps: input.fps, frameCount: input.frameCount, seed: input.seed, speechActivity: speech.speechActivity, emphasis: speech.emphasis, pitch: speech.pitch, style: input.style });
  const blink = blinkTrack(input.fps, input.frameCount, input.seed, gazeShifts);
  return {
    fps: input.fps,
    frameCount: input.frameCount,
    ...speech,
    ...motion,
    // Both lids move together; a few percent less on one side keeps it from looking mechanical.
    blinkLeft: blink,
    blinkRight: blink.map((v) => v * 0.97),
  };
}

export function paramsAt(tracks: ParamTracks, frame: number): FrameParams {
  return {
    jaw: tracks.jaw[frame], blinkLeft: tracks.blinkLeft[frame], blinkRight: tracks.blinkRight[frame],
    lipSpread: tracks.lipSpread[frame], lipRound: tracks.lipRound[frame], lipPress: tracks.lipPress[frame],
    upperLipRaise: tracks.upperLipRaise[frame], speechActivity: tracks.speechActivity[frame],
    emphasis: tracks.emphasis[frame], pitch: tracks.pitch[frame],
    headYaw: tracks.headYaw[frame], headPitch: tracks.headPitch[frame], headRoll: tracks.headRoll[frame],
    breath: tracks.breath[frame], gazeX: tracks.gazeX[frame], gazeY: tracks.gazeY[frame], browRaise: tracks.browRaise[frame],
    smile: tracks.smile[frame],
  };
}
export { withListening, LISTEN, type FacePlace } from './listen.js';
