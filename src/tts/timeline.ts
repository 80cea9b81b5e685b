// Engine output to one phoneme timeline: IPA symbols, seconds, contiguous from 0 to the end of
// the audio, pauses as "_". Festival's phone names are mapped to IPA so that everything after
// synthesis (visemes, evaluation) reads one alphabet. Pure.
import type { PhonemeEvent } from '../core/types.js';

export const PAUSE = '_';

/** Festival's US English (radio) phone set to IPA. */
export const FESTIVAL_TO_IPA: Readonly<Record<string, string>> = Object.freeze({
  pau: PAUSE, 'h#': PAUSE, brth: PAUSE,
  aa: 'ɑ', ae: 'æ', ah: 'ʌ', ao: 'ɔ', aw: 'aʊ', ax: 'ə', axr: 'ɚ', ay: 'aɪ', eh: 'ɛ', el: 'l', em: 'm', en: 'n',
  er: 'ɝ', ey: 'eɪ', ih: 'ɪ', iy: 'i', ow: 'oʊ', oy: 'ɔɪ', uh: 'ʊ', uw: 'u',
  b: 'b', ch: 'tʃ', d: 'd', dh: 'ð', dx: 'ɾ', f: 'f', g: 'ɡ', hh: 'h', jh: 'dʒ', k: 'k', l: 'l', m: 'm', n: 'n',
  ng: 'ŋ', p: 'p', r: 'ɹ', s: 's', sh: 'ʃ', t: 't', th: 'θ', v: 'v', w: 'w', y: 'j', z: 'z', zh: 'ʒ',
});

export interface TimedMark {
  /** Seconds. */
  readonly at: number;
  /** IPA; empty for a pause or a prosody mark. */
  readonly phoneme: string;
}

/**
 * Phoneme start marks (in audio order) to contiguous events ending at `duration`. A mark lasts
 * until the next one; an empty mark becomes a pause, zero-length marks vanish, and neighbouring
 * pauses merge. espeak-ng emits empty marks for pauses and for tone/stress marks of ~0-15 ms,
 * which then fold into the surrounding pause or, when shorter than `minPause`, into the
 * preceding phoneme.
 */
export function marksToEvents(marks: readonly TimedMark[], duration: number, minPause = 0.02): PhonemeEvent[] {
  const out: { phoneme: string; start: number; end: number }[] = [];
  const sorted = [...marks].sort((a, b) => a.at - b.at);
  if (sorted.length === 0 || sorted[0].at > 0) sorted.unshift({ at: 0, phoneme: '' });
  for (let i = 0; i < sorted.length; i++) {
    const start = Math.min(duration, sorted[i].at);
    const end = Math.min(duration, i + 1 < sorted.length ? sorted[i + 1].at : duration);
    if (end <= start) continue;
    const phoneme = sorted[i].phoneme.trim() || PAUSE;
    const prev = out[out.length - 1];
    if (phoneme === PAUSE && prev && (prev.phoneme === PAUSE || end - start < minPause)) { prev.end = end; continue; }
    out.push({ phoneme, start, end });
  }
  return out;
}

/** Festival Segment end times (seconds) to events, stretched to the audio if it runs longer. */
export function festivalSegmentsToEvents(segments: readonly { name: string; end: number }[], duration: number): PhonemeEvent[] {
  const marks: TimedMark[] = [];
  let start = 0;
  for (const s of segments) {
    const ipa = FESTIVAL_TO_IPA[s.name] ?? s.name;
    marks.push({ at: start, phoneme: ipa === PAUSE ? '' : ipa });
    start = s.end;
  }
  return marksToEvents(marks, Math.max(duration, start));
}
