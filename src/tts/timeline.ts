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

const PLOSIVES = new Set(['p', 'b', 't', 'd', 'k', 'ɡ', 'g', 'c', 'ɟ', 'q', 'ʈ', 'ɖ']);

/**
 * espeak-ng reports a stop consonant from its burst, leaving the silent closure before it to
 * the preceding phoneme - but the lips (for p, b) are shut during that closure. Each stop's
 * start is moved back over the near-silence that precedes it (25 dB under the preceding
 * phoneme's peak, 5 ms steps, at most 150 ms and never into the first 30 % of that phoneme).
 */
export function extendStopClosures(events: readonly PhonemeEvent[], samples: Float32Array, sampleRate: number): PhonemeEvent[] {
  const step = Math.max(1, Math.round(0.005 * sampleRate));
  const dbAt = (t: number): number => {
    const a = Math.max(0, Math.round(t * sampleRate)), b = Math.min(samples.length, a + step);
    let s = 0;
    for (let i = a; i < b; i++) s += samples[i] * samples[i];
    return b > a && s > 0 ? 10 * Math.log10(s / (b - a)) : -100;
  };
  const out = events.map((e) => ({ ...e }));
  for (let k = 1; k < out.length; k++) {
    const e = out[k], prev = out[k - 1];
    if (!PLOSIVES.has([...e.phoneme.normalize('NFD')][0] ?? '') || prev.phoneme === PAUSE) continue;
    let peak = -100;
    for (let t = prev.start; t < prev.end; t += step / sampleRate) peak = Math.max(peak, dbAt(t));
    const limit = Math.max(prev.start + 0.3 * (prev.end - prev.start), e.start - 0.15);
    let start = e.start;
    while (start - step / sampleRate >= limit && dbAt(start - step / sampleRate) < peak - 25) start -= step / sampleRate;
    if (start < e.start) { prev.end = start; e.start = start; }
  }
  return out;
}
