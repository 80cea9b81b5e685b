// Speech synthesis with phoneme timings: espeak-ng (100+ languages, Mandarin via pinyin) and
// festival's HTS English voice, behind the SpeechSynthesizer port.
import { loadEspeak } from '../adapters/espeak-native.js';
import { installedFestivalVoices, runFestival } from '../adapters/festival.js';
import { Synthesizer, type TtsEngines } from './synthesizer.js';

export { Synthesizer, TTS_LIMITS, type SynthesizeOptions, type TtsEngines } from './synthesizer.js';
export { validateText, toNumberedPinyin, hasHan, TEXT_LIMITS } from './text.js';
export { parseVoiceId, espeakVoices, festivalVoices, bcp47 } from './voices.js';
export { marksToEvents, festivalSegmentsToEvents, extendStopClosures, FESTIVAL_TO_IPA, PAUSE } from './timeline.js';

/** The real engines; the espeak-ng addon loads on first use. */
export function defaultTtsEngines(): TtsEngines {
  return {
    espeak: {
      synthesize: (text, voice, rate, pitch) => loadEspeak().synthesize(text, voice, rate, pitch),
      listVoices: () => loadEspeak().listVoices(),
    },
    festival: { run: runFestival, installedVoices: () => installedFestivalVoices() },
  };
}

/** The embedded synthesizer for the CLI, the service and the evaluation. */
export function createSpeechSynthesizer(engines: TtsEngines = defaultTtsEngines()): Synthesizer {
  return new Synthesizer(engines);
}
