// Phonemes (IPA, from the synthesizer's timeline) to articulation targets, with
// co-articulation: each phoneme pulls every articulator towards its target with a dominance
// that decays outside the phoneme (Cohen & Massaro 1993), so neighbours blend - lips round
// through "st" before "oo" - while bilabial closures are hard targets the lips always reach.
// Language-independent as far as IPA is. Pure.
import type { PhonemeEvent } from '../../core/types.js';
import { emptyTargets, type ArticulationTargets } from './targets.js';

export interface Viseme {
  readonly jaw: number;
  readonly spread: number;
  readonly round: number;
  readonly press: number;
  readonly raise: number;
  /** How strongly the phoneme holds the jaw / the lips to its own target against neighbours. */
  readonly jawDominance: number;
  readonly lipDominance: number;
}

const v = (jaw: number, spread: number, round: number, press = 0, raise = 0.35 * jaw, jawDominance = 1, lipDominance = 1): Viseme =>
  ({ jaw, spread, round, press, raise, jawDominance, lipDominance });

export const REST: Viseme = v(0, 0, 0, 0.6, 0, 0.8, 0.8);

// Vowel qualities by IPA symbol: openness drives the jaw, frontness spreads, rounding rounds.
const VOWELS: Record<string, Viseme> = {
  i: v(0.2, 0.8, 0), y: v(0.2, 0, 0.9), ɨ: v(0.25, 0.3, 0), ʉ: v(0.25, 0, 0.8), ɯ: v(0.25, 0.4, 0), u: v(0.2, 0, 1),
  ɪ: v(0.3, 0.6, 0), ʏ: v(0.3, 0, 0.7), ʊ: v(0.3, 0, 0.6),
  e: v(0.4, 0.6, 0), ø: v(0.4, 0, 0.75), ɘ: v(0.4, 0.2, 0), ɵ: v(0.4, 0, 0.5), ɤ: v(0.4, 0.2, 0), o: v(0.45, 0, 0.8),
  ə: v(0.45, 0.1, 0), ɚ: v(0.4, 0, 0.3), ɝ: v(0.45, 0, 0.3),
  ɛ: v(0.6, 0.45, 0), œ: v(0.6, 0, 0.55), ɜ: v(0.55, 0.1, 0), ɞ: v(0.55, 0, 0.4), ʌ: v(0.65, 0.1, 0), ɔ: v(0.65, 0, 0.6),
  æ: v(0.8, 0.4, 0), ɐ: v(0.7, 0.1, 0),
  a: v(0.9, 0.2, 0), ɶ: v(0.85, 0, 0.3), ä: v(0.9, 0.1, 0), ɑ: v(0.9, 0, 0), ɒ: v(0.8, 0, 0.3),
};

// Consonants: the lips matter for labials, rounded and postalveolar ones; others let the lips
// follow the neighbouring vowels (low lip dominance) and keep the jaw fairly high.
const CONSONANTS: Record<string, Viseme> = {
  p: v(0.05, 0, 0, 1, 0, 1, 1), b: v(0.05, 0, 0, 1, 0, 1, 1), m: v(0.05, 0, 0, 1, 0, 1, 1), ɓ: v(0.05, 0, 0, 1, 0, 1, 1), ʙ: v(0.05, 0, 0.2, 1, 0, 1, 1),
  ɸ: v(0.1, 0, 0.2, 0.3, 0, 0.8, 0.8), β: v(0.1, 0, 0.2, 0.3, 0, 0.8, 0.8),
  f: v(0.12, 0, 0, 0, 0.55, 0.9, 0.9), v: v(0.12, 0, 0, 0, 0.55, 0.9, 0.9), ɱ: v(0.1, 0, 0, 0.2, 0.5, 0.9, 0.9),
  θ: v(0.18, 0.1, 0, 0, 0.2, 0.8, 0.3), ð: v(0.18, 0.1, 0, 0, 0.2, 0.8, 0.3),
  t: v(0.15, 0.15, 0, 0, 0.1, 0.7, 0.15), d: v(0.15, 0.15, 0, 0, 0.1, 0.7, 0.15), n: v(0.15, 0.1, 0, 0, 0.1, 0.6, 0.15),
  s: v(0.1, 0.4, 0, 0, 0.2, 0.9, 0.4), z: v(0.1, 0.4, 0, 0, 0.2, 0.9, 0.4), l: v(0.25, 0.1, 0, 0, 0.1, 0.5, 0.15),
  ɹ: v(0.2, 0, 0.4, 0, 0.1, 0.5, 0.5), r: v(0.2, 0, 0.2, 0, 0.1, 0.5, 0.3), ɾ: v(0.2, 0.1, 0, 0, 0.1, 0.4, 0.1), ɽ: v(0.2, 0.1, 0, 0, 0.1, 0.4, 0.1),
  ʃ: v(0.15, 0, 0.6, 0, 0.6, 0.9, 0.8), ʒ: v(0.15, 0, 0.6, 0, 0.6, 0.9, 0.8), ɕ: v(0.15, 0.3, 0.2, 0, 0.5, 0.9, 0.6), ʑ: v(0.15, 0.3, 0.2, 0, 0.5, 0.9, 0.6),
  ʂ: v(0.15, 0, 0.5, 0, 0.5, 0.9, 0.7), ʐ: v(0.15, 0, 0.4, 0, 0.4, 0.8, 0.6), ç: v(0.15, 0.4, 0, 0, 0.3, 0.8, 0.4),
  j: v(0.15, 0.5, 0, 0, 0.1, 0.6, 0.6), w: v(0.15, 0, 0.9, 0, 0, 0.6, 1), ɥ: v(0.15, 0, 0.8, 0, 0, 0.6, 1),
  k: v(0.25, 0, 0, 0, 0.1, 0.4, 0.1), ɡ: v(0.25, 0, 0, 0, 0.1, 0.4, 0.1), g: v(0.25, 0, 0, 0, 0.1, 0.4, 0.1), ŋ: v(0.25, 0, 0, 0, 0.1, 0.4, 0.1),
  x: v(0.25, 0, 0, 0, 0.1, 0.4, 0.1), ɣ: v(0.25, 0, 0, 0, 0.1, 0.4, 0.1), χ: v(0.3, 0, 0, 0, 0.1, 0.4, 0.1), q: v(0.3, 0, 0, 0, 0.1, 0.4, 0.1),
  h: v(0.35, 0, 0, 0, 0.1, 0.1, 0.05), ɦ: v(0.35, 0, 0, 0, 0.1, 0.1, 0.05), ʔ: v(0.2, 0, 0, 0, 0, 0.3, 0.1),
  c: v(0.2, 0.3, 0, 0, 0.1, 0.6, 0.3), ɟ: v(0.2, 0.3, 0, 0, 0.1, 0.6, 0.3), ɲ: v(0.2, 0.3, 0, 0, 0.1, 0.6, 0.3), ʎ: v(0.2, 0.3, 0, 0, 0.1, 0.6, 0.3),
};

const NEUTRAL_CONSONANT = v(0.2, 0, 0, 0, 0.1, 0.5, 0.2);

/**
 * The viseme of one IPA phoneme. Diacritics, length and stress marks and tone numbers are
 * ignored; affricates take their first part (the closure is what is seen: "tʃ" -> t) except
 * that postalveolar release rounds the lips; diphthongs blend their first and last vowel.
 */
export function visemeOf(phoneme: string): Viseme {
  if (phoneme === '_' || phoneme === '') return REST;
  const base = [...phoneme.normalize('NFD').replace(/[\u0300-\u036f\u02b0-\u02ff\u1d2c-\u1dbf\u0ca0-\u0cff0-9ː'ˈˌ.|-]/g, '')];
  const chars = base.length ? base : [...phoneme];
  const vowels = chars.filter((c) => VOWELS[c]);
  if (vowels.length === 1) return VOWELS[vowels[0]];
  if (vowels.length > 1) {
    const a = VOWELS[vowels[0]], b = VOWELS[vowels[vowels.length - 1]];
    return v(0.6 * a.jaw + 0.4 * b.jaw, 0.5 * (a.spread + b.spread), 0.5 * (a.round + b.round));
  }
  const first = CONSONANTS[chars[0]];
  if (!first) return chars.some((c) => CONSONANTS[c]) ? CONSONANTS[chars.find((c) => CONSONANTS[c]) as string] : NEUTRAL_CONSONANT;
  const last = CONSONANTS[chars[chars.length - 1]];
  return last && last !== first && last.round > first.round ? { ...first, round: last.round, raise: last.raise, lipDominance: Math.max(first.lipDominance, 0.7) } : first;
}

/** How far (s) a phoneme's influence reaches beyond its edges, for jaw and lips. */
export const COARTICULATION = Object.freeze({ jawReach: 0.05, lipReach: 0.08 });

/**
 * Targets every `hop` seconds over `duration` from a phoneme timeline. Inside a phoneme its
 * dominance is full; outside it decays as exp(-distance / reach). Bilabial closures then
 * override everything in their middle, as the lips must meet.
 */
export function visemeTargets(phonemes: readonly PhonemeEvent[], duration: number, hop = 0.01): ArticulationTargets {
  const n = Math.max(1, Math.ceil(duration / hop));
  const t = emptyTargets(hop, n);
  const vis = phonemes.map((p) => visemeOf(p.phoneme));
  const reach = Math.max(COARTICULATION.jawReach, COARTICULATION.lipReach) * 5;
  let first = 0;
  for (let i = 0; i < n; i++) {
    const time = i * hop;
    while (first < phonemes.length && phonemes[first].end < time - reach) first++;
    let wj = 0, wl = 0, jaw = 0, spread = 0, round = 0, press = 0, raise = 0;
    let speaking = 0;
    for (let k = first; k < phonemes.length && phonemes[k].start <= time + reach; k++) {
      const p = phonemes[k], s = vis[k];
      const dist = time < p.start ? p.start - time : time > p.end ? time - p.end : 0;
      const dj = s.jawDominance * Math.exp(-dist / COARTICULATION.jawReach);
      const dl = s.lipDominance * Math.exp(-dist / COARTICULATION.lipReach);
      wj += dj; jaw += dj * s.jaw; raise += dj * s.raise;
      wl += dl; spread += dl * s.spread; round += dl * s.round; press += dl * s.press;
      if (dist === 0 && p.phoneme !== '_') speaking = 1;
    }
    if (wj > 0) { t.jaw[i] = jaw / wj; t.upperLipRaise[i] = raise / wj; }
    if (wl > 0) { t.lipSpread[i] = spread / wl; t.lipRound[i] = round / wl; t.lipPress[i] = press / wl; }
    t.speechActivity[i] = speaking;
  }
  // Hard targets: the middle of every bilabial closure is fully closed.
  for (let k = 0; k < phonemes.length; k++) {
    if (vis[k].press < 1) continue;
    const p = phonemes[k], margin = 0.15 * (p.end - p.start);
    for (let i = Math.ceil((p.start + margin) / hop); i <= Math.floor((p.end - margin) / hop) && i < n; i++) {
      t.lipPress[i] = 1; t.jaw[i] = Math.min(t.jaw[i], 0.05); t.lipSpread[i] *= 0.5; t.upperLipRaise[i] = 0;
    }
  }
  // Emphasis and pitch need the acoustics or prosody marks; the timeline alone has neither.
  return t;
}
