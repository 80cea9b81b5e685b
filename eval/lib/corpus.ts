// The labelled corpus of eval:lipsync, shared with the fit of the closure-place model, and its
// split: the model is fitted on the TUNING languages only; the others are held out, so the
// held-out rows of eval:lipsync show how it does on languages (and a voice) it never saw.
import type { PhonemeEvent } from '../../src/core/types.js';

export const CORPUS: { lang: string; voices: string[]; text: string }[] = [
  { lang: 'English', voices: ['espeak:en-us', 'espeak:en-us+f3', 'festival:us_slt_hts'], text: 'Peter Piper picked a peck of pickled peppers. My mom bought a bamboo map, and Bob paid for the apple pie.' },
  { lang: 'Mandarin', voices: ['espeak:cmn-latn-pinyin', 'espeak:cmn-latn-pinyin+f3'], text: '爸爸妈妈买了一本书。我们不怕苦，朋友们去北京爬山。' },
  { lang: 'Spanish', voices: ['espeak:es', 'espeak:es+f3'], text: 'Mi mamá compra pan y papas en el mercado. Pablo busca un barco bonito para el mar.' },
  { lang: 'German', voices: ['espeak:de', 'espeak:de+f3'], text: 'Mein Bruder Paul baut ein Boot am Meer. Im Mai kommt Mama mit Brot und Butter.' },
  { lang: 'Japanese', voices: ['espeak:ja', 'espeak:ja+f3'], text: 'ぱぱとままはまいばんぼうしをかぶります。みんなでぱんをたべましょう。' },
];

/** Languages the closure-place model was fitted on; the rest are held out. */
export const TUNING = new Set(['English', 'Spanish', 'Japanese']);

export const VARIANTS = [
  { speed: 0.8, semitones: -3 },
  { speed: 1, semitones: 0 },
  { speed: 1.6, semitones: 4 },
  { speed: 2, semitones: 0 },
];

export const baseOf = (p: string): string => p.normalize('NFD').replace(/[^\p{L}]/gu, '').replace(/[ːˈˌʰʲʷ]/g, '');
export const isBilabial = (p: string): boolean => ['p', 'b', 'm'].includes(baseOf(p)[0] ?? '') && baseOf(p).length <= 2;

/** The phoneme overlapping [t0, t1) the most, or undefined. */
export function phonemeAt(phonemes: readonly PhonemeEvent[], t0: number, t1: number): PhonemeEvent | undefined {
  let best: PhonemeEvent | undefined, overlap = 0;
  for (const p of phonemes) {
    const o = Math.min(p.end, t1) - Math.max(p.start, t0);
    if (o > overlap) { overlap = o; best = p; }
  }
  return best;
}
