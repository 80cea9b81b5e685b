// The one module that loads the espeak-ng native addon (native/espeak, built by `npm run setup`).
// Loaded lazily: processes that never speak never map libespeak-ng.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DhError } from '../core/errors.js';

export interface EspeakEvent {
  readonly type: 'phoneme' | 'word' | 'sentence' | 'end' | 'done';
  /** Position in the generated audio, milliseconds. */
  readonly ms: number;
  /** IPA name for phoneme events; empty for pauses and prosody marks. */
  readonly phoneme?: string;
  readonly textPosition?: number;
  readonly length?: number;
}

export interface EspeakOutput {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  readonly events: readonly EspeakEvent[];
}

export interface EspeakVoiceInfo {
  readonly name: string;
  readonly identifier: string;
  /** 0 unknown, 1 male, 2 female. */
  readonly gender: number;
  readonly languages: readonly string[];
}

export interface EspeakAddon {
  /** `rate` in words per minute (80-450), `pitch` 0-100 (50 normal). */
  synthesize(text: string, voice: string, rate: number, pitch: number): Promise<EspeakOutput>;
  listVoices(): EspeakVoiceInfo[];
}

// This file compiles to dist/src/adapters; the addon lives under <root>/native.
const ADDON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'native', 'espeak', 'build', 'Release', 'espeak_addon.node');

let cached: EspeakAddon | null = null;

export function loadEspeak(): EspeakAddon {
  if (cached) return cached;
  try {
    cached = createRequire(import.meta.url)(ADDON) as EspeakAddon;
    return cached;
  } catch (err) {
    throw new DhError('DEPENDENCY_MISSING', { program: `espeak-ng addon (${ADDON})` }, { cause: err });
  }
}
