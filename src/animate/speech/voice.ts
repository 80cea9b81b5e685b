// What the acoustic analysis learns about the voice from the recording itself (levels, vowel
// spectra, F2 range), and where a loud low-frequency bed (music, a hum) lies under it: every cue
// is judged against these rather than fixed numbers. Pure.
import { toDb, type SpeechFeatures } from '../../analyze/audio/features.js';
import { smoothstep } from '../../core/geometry.js';
import { ACOUSTIC } from './acoustic-config.js';

/**
 * What the analyzer learns about the voice from the whole recording, so that every cue is judged
 * against the speaker's own vowels rather than fixed numbers: voices differ by 15 dB in their
 * high-frequency balance (espeak-ng vs festival HTS) and by a factor of two in centroid.
 */
export interface VoiceProfile {
  /** dB: below this is not speech. */
  readonly gate: number;
  /** dB: the loudest 2 %. */
  readonly peak: number;
  /** Median spectral centroid of loud voiced frames, Hz. */
  readonly vowelCentroid: number;
  /** Median of (level above 3 kHz - level) over loud voiced frames, dB. */
  readonly vowelHighDb: number;
  /** The speaker's F2 range (10th and 90th percentile over voiced frames), Hz. */
  readonly f2Range?: readonly [number, number];
  /**
   * True when a loud bed under the voice (music, hum) fills the low frequencies: levels are then
   * read above 1 kHz (see `overBed`) and the cues that read the low spectrum (voice bar, murmur)
   * are not trusted.
   */
  readonly overBed?: boolean;
}

/** The q-quantile of `values` over the hops `mask` picks, or `fallback` with fewer than five. */
export function percentile(values: Float32Array, mask: (i: number) => boolean, q: number, fallback: number): number {
  const picked: number[] = [];
  for (let i = 0; i < values.length; i++) if (mask(i)) picked.push(values[i]);
  if (picked.length < 5) return fallback;
  picked.sort((a, b) => a - b);
  return picked[Math.min(picked.length - 1, Math.floor(q * (picked.length - 1)))];
}

/**
 * The features with the level the voice is judged by: the full level, or where a loud bed
 * fills the low frequencies (music, a hum; the full level then never falls in pauses or stop
 * gaps) the level above 1 kHz, where the voice still rises and falls by itself. `bed` is the
 * rule applied to the hops `within` picks (default: the whole clip); see `bedShare` for where
 * in a clip a bed plays.
 */
export function overBed(f: SpeechFeatures, within: (i: number) => boolean = () => true): SpeechFeatures & { readonly bed: boolean } {
  return bedRule(f, within) ? { ...f, db: f.upperDb, bed: true } : { ...f, bed: false };
}

function bedRule(f: SpeechFeatures, within: (i: number) => boolean): boolean {
  return bedVerdict(f.db, f.upperDb, within) === 'bed';
}

/**
 * Over a bed, the level the jaw's opening follows: above 500 Hz (the band of `bandDb[0]` and
 * up), where a voice's first formant lies above a bass, kick and pads. Above 1 kHz alone (the
 * level closures and pauses are judged by over a bed) a sung vowel with little energy up there
 * (a held "oo" or "o") read as a near-closure while the voice was at its loudest: singing
 * x1.6 with the bed from halfway, opening ~ loudness r 0.29 there, against 0.80 without music.
 */
export function voiceBandDb(f: SpeechFeatures): Float32Array {
  return Float32Array.from(f.upperDb, (u, i) => toDb(10 ** (u / 10) + 10 ** (f.bandDb[0][i] / 10)));
}

/**
 * 'bed' by the rule above; 'clear' where the full level falls `bedRangeDb` or more (nothing
 * fills the low band); 'unsure' in between - a stretch where nothing rises above the background
 * in the voice's band either (silence, music alone, a held note), which says nothing either way.
 */
function bedVerdict(db: Float32Array, upperDb: Float32Array, within: (i: number) => boolean = () => true,
  rule: { readonly rangeDb: number; readonly marginDb: number } = { rangeDb: ACOUSTIC.bedRangeDb, marginDb: ACOUSTIC.bedRangeMarginDb }): 'bed' | 'clear' | 'unsure' {
  const range = (x: Float32Array) => percentile(x, within, 0.98, 0) - percentile(x, within, 0.05, -100);
  const full = range(db);
  if (full >= rule.rangeDb) return 'clear';
  return range(upperDb) > full + rule.marginDb ? 'bed' : 'unsure';
}

/** The stricter rule for a stretch of `bedShortSeconds` (see `bedShortRangeDb`). */
const SHORT_BED = { rangeDb: ACOUSTIC.bedShortRangeDb, marginDb: ACOUSTIC.bedShortMarginDb };

/**
 * Per hop, 0..1: how much a loud bed fills the low band there. The whole-clip rule (`overBed`)
 * on windows of `bedWindowHops` every `bedStepSeconds` (a quarter window at most), each window's verdict held
 * at its centre and blended linearly between centres; an unsure window takes the verdict of the
 * nearest window that is sure (the whole clip's when none is). A stretch between silences too
 * short for a window is judged by itself (`bedBetweenSilences`).
 */
export function bedShare(f: SpeechFeatures): Float32Array {
  const n = f.count;
  const win = bedWindowHops(n, f.hop), step = Math.max(1, Math.min(Math.round(ACOUSTIC.bedStepSeconds / f.hop), Math.round(win / 4)));
  const out = new Float32Array(n);
  const whole = bedRule(f, () => true) ? 1 : 0;
  if (n <= win) return out.fill(whole);
  const starts: number[] = [];
  for (let a = 0; a + win < n; a += step) starts.push(a);
  starts.push(n - win);
  const centres = starts.map((a) => a + win / 2);
  const said = starts.map((a) => bedVerdict(f.db.subarray(a, a + win), f.upperDb.subarray(a, a + win)));
  const verdicts = said.map((v, k) => {
    if (v !== 'unsure') return v === 'bed' ? 1 : 0;
    for (let d = 1; d < said.length; d++) {
      for (const j of [k - d, k + d]) if (j >= 0 && j < said.length && said[j] !== 'unsure') return said[j] === 'bed' ? 1 : 0;
    }
    return whole;
  });
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k + 1 < centres.length && centres[k + 1] <= i) k++;
    if (i <= centres[0]) out[i] = verdicts[0];
    else if (k + 1 >= centres.length) out[i] = verdicts[k];
    else out[i] = verdicts[k] + (verdicts[k + 1] - verdicts[k]) * (i - centres[k]) / (centres[k + 1] - centres[k]);
  }
  bedBetweenSilences(f, win, out);
  return out;
}

/**
 * A bed that plays only between two silences (music coming in after a pause, to the end of a
 * short clip) for less than a window: every window holding it also holds some of the silence,
 * whose floor hides the bed (zh-poem x1.6 with the bed from halfway: 1.7 s after a 0.3 s
 * silence, under the 2 s window, never found). No bed plays in a silence, so each stretch
 * between silences of `bedSilenceSeconds` (deeper than `bedSilenceDb` under the clip's loudest)
 * that is shorter than a window and at least `bedShortSeconds` long is judged by itself: whole by
 * the rule, or at either end (where a bed fades in or out, the other end still held) over
 * `bedShortSeconds` by the stricter short-window rule (see `bedShortRangeDb`). Sets `out` to 1 there.
 */
function bedBetweenSilences(f: SpeechFeatures, win: number, out: Float32Array): void {
  const n = f.count, short = Math.round(ACOUSTIC.bedShortSeconds / f.hop), run = Math.round(ACOUSTIC.bedSilenceSeconds / f.hop);
  const deep = percentile(f.db, () => true, 0.98, 0) - ACOUSTIC.bedSilenceDb;
  const silent = (i: number) => f.db[i] < deep;
  const isBed = (a: number, b: number, strict: boolean) =>
    bedVerdict(f.db.subarray(a, b), f.upperDb.subarray(a, b), () => true, strict ? SHORT_BED : undefined) === 'bed';
  let a = 0;
  while (a < n) {
    while (a < n && silent(a)) a++;
    // The stretch runs on over silent spells shorter than `run` (stop gaps, short pauses).
    let b = a;
    for (;;) {
      while (b < n && !silent(b)) b++;
      let e = b;
      while (e < n && silent(e)) e++;
      if (e >= n || e - b >= run) break;
      b = e;
    }
    if (b - a >= short && b - a < win && (isBed(a, b, false) || isBed(a, a + short, true) || isBed(b - short, b, true))) out.fill(1, a, b);
    a = b;
  }
}

/**
 * The bed's window in hops for a clip of `n` hops: a third of the clip, within
 * `bedMinWindowSeconds` .. `bedWindowSeconds`. A long clip is judged per window of the full
 * length, as before; a shorter one per shorter window, so that a bed under part of a short clip
 * has a window that lies within it (acoustic-config.ts says how short a window stays reliable).
 */
export function bedWindowHops(n: number, hop: number): number {
  const [lo, hi] = [ACOUSTIC.bedMinWindowSeconds, ACOUSTIC.bedWindowSeconds].map((s) => Math.round(s / hop));
  return Math.max(lo, Math.min(hi, Math.floor(n / 3)));
}

/**
 * The voice's own reference levels and spectra, learnt from the whole recording, or from the
 * hops `within` picks (the stretch with or without a bed, each against its own background).
 */
export function voiceProfile(f: SpeechFeatures & { readonly bed?: boolean }, within: (i: number) => boolean = () => true): VoiceProfile {
  const all = within;
  const floor = Math.max(-90, percentile(f.db, all, 0.05, -90));
  const peak = percentile(f.db, all, 0.98, 0);
  const gate = Math.max(floor + ACOUSTIC.gateAboveFloorDb, peak - ACOUSTIC.rangeDb);
  const voiced = (i: number) => within(i) && f.voicing[i] > 0.6 && f.db[i] > gate && f.f1[i] > 0;
  const vowel = (i: number) => voiced(i) && f.db[i] > peak - 15;
  const highRel = Float32Array.from(f.highDb, (h, i) => h - f.db[i]);
  const f2Lo = percentile(f.f2, voiced, 0.1, 900), f2Hi = Math.max(f2Lo + 300, percentile(f.f2, voiced, 0.9, 2200));
  return { gate, peak, vowelCentroid: percentile(f.centroid, vowel, 0.5, 1000), vowelHighDb: percentile(highRel, vowel, 0.5, -15), f2Range: [f2Lo, f2Hi], overBed: f.bed === true };
}

/**
 * How much a frame sounds like frication, in [0, 1]: energy above 3 kHz (relative to the frame's
 * level) well above what this voice's vowels have. Relative, because espeak-ng's vowels carry
 * as much high-frequency energy (-13 dB) as festival's fricatives; a fixed threshold read
 * espeak's vowels as fricatives and kept the jaw from opening on them.
 */
export function fricationOf(highRelDb: number, voice: VoiceProfile): number {
  return smoothstep(ACOUSTIC.fricationAboveVowelsDb[0], ACOUSTIC.fricationAboveVowelsDb[1], highRelDb - voice.vowelHighDb);
}
