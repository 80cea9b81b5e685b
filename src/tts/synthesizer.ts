// The speech synthesizer behind the SpeechSynthesizer port: routes a voice id to its engine,
// prepares the text, and returns audio with a phoneme timeline. Engines are passed in, so the
// routing and validation are testable without the native parts.
import { DhError, invalidArgument, toDhError } from '../core/errors.js';
import type { SpeechSynthesizer } from '../core/ports.js';
import { SPEC_LIMITS } from '../spec/limits.js';
import type { PhonemeEvent, RawAudio, SynthesizedSpeech, Voice } from '../core/types.js';
import type { EspeakOutput } from '../adapters/espeak-native.js';
import type { FestivalOptions, FestivalOutput } from '../adapters/festival.js';
import { hasHan, toNumberedPinyin, validateText } from './text.js';
import { extendStopClosures, festivalSegmentsToEvents, marksToEvents } from './timeline.js';
import { espeakVoices, festivalVoices, parseVoiceId, type EspeakVoiceEntry } from './voices.js';

export interface TtsEngines {
  readonly espeak: {
    synthesize(text: string, voice: string, rate: number, pitch: number): Promise<EspeakOutput>;
    listVoices(): readonly EspeakVoiceEntry[];
  };
  readonly festival: {
    run(text: string, opts: FestivalOptions): Promise<FestivalOutput>;
    installedVoices(): Promise<string[]>;
  };
}

export interface SynthesizeOptions {
  /** 1 = the voice's normal rate; 0.5-2. */
  readonly speed?: number;
  /** Shift of the voice's pitch in semitones, -12 to 12. */
  readonly semitones?: number;
  readonly signal?: AbortSignal;
}

export const TTS_LIMITS = Object.freeze({ minSpeed: SPEC_LIMITS.minSpeed, maxSpeed: SPEC_LIMITS.maxSpeed, maxSemitones: 12 });

const ESPEAK_RATE = { normal: 175, min: 80, max: 450 };

function checkOptions(opts: SynthesizeOptions): { speed: number; semitones: number } {
  const speed = opts.speed ?? 1, semitones = opts.semitones ?? 0;
  if (!Number.isFinite(speed) || speed < TTS_LIMITS.minSpeed || speed > TTS_LIMITS.maxSpeed) {
    throw invalidArgument('speed', `${speed} is out of range`, `Give a speed from ${TTS_LIMITS.minSpeed} to ${TTS_LIMITS.maxSpeed} (1 = normal).`);
  }
  if (!Number.isFinite(semitones) || Math.abs(semitones) > TTS_LIMITS.maxSemitones) {
    throw invalidArgument('semitones', `${semitones} is out of range`, `Give a pitch shift from -${TTS_LIMITS.maxSemitones} to ${TTS_LIMITS.maxSemitones} semitones.`);
  }
  return { speed, semitones };
}

const int16ToFloat = (s: Int16Array): Float32Array => Float32Array.from(s, (v) => v / 32768);

export class Synthesizer implements SpeechSynthesizer {
  private voices: Promise<Voice[]> | null = null;

  constructor(private readonly engines: TtsEngines) {}

  listVoices(): Promise<Voice[]> {
    this.voices ??= (async () => {
      const espeak = espeakVoices(this.engines.espeak.listVoices());
      const festival = festivalVoices(await this.engines.festival.installedVoices());
      return [...festival, ...espeak];
    })();
    this.voices.catch(() => { this.voices = null; });
    return this.voices;
  }

  async synthesize(text: string, voiceId: string, opts: SynthesizeOptions = {}): Promise<SynthesizedSpeech> {
    const { speed, semitones } = checkOptions(opts);
    const clean = validateText(text);
    const parsed = parseVoiceId(voiceId);
    const voices = await this.listVoices();
    if (!parsed || !voices.some((v) => v.id === voiceId)) throw new DhError('VOICE_UNKNOWN', { voice: voiceId, example: 'espeak:en-us, espeak:cmn-latn-pinyin, festival:us_slt_hts' });
    if (opts.signal?.aborted) throw new DhError('CANCELLED');
    try {
      if (parsed.engine === 'festival') {
        const out = await this.engines.festival.run(clean, { voice: parsed.voice, speed, semitones, signal: opts.signal });
        const duration = out.samples.length / out.sampleRate;
        return speech({ samples: out.samples, sampleRate: out.sampleRate }, festivalSegmentsToEvents(out.segments, duration));
      }
      const input = parsed.language.startsWith('cmn') && hasHan(clean) ? toNumberedPinyin(clean) : clean;
      const name = parsed.variant ? `${parsed.language}+${parsed.variant}` : parsed.language;
      const rate = Math.round(Math.min(ESPEAK_RATE.max, Math.max(ESPEAK_RATE.min, ESPEAK_RATE.normal * speed)));
      // espeak-ng's pitch parameter (0-100, 50 normal) spans roughly an octave either way.
      const pitch = Math.round(Math.min(100, Math.max(0, 50 + (semitones * 50) / 12)));
      const out = await this.engines.espeak.synthesize(input, name, rate, pitch);
      if (opts.signal?.aborted) throw new DhError('CANCELLED');
      const audio = { samples: int16ToFloat(out.samples), sampleRate: out.sampleRate };
      const duration = audio.samples.length / audio.sampleRate;
      const marks = out.events.filter((e) => e.type === 'phoneme').map((e) => ({ at: e.ms / 1000, phoneme: e.phoneme ?? '' }));
      return speech(audio, extendStopClosures(marksToEvents(marks, duration), audio.samples, audio.sampleRate));
    } catch (err) {
      const e = toDhError(err);
      if (e.id === 'CANCELLED' || e.id === 'DEPENDENCY_MISSING') throw e;
      throw new DhError('TTS_FAILED', { voice: voiceId, reason: err instanceof Error ? err.message : String(err) }, { cause: err });
    }
  }
}

function speech(audio: RawAudio, phonemes: PhonemeEvent[]): SynthesizedSpeech {
  return { audio, phonemes, durationSeconds: audio.samples.length / audio.sampleRate };
}
