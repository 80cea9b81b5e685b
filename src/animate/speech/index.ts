// Speech articulation: audio (or a phoneme timeline) in, per-frame mouth and prosody tracks out.
import type { PhonemeEvent, RawAudio } from '../../core/types.js';
import { speechFeatures } from '../../analyze/audio/features.js';
import { acousticTargets } from './acoustic.js';
import { visemeTargets } from './visemes.js';
import { speechTracks, type SpeechTracks } from './tracks.js';

export { acousticTargets } from './acoustic.js';
export { ACOUSTIC } from './acoustic-config.js';
export { bilabialClosures, closureEvents, closureEvidence, type PlaceOptions } from './closures.js';
export { bedShare, fricationOf, overBed, voiceProfile, type VoiceProfile } from './voice.js';
export { bilabialProbability, cueValue, BASE_CUES, PLACE_CUES, PLACE_MODEL, PLACE_MODEL_BED, SPECTRUM_CUES, type ClosureEvent, type PlaceModel, type PlaceWeights } from './closure-place.js';
export { visemeTargets, visemeOf, REST, COARTICULATION, type Viseme } from './visemes.js';
export { speechTracks, DYNAMICS, LEAD_SECONDS, PRESS_LEAD_SECONDS, type SpeechTracks } from './tracks.js';
export { criticallyDamped, sampleFrames, runningMax, sideMax } from './dynamics.js';
export { TRACK_NAMES, emptyTargets, type ArticulationTargets, type TrackName } from './targets.js';

/** Tracks from the sound alone: works for any voice and language. */
export function tracksFromAudio(audio: RawAudio, fps: number, frameCount: number): SpeechTracks {
  return speechTracks(acousticTargets(speechFeatures(audio)), fps, frameCount);
}

/**
 * Tracks from a known phoneme timeline, exact in time; the audio still supplies what the
 * phonemes do not carry (speech activity in the sound, emphasis and pitch).
 */
export function tracksFromPhonemes(phonemes: readonly PhonemeEvent[], audio: RawAudio, fps: number, frameCount: number): SpeechTracks {
  const acoustic = acousticTargets(speechFeatures(audio));
  const duration = Math.max(audio.samples.length / audio.sampleRate, phonemes.length ? phonemes[phonemes.length - 1].end : 0);
  const text = visemeTargets(phonemes, duration, acoustic.hop);
  const n = Math.min(text.jaw.length, acoustic.jaw.length);
  for (let i = 0; i < n; i++) {
    text.emphasis[i] = acoustic.emphasis[i];
    text.pitch[i] = acoustic.pitch[i];
    // Louder syllables open wider; the phoneme gives the shape, the sound its size.
    text.jaw[i] *= 0.9 + 0.3 * Math.min(1, acoustic.speechActivity[i]);
  }
  return speechTracks(text, fps, frameCount);
}
