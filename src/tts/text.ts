// Text preparation before synthesis: validation, and Mandarin Han characters to the numbered
// pinyin that espeak-ng's cmn-latn-pinyin voice reads. Pure.
import { pinyin } from 'pinyin-pro';
import { DhError } from '../core/errors.js';
import { SPEC_LIMITS } from '../spec/limits.js';

export const TEXT_LIMITS = Object.freeze({ maxChars: SPEC_LIMITS.textChars });

/** Trimmed text, or the catalogue's error when there is nothing to say or too much. */
export function validateText(text: string, field = 'text'): string {
  const trimmed = text.normalize('NFC').trim();
  if (!/[\p{L}\p{N}]/u.test(trimmed)) throw new DhError('TEXT_EMPTY', { field });
  const length = [...trimmed].length;
  if (length > TEXT_LIMITS.maxChars) throw new DhError('TEXT_TOO_LONG', { field, length, max: TEXT_LIMITS.maxChars });
  return trimmed;
}

export const hasHan = (text: string): boolean => /\p{Script=Han}/u.test(text);

// Full-width CJK punctuation that espeak-ng would read as a word instead of a clause break.
const CJK_PUNCTUATION: Record<string, string> = {
  '。': '. ', '，': ', ', '、': ', ', '？': '? ', '！': '! ', '；': '; ', '：': ': ',
  '（': ' (', '）': ') ', '「': ' "', '」': '" ', '『': ' "', '』': '" ', '“': ' "', '”': '" ', '…': '... ',
};

/**
 * Han text as numbered pinyin ("你好。" -> "ni3 hao3. "). pinyin-pro marks the neutral tone 0
 * and writes ü as v; espeak-ng's pinyin voice wants 5 for the neutral tone and reads v as ü.
 */
export function toNumberedPinyin(text: string): string {
  const syllables = pinyin(text, { toneType: 'num', type: 'array', nonZh: 'consecutive', v: true });
  return syllables
    .map((s) => CJK_PUNCTUATION[s] ?? [...s].map((c) => CJK_PUNCTUATION[c] ?? c).join('').replace(/^([a-zü]+)0$/i, '$15'))
    .join(' ')
    .replace(/\s+([.,?!;:])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
