// Where the lips shut: evidence of a closed vocal tract per hop (a stop gap, a voice bar, a nasal
// murmur), its stretches as closure events, and the events weighed by where they were made (the
// place model of closure-place.ts): the lips shut only for p, b, m. Pure.
import { toDb, type SpeechFeatures } from '../../analyze/audio/features.js';
import { smoothstep } from '../../core/geometry.js';
import { ACOUSTIC } from './acoustic-config.js';
import { bilabialProbability, spectralShape, PLACE_MODEL, PLACE_MODEL_BED, type ClosureEvent, type PlaceModel } from './closure-place.js';
import { sideMax } from './dynamics.js';
import { fricationOf, type VoiceProfile } from './voice.js';

/** What eval/closure-fit.ts varies while fitting; the defaults are the fitted values. */
export interface PlaceOptions {
  /** Replaces the place model of the reading (PLACE_MODEL, or PLACE_MODEL_BED over a bed). */
  readonly place?: PlaceModel;
  /** Replaces the reading's ramp (ACOUSTIC.bilabialP, or bedBilabialP over a bed). */
  readonly bilabialP?: readonly [number, number];
  /** Replaces the model's probability (the fit's oracle: what the closure evidence allows at best). */
  readonly probability?: (e: ClosureEvent) => number;
  /** Replaces ACOUSTIC.lipHoldShare. */
  readonly lipHoldShare?: number;
}

/**
 * Evidence, per hop in [0, 1], that the lips are shut, from three signatures of a closed
 * vocal tract with speech on at least one side (Stevens 1998, "Acoustic Phonetics", ch. 7, 9):
 * - a stop closure: a gap far below the louder neighbouring syllable and below the other -
 *   silent or carrying only breath noise (breathy voices), but not the hiss of a sibilant;
 * - a voice bar: a shallower dip whose energy is all low (centroid under ~600-900 Hz);
 * - a nasal murmur: voiced, with a spectrum much darker than this voice's own vowels (centroid
 *   about half theirs, little energy above 3 kHz) - the nasal antiresonance and the closed
 *   mouth remove F2 and up - and no louder than its neighbours. HTS voices make /m/ as loud
 *   as the vowels, so no dip is required.
 * Neighbouring syllables are the loudest levels within `ACOUSTIC.neighbourSeconds`; where one
 * side is silence (a closure that starts or ends a phrase) the speaking side alone counts.
 * Over a bed (music) the dip must also reach the bed's own level (`ACOUSTIC.closureAboveBedDb`).
 * Nothing here tells /m/ from /n/ or /p/ from /t/: that is bilabialClosures' work.
 */
export function closureEvidence(f: SpeechFeatures, voice: VoiceProfile): Float32Array {
  const { gate } = voice;
  const n = f.count;
  const side = Math.max(2, Math.round(ACOUSTIC.neighbourSeconds / f.hop));
  const before = sideMax(f.db, side, -1), after = sideMax(f.db, side, 1);
  const floor = voice.overBed ? bedFloor(f.db, Math.round(ACOUSTIC.bedFloorSeconds / f.hop)) : undefined;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const db = f.db[i], highRel = f.highDb[i] - db;
    const sb = smoothstep(gate, gate + 8, before[i]), sa = smoothstep(gate, gate + 8, after[i]);
    const both = Math.min(sb, sa);
    const louder = Math.max(before[i], after[i]), weaker = Math.min(before[i], after[i]);
    // With silence on one side, the dip is measured against the speaking side only.
    const dip = both * (weaker - db) + (1 - both) * (louder - db);
    const active = smoothstep(gate - 3, gate + 6, db);
    const frication = active * fricationOf(highRel, voice);
    const sibilant = frication * smoothstep(2200, 3200, f.centroid[i]);
    const silentish = 1 - smoothstep(gate - 6, gate + 4, db);
    const gap = smoothstep(ACOUSTIC.gapDb[0], ACOUSTIC.gapDb[1], louder - db) * smoothstep(3, 8, dip) * (1 - sibilant);
    // Over a bed the low spectrum is the music's: only a gap in the voice's band counts.
    const lowSpectrum = voice.overBed ? 0 : smoothstep(ACOUSTIC.closedCentroidHz[0], ACOUSTIC.closedCentroidHz[1], f.centroid[i]);
    const closedSpectrum = Math.max(silentish, lowSpectrum);
    const bar = smoothstep(ACOUSTIC.dipDb[0], ACOUSTIC.dipDb[1], dip) * closedSpectrum * (1 - frication);
    const murmur = voice.overBed ? 0 : active * smoothstep(0.45, 0.75, f.voicing[i])
      * smoothstep(ACOUSTIC.murmurCentroidRatio[0], ACOUSTIC.murmurCentroidRatio[1], f.centroid[i] / voice.vowelCentroid)
      * smoothstep(ACOUSTIC.murmurDarkerDb[0], ACOUSTIC.murmurDarkerDb[1], voice.vowelHighDb - highRel)
      * smoothstep(-1, 2, louder - db);
    // Over a bed the voice has stopped only where its band falls to the bed's own level.
    const down = floor ? smoothstep(ACOUSTIC.closureAboveBedDb[1], ACOUSTIC.closureAboveBedDb[0], db - floor[i]) : 1;
    out[i] = Math.max(gap, bar, murmur) * Math.max(sb, sa) * down;
  }
  return out;
}

/**
 * The bed's own level per hop: the `bedFloorShare` quantile of the level within `radius` hops
 * each side, to 1 dB (the voice's pauses, stop gaps and consonants, where the bed shows through).
 */
function bedFloor(db: Float32Array, radius: number, share: number = ACOUSTIC.bedFloorShare): Float32Array {
  const lo = -120, bins = new Int32Array(121), at = (d: number) => Math.max(0, Math.min(120, Math.round(d - lo)));
  const out = new Float32Array(db.length);
  let a = 0, b = 0, count = 0;
  for (let i = 0; i < db.length; i++) {
    for (; b < Math.min(db.length, i + radius + 1); b++, count++) bins[at(db[b])]++;
    for (; a < i - radius; a++, count--) bins[at(db[a])]--;
    const rank = share * (count - 1);
    let k = 0, seen = bins[0];
    while (seen <= rank && k < 120) seen += bins[++k];
    out[i] = lo + k;
  }
  return out;
}

/**
 * Over a bed, the band levels the place cues read with the bed's own spectrum taken out: in each
 * band the bed's local level (its `bedSpectrumShare` quantile within `bedFloorSeconds` each
 * side) is subtracted as power, and what is left floored `bedResidualDb` under that level. In a
 * closure the bands otherwise read the music's spectrum, and it looked bilabial (low and diffuse).
 */
function withoutBed(f: SpeechFeatures): SpeechFeatures {
  const radius = Math.round(ACOUSTIC.bedFloorSeconds / f.hop);
  const clean = (band: Float32Array) => {
    const bed = bedFloor(band, radius, ACOUSTIC.bedSpectrumShare);
    return Float32Array.from(band, (d, i) => {
      const left = 10 ** (d / 10) - 10 ** (bed[i] / 10);
      return Math.max(bed[i] - ACOUSTIC.bedResidualDb, toDb(left));
    });
  };
  const bandDb = f.bandDb.map(clean) as unknown as SpeechFeatures['bandDb'];
  return { ...f, bandDb, highDb: clean(f.highDb), placeDb: f.placeDb?.map(clean) };
}

/** Stretches where the closure evidence is at least this, as one event each. */
const EVENT_MIN = 0.5;

/** Hops of steady voicing each side of a switch for a stretch to be split there. */
const SPLIT_MIN = 2;

/**
 * The stretches [start, end] of closure evidence at least EVENT_MIN, each split where its voicing
 * switches for good (SPLIT_MIN hops each side) between a murmur or voice bar and a silent gap:
 * that is two closures in a row, often at two places ("ein Boot", "and Bob", "kommt"), and as
 * one event their cues mixed the nasal's murmur with the stop's release. Split, each part is
 * weighed by its own place (eval:lipsync held-out half: closures on other phonemes 17 -> 10 %).
 */
function closureStretches(f: SpeechFeatures, closure: Float32Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < f.count; i++) {
    if (closure[i] < EVENT_MIN || (i > 0 && closure[i - 1] >= EVENT_MIN)) continue;
    let j = i;
    while (j + 1 < f.count && closure[j + 1] >= EVENT_MIN) j++;
    let a = i;
    const voiced = (k: number) => f.voicing[k] >= PLACE_MODEL.voicedAbove;
    for (let k = a + SPLIT_MIN; k + SPLIT_MIN - 1 <= j; k++) {
      if (voiced(k) === voiced(k - 1)) continue;
      let steady = true;
      for (let h = k - SPLIT_MIN; h < k + SPLIT_MIN; h++) if (voiced(h) !== voiced(h < k ? k - 1 : k)) steady = false;
      if (!steady) continue;
      out.push([a, k - 1]);
      a = k;
      k += SPLIT_MIN - 1;
    }
    out.push([a, j]);
    i = j;
  }
  return out;
}

export function closureEvents(heard: SpeechFeatures, voice: VoiceProfile, closure: Float32Array): ClosureEvent[] {
  const f = voice.overBed && ACOUSTIC.bedSpectrumShare > 0 ? withoutBed(heard) : heard;
  const [f2Lo, f2Hi] = voice.f2Range ?? [900, 2200];
  const nf2 = (i: number) => (f.f2[i] > 0 ? (f.f2[i] - f2Lo) / (f2Hi - f2Lo) : NaN);
  const voicedAt = (i: number) => f.voicing[i] > 0.6 && f.f2[i] > 0;
  const side = Math.max(2, Math.round(ACOUSTIC.neighbourSeconds / f.hop));
  const sideBefore = sideMax(f.db, side, -1), sideAfter = sideMax(f.db, side, 1);
  const events: ClosureEvent[] = [];
  for (const [i, j] of closureStretches(f, closure)) {
    let voicing = 0, nasalPlace = 0, compact = 0, darkness = 0, lowest = Infinity;
    for (let k = i; k <= j; k++) {
      voicing += f.voicing[k];
      darkness += f.centroid[k] / voice.vowelCentroid;
      lowest = Math.min(lowest, f.db[k]);
      nasalPlace += f.bandDb[1][k] - f.bandDb[0][k];
      compact += f.bandDb[2][k] - f.bandDb[0][k];
    }
    const len = j - i + 1;
    // The release: the largest rise of the high band within 30 ms after the stretch.
    let burst = Math.min(f.count - 1, j + 1), rise = -Infinity;
    for (let k = Math.max(1, j); k <= Math.min(f.count - 1, j + 3); k++) {
      const r = f.highDb[k] - f.highDb[k - 1];
      if (r > rise) { rise = r; burst = k; }
    }
    let after = -1, before = -1;
    for (let k = j + 1; k < Math.min(f.count, j + 9); k++) if (voicedAt(k)) { after = k; break; }
    for (let k = i - 1; k >= Math.max(0, i - 9); k--) if (voicedAt(k)) { before = k; break; }
    const f2After = after >= 0 ? nf2(after) : NaN, f2Before = before >= 0 ? nf2(before) : NaN;
    const shape = spectralShape(f, i, j, burst);
    events.push({
      ...shape,
      start: i, end: j, voicing: voicing / len, nasalPlace: nasalPlace / len, compact: compact / len,
      burstHigh: f.highDb[burst] - f.db[burst] - voice.vowelHighDb, burstCentroid: f.centroid[burst] / 1000,
      f2Before, f2After,
      f2Into: before >= 3 && f.f2[before - 3] > 0 ? f2Before - nf2(before - 3) : 0,
      f2OutOf: after >= 0 && after + 3 < f.count && f.f2[after + 3] > 0 ? nf2(after + 3) - f2After : 0,
      pinchBefore: before >= 0 && f.f3[before] > 0 ? (f.f3[before] - f.f2[before]) / 1000 : NaN,
      pinchAfter: after >= 0 && f.f3[after] > 0 ? (f.f3[after] - f.f2[after]) / 1000 : NaN,
      burstCompact: f.bandDb[2][burst] - f.db[burst],
      depth: Math.max(sideBefore[i], sideAfter[j]) - lowest,
      darkness: darkness / len,
      duration: len * f.hop,
    });
  }
  return events;
}

/**
 * The closure evidence kept where the lips made it: every stretch of evidence is weighed by
 * how bilabial it sounds, and a tongue closure (t, d, n, k) is brought down to a near-closure
 * (`ACOUSTIC.tongueClosure`: jaw up, lips just apart) instead of shut lips. `rate` is the local
 * syllable rate per hop (acoustic.ts syllableRate): without it, stop gaps are shown whole.
 */
export function bilabialClosures(f: SpeechFeatures, voice: VoiceProfile, closure: Float32Array, opts: PlaceOptions = {}, rate?: Float32Array): Float32Array {
  const out = Float32Array.from(closure);
  const [p0, p1] = opts.bilabialP ?? (voice.overBed ? ACOUSTIC.bedBilabialP : ACOUSTIC.bilabialP);
  const place = opts.place ?? (voice.overBed ? PLACE_MODEL_BED : PLACE_MODEL);
  const share = opts.lipHoldShare ?? ACOUSTIC.lipHoldShare;
  for (const e of closureEvents(f, voice, closure)) {
    const keep = smoothstep(p0, p1, opts.probability ? opts.probability(e) : bilabialProbability(e, place));
    const scale = ACOUSTIC.tongueClosure + (1 - ACOUSTIC.tongueClosure) * keep;
    // The lips are shut over the whole closure (the stop gap, the murmur) and open at its
    // release; the weaker evidence on either side is the neighbouring sounds fading in and out,
    // and holding the lips on it closed them over the next vowel's or consonant's middle. The
    // ramps in and out are the press dynamics' (tracks.ts).
    // A stop's closure (a silent gap, or a voice bar as deep as a full gap: `gapDb[1]` under
    // its louder neighbour) is judged by its release (burst, transitions), which tells the
    // place of its last closure only; one longer than the lips' hold is a cluster whose first
    // closures the tongue made ("pickled peppers", "mercado", "barco"), so the lips shut for
    // the last `lipHoldShare` of a syllable cycle before the release and the tongue's
    // near-closure shows before that. A nasal murmur (shallower) carries its place throughout
    // and is shown whole, and so is a voiced stretch deeper than the speech range (`rangeDb`):
    // a breath or hum in a pause, not an articulated closure.
    const stop = e.voicing < PLACE_MODEL.voicedAbove || (e.depth >= ACOUSTIC.gapDb[1] && e.depth < ACOUSTIC.rangeDb);
    const hold = rate && stop ? Math.round(share / Math.min(10, Math.max(2, rate[e.end])) / f.hop) : Infinity;
    const from = Math.max(e.start, e.end + 1 - hold);
    for (let k = e.start; k <= e.end; k++) out[k] = k < from ? Math.min(scale, ACOUSTIC.tongueClosure) : scale;
    // (Only outside every stretch: the next part of a split stretch is its own event.)
    for (let k = e.start - 1; k >= 0 && closure[k] > 0.05 && closure[k] < EVENT_MIN && closure[k] <= closure[k + 1]; k--) out[k] = 0;
    for (let k = e.end + 1; k < f.count && closure[k] > 0.05 && closure[k] < EVENT_MIN && closure[k] <= closure[k - 1]; k++) out[k] = 0;
  }
  return out;
}
