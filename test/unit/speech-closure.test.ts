// Lip-closure cues (closureEvidence, fricationOf) on hand-made feature tracks with known
// answers, and the closure timing through the whole chain on a synthetic vowel-gap-vowel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLACE_BANDS_HZ, type SpeechFeatures } from '../../src/analyze/audio/features.js';
import { ACOUSTIC, acousticTargets, bedShare, bilabialClosures, bilabialProbability, closureEvents, closureEvidence, emptyTargets, fricationOf, overBed, speechTracks, tracksFromAudio, type VoiceProfile } from '../../src/animate/speech/index.js';
import { vowelBetweenSilences } from '../helpers.js';

interface Frame { db: number; centroid: number; highRel: number; voicing: number; /** Levels 0.5-1, 1-1.6, 1.6-3 kHz relative to db. */ bands?: [number, number, number] }
const VOWEL: Frame = { db: -15, centroid: 1100, highRel: -13, voicing: 0.9 };
const SILENCE: Frame = { db: -100, centroid: 0, highRel: 0, voicing: 0 };

/** Feature tracks at 10 ms hops from runs of [frame, hops]. */
function features(runs: [Frame, number][]): SpeechFeatures {
  const frames = runs.flatMap(([f, k]) => Array.from({ length: k }, () => f));
  const col = (pick: (f: Frame) => number) => Float32Array.from(frames, pick);
  return {
    hop: 0.01, count: frames.length,
    db: col((f) => f.db), lowDb: col((f) => f.db - 1), highDb: col((f) => (f.db <= -100 ? -100 : f.db + f.highRel)),
    centroid: col((f) => f.centroid), zcr: col(() => 0), voicing: col((f) => f.voicing), f0: col((f) => (f.voicing > 0.55 ? 120 : 0)),
    f1: col((f) => (f.voicing > 0.55 ? 600 : 0)), f2: col((f) => (f.voicing > 0.55 ? 1500 : 0)), f3: col((f) => (f.voicing > 0.55 ? 2500 : 0)),
    bandDb: [0, 1, 2].map((b) => col((f) => f.db + (f.bands ?? [-6, -10, -14])[b])) as unknown as SpeechFeatures['bandDb'], upperDb: col((f) => f.db - 8),
    // The narrow bands follow the three wide ones they lie in (250-500 Hz as 0.5-1 kHz, above 3 kHz as highRel).
    placeDb: PLACE_BANDS_HZ.map(([lo]) => col((f) => f.db + (lo >= 3000 ? f.highRel : (f.bands ?? [-6, -10, -14])[lo < 1000 ? 0 : lo < 1600 ? 1 : 2]))),
  };
}
// An espeak-like voice: vowels carry much energy above 3 kHz.
const VOICE: VoiceProfile = { gate: -50, peak: -14, vowelCentroid: 1100, vowelHighDb: -13 };

test('frication is judged against the voice\'s own vowels, not a fixed level', () => {
  assert.equal(fricationOf(-13, VOICE), 0, 'a vowel of this voice is not a fricative');
  assert.equal(fricationOf(-2, VOICE), 1, 'an /s/ is');
  assert.equal(fricationOf(-13, { ...VOICE, vowelHighDb: -25 }), 1, 'the same balance is frication in a darker voice');
});

test('closure evidence: a silent stop gap between vowels is a closure, the vowels are not', () => {
  const e = closureEvidence(features([[VOWEL, 15], [SILENCE, 3], [VOWEL, 15]]), VOICE);
  assert.equal(e[16], 1);
  assert.equal(e[5], 0);
  assert.equal(e[25], 0);
});

test('closure evidence: a breathy closure (noise 20 dB down) counts, a sibilant as deep does not', () => {
  const breath: Frame = { db: -37, centroid: 1300, highRel: -12, voicing: 0.3 };
  const s: Frame = { db: -37, centroid: 4200, highRel: -2, voicing: 0.3 };
  assert.ok(closureEvidence(features([[VOWEL, 15], [breath, 3], [VOWEL, 15]]), VOICE)[16] > 0.95);
  assert.equal(closureEvidence(features([[VOWEL, 15], [s, 3], [VOWEL, 15]]), VOICE)[16], 0);
});

test('closure evidence: a nasal murmur is found by its dark spectrum, even as loud as the vowels', () => {
  // HTS voices make /m/ nearly as loud as the vowels: centroid a third of theirs, 30 dB less above 3 kHz.
  const murmur: Frame = { db: -17, centroid: 400, highRel: -30, voicing: 0.95 };
  assert.equal(closureEvidence(features([[VOWEL, 15], [murmur, 5], [VOWEL, 15]]), VOICE)[17], 1);
  const e = closureEvidence(features([[VOWEL, 15], [{ ...murmur, db: -16 }, 5], [VOWEL, 15]]), VOICE);
  assert.ok(e[17] > 0.7 && e[17] < 0.8, `1 dB under the vowels: ${e[17]}`);
  // A back vowel /o/ (centroid 800, high band 3 dB under the others) is not a murmur.
  const o: Frame = { db: -15, centroid: 800, highRel: -16, voicing: 0.9 };
  assert.equal(closureEvidence(features([[VOWEL, 15], [o, 5], [VOWEL, 15]]), VOICE)[17], 0);
});

test('closure evidence: a phrase-initial /m/ (silence before it) is judged against the vowel after it', () => {
  const murmur: Frame = { db: -27, centroid: 500, highRel: -23, voicing: 0.95 };
  const e = closureEvidence(features([[SILENCE, 20], [murmur, 6], [VOWEL, 20]]), VOICE);
  assert.ok(e[23] > 0.95, `murmur after silence ${e[23]}`);
  assert.equal(e[35], 0);
});

test('closure evidence over a bed: a dip while the voice still sounds is no closure, a gap down to the bed\'s own level is', () => {
  // Levels above 1 kHz (db over a bed). The music plays on: its own level there is -55 dB (the
  // pause). A nasal coda or back vowel drops 20 dB above 1 kHz while the voice sounds (a stop
  // gap's depth), but stays 20 dB over the bed; a real closure falls to the bed's level.
  const coda: Frame = { db: -35, centroid: 700, highRel: -13, voicing: 0.9 };
  const gap: Frame = { db: -53, centroid: 600, highRel: -13, voicing: 0.8 };
  const pause: Frame = { db: -55, centroid: 600, highRel: -13, voicing: 0.8 };
  const f = features([[VOWEL, 15], [coda, 5], [VOWEL, 15], [gap, 4], [VOWEL, 15], [pause, 30], [VOWEL, 15]]);
  const overBedVoice: VoiceProfile = { ...VOICE, gate: -45, overBed: true };
  const e = closureEvidence(f, overBedVoice);
  assert.equal(e[17], 0, `coda over the bed read as a closure: ${e[17]}`);
  assert.equal(e[36], 1, `stop gap over the bed: ${e[36]}`);
  // Without a bed the same coda is a stop-gap-deep dip (no bed to judge it against).
  assert.equal(closureEvidence(f, { ...VOICE, gate: -45 })[17], 1);
});

test('closure place over a bed: the release is read with the bed\'s spectrum taken out, so a rising /t/ burst does not read as the bed\'s falling one', () => {
  // A bed falling from -20 dB (250 Hz) to -45 dB (3 kHz and up) in every band, always sounding;
  // the voice's release rises from -40 to -20 dB (an alveolar burst): mixed, the release's shape
  // is flat (the bed fills its low bands), which the place cues read as a diffuse, low, bilabial one.
  const bands = PLACE_BANDS_HZ.length;
  const bed = Array.from({ length: bands }, (_, k) => -20 - (25 * k) / (bands - 1));
  const release = Array.from({ length: bands }, (_, k) => -40 + (20 * k) / (bands - 1));
  const vowel = Array.from({ length: bands }, (_, k) => -15 - 2 * k);
  const PAUSE: Frame = { db: -55, centroid: 600, highRel: -10, voicing: 0.8 };
  const GAP: Frame = { ...PAUSE, db: -53 };
  const RELEASE: Frame = { db: -25, centroid: 3000, highRel: 5, voicing: 0.3 };
  const runs: [Frame, number][] = [[PAUSE, 40], [VOWEL, 15], [GAP, 4], [RELEASE, 2], [VOWEL, 15], [PAUSE, 40]];
  const f = features(runs);
  const spectra = runs.flatMap(([fr, k]) => Array.from({ length: k }, () => (fr === VOWEL ? vowel : fr === RELEASE ? release : undefined)));
  const sum = (a: number, b: number) => 10 * Math.log10(10 ** (a / 10) + 10 ** (b / 10));
  const placeDb = bed.map((b, k) => Float32Array.from(spectra, (v) => (v ? sum(b, v[k]) : b)));
  const highDb = Float32Array.from(spectra, (v) => sum(-48, v === vowel ? -28 : v === release ? -18 : -100));
  const heard: SpeechFeatures = { ...f, placeDb, highDb };
  const voice: VoiceProfile = { ...VOICE, gate: -45, f2Range: [900, 2200], overBed: true };
  const events = closureEvents(heard, voice, closureEvidence(heard, voice));
  // (The pauses' edges are events too.) The gap is hops 55-58.
  const gap = events.find((e) => e.start <= 56 && e.end >= 57);
  assert.ok(gap, JSON.stringify(events.map((e) => [e.start, e.end])));
  const top = `release${PLACE_BANDS_HZ[bands - 1][0]}`, bottom = `release${PLACE_BANDS_HZ[0][0]}`;
  const rise = gap[top] - gap[bottom];
  // Without the bed the burst rises 20 dB; its low bands, under the bed, read at the floor 10 dB under it.
  assert.ok(rise > 8, `the release rises: ${rise.toFixed(1)} dB`);
  const heardRise = placeDb[bands - 1][gap.end + 1] - placeDb[0][gap.end + 1];
  assert.ok(heardRise < 3, `as heard (with the bed) the release is flat: ${heardRise.toFixed(1)} dB`);
});

test('whole chain: a 30 ms closure between two vowels shows at 25 fps, at its own frame, and the vowels open', () => {
  const a = vowelBetweenSilences(0.2, 0.3, 0.03), b = vowelBetweenSilences(0, 0.3, 0.2);
  const samples = new Float32Array(a.length + b.length);
  samples.set(a); samples.set(b, a.length);
  const t = tracksFromAudio({ samples, sampleRate: 16000 }, 25, 26);
  // The gap is 0.50-0.53 s; frame 13 (0.52 s) is the one that covers it.
  assert.ok(t.lipPress[13] >= 0.5, `closure shown ${Array.from(t.lipPress.slice(11, 16), (v) => v.toFixed(2))}`);
  assert.ok(t.lipPress[11] < 0.5, 'not a frame early');
  assert.ok(t.jaw[9] * (1 - t.lipPress[9]) > 0.3, `first vowel opens ${t.jaw[9]}`);
  assert.ok(t.jaw[17] * (1 - t.lipPress[17]) > 0.3, `second vowel opens ${t.jaw[17]}`);
});

// Nasal murmurs as loud and as dark as each other, told apart only by where the nasal
// antiresonance takes energy out: near 1 kHz for /m/, 1.5-2 kHz for /n/ (Fujimura 1962).
const M: Frame = { db: -17, centroid: 400, highRel: -30, voicing: 0.95, bands: [-24, -12, -40] };
const N: Frame = { db: -17, centroid: 400, highRel: -30, voicing: 0.95, bands: [-16, -45, -26] };

test('closure place: an /m/ murmur reads as bilabial, an /n/ murmur with the same level and darkness does not', () => {
  const voice: VoiceProfile = { ...VOICE, f2Range: [900, 2200] };
  const fm = features([[VOWEL, 15], [M, 6], [VOWEL, 15]]), fn = features([[VOWEL, 15], [N, 6], [VOWEL, 15]]);
  const em = closureEvents(fm, voice, closureEvidence(fm, voice)), en = closureEvents(fn, voice, closureEvidence(fn, voice));
  assert.equal(em.length, 1); assert.equal(en.length, 1);
  assert.ok(em[0].nasalPlace > en[0].nasalPlace + 20, `m ${em[0].nasalPlace} n ${en[0].nasalPlace}`);
  const pm = bilabialProbability(em[0]), pn = bilabialProbability(en[0]);
  assert.ok(pm > 0.6 && pn < 0.25, `p(bilabial) m ${pm.toFixed(2)} n ${pn.toFixed(2)}`);
  // Shown: /m/ shut (>= 0.5), /n/ a near-closure with the lips just apart (> 0 but < 0.5).
  const cm = bilabialClosures(fm, voice, closureEvidence(fm, voice)), cn = bilabialClosures(fn, voice, closureEvidence(fn, voice));
  assert.ok(cm[17] >= 0.9, `m closure ${cm[17]}`);
  assert.ok(cn[17] > 0.2 && cn[17] < 0.5, `n near-closure ${cn[17]}`);
});

test('a loud low bed under the voice switches the level the voice is judged by to the band above 1 kHz', () => {
  // The full level never falls below -20 dB (the bed), the band above 1 kHz still drops in the gaps.
  const voiceOverBed = features([[VOWEL, 15], [{ ...SILENCE, db: -100 }, 3], [VOWEL, 15]]);
  const bedded = { ...voiceOverBed, db: Float32Array.from(voiceOverBed.db, (d) => Math.max(d, -20)), upperDb: Float32Array.from(voiceOverBed.db, (d) => d - 8) };
  assert.equal(overBed(bedded).bed, true);
  assert.equal(overBed(bedded).db[16], bedded.upperDb[16]);
  const clean = { ...voiceOverBed, upperDb: Float32Array.from(voiceOverBed.db, (d) => d - 8) };
  assert.equal(overBed(clean).bed, false, 'a clean voice keeps its full level');
  assert.equal(overBed(clean).db, clean.db);
});

test('a bed under only the second half of a clip is found there, and its pauses close the mouth as the plain half\'s do', () => {
  // 12 s of syllables (150 ms) and pauses (250 ms); from 6 s on a bed fills the full level's
  // pauses at -20 dB, while the band above 1 kHz still falls to -45 dB there (the bed's own highs).
  const voice = features(Array.from({ length: 30 }, () => [[VOWEL, 15], [SILENCE, 25]] as [Frame, number][]).flat());
  const half = voice.count / 2;
  const heard = {
    ...voice,
    db: Float32Array.from(voice.db, (d, i) => (i < half ? d : Math.max(d, -20))),
    upperDb: Float32Array.from(voice.db, (d, i) => (i < half ? d - 8 : Math.max(d - 8, -45))),
  };
  assert.equal(overBed(heard).bed, false, 'the whole-clip rule misses a bed under half the clip');
  const share = bedShare(heard);
  assert.equal(share[100], 0, 'no bed in the first half');
  assert.equal(share[heard.count - 100], 1, 'the bed in the second half');
  for (let i = 1; i < share.length; i++) assert.ok(Math.abs(share[i] - share[i - 1]) <= 0.02, `handed over smoothly at ${i}`);
  const t = acousticTargets(heard);
  const opening = (i: number) => t.jaw[i] * (1 - t.lipPress[i]);
  // Pause middles (27 hops into each 40-hop syllable+pause) in each half, and vowel middles.
  const pauses = (from: number, to: number) => Array.from({ length: 30 }, (_, k) => 40 * k + 27).filter((i) => i >= from && i < to);
  for (const i of pauses(0, half)) assert.ok(opening(i) < 0.05, `plain pause at ${i} closed: ${opening(i)}`);
  // Once a whole window lies over the bed (a window's length after it starts, at most) it is read there.
  const overBedPauses = pauses(half, heard.count).filter((i) => share[i] === 1);
  assert.ok(overBedPauses.length >= 10, `pauses read over the bed: ${overBedPauses.length}`);
  for (const i of overBedPauses) assert.ok(opening(i) < 0.05 && t.speechActivity[i] < 0.2, `pause over the bed at ${i} closed: opening ${opening(i)}, activity ${t.speechActivity[i]}`);
  for (const i of overBedPauses.map((p) => p - 20)) assert.ok(opening(i) > 0.2, `syllable over the bed at ${i} opens: ${opening(i)}`);
  // A clip without any bed is read as before, a clip all over the bed as the whole-clip rule did.
  assert.ok(bedShare(voice).every((s) => s === 0));
  const bedded = { ...heard, db: Float32Array.from(voice.db, (d) => Math.max(d, -20)), upperDb: Float32Array.from(voice.db, (d) => Math.max(d - 8, -45)) };
  assert.equal(overBed(bedded).bed, true);
  assert.ok(bedShare(bedded).every((s) => s === 1));
});

test('a bed under the last 2.4 s of a 5.6 s clip, shorter than a full window, is found there and its pauses close', () => {
  // 14 syllables (150 ms) with pauses (250 ms); the bed from 3.2 s on, as above.
  const voice = features(Array.from({ length: 14 }, () => [[VOWEL, 15], [SILENCE, 25]] as [Frame, number][]).flat());
  const from = 320;
  const heard = {
    ...voice,
    db: Float32Array.from(voice.db, (d, i) => (i < from ? d : Math.max(d, -20))),
    upperDb: Float32Array.from(voice.db, (d, i) => (i < from ? d - 8 : Math.max(d - 8, -45))),
  };
  assert.ok(heard.count * heard.hop < 2 * ACOUSTIC.bedWindowSeconds && (heard.count - from) * heard.hop < ACOUSTIC.bedWindowSeconds);
  const share = bedShare(heard);
  assert.equal(share[50], 0, 'no bed at the start');
  assert.equal(share[heard.count - 20], 1, 'the bed at the end');
  const t = acousticTargets(heard);
  const opening = (i: number) => t.jaw[i] * (1 - t.lipPress[i]);
  const overBedPauses = Array.from({ length: 14 }, (_, k) => 40 * k + 27).filter((i) => share[i] === 1);
  assert.ok(overBedPauses.length >= 2, `pauses read over the bed: ${overBedPauses.length}`);
  for (const i of overBedPauses) assert.ok(opening(i) < 0.05, `pause over the bed at ${i} closed: ${opening(i)}`);
  for (const i of overBedPauses.map((p) => p - 20)) assert.ok(opening(i) > 0.2, `syllable over the bed at ${i} opens: ${opening(i)}`);
  // The same clip without the bed is read plain throughout.
  assert.ok(bedShare(voice).every((x) => x === 0));
});

test('a bed that comes in after a silence for less than a window (1.7 s to the end of a 3.6 s clip) is found there; without it nothing is', () => {
  // 1.6 s of syllables (150 ms) and pauses (250 ms), a 0.3 s silence, then 1.7 s of the same over a bed
  // (full level floored at -20 dB, its highs above 1 kHz at -45 dB): every 2 s window over the bed
  // also holds some of the silence.
  const syllables = (k: number) => Array.from({ length: k }, () => [[VOWEL, 15], [SILENCE, 25]] as [Frame, number][]).flat();
  const voice = features([...syllables(4), [SILENCE, 30], ...syllables(4), [VOWEL, 10]]);
  const from = 190;
  const heard = {
    ...voice,
    db: Float32Array.from(voice.db, (d, i) => (i < from ? d : Math.max(d, -20))),
    upperDb: Float32Array.from(voice.db, (d, i) => (i < from ? d - 8 : Math.max(d - 8, -45))),
  };
  assert.ok(heard.count - from < ACOUSTIC.bedMinWindowSeconds / heard.hop);
  const share = bedShare(heard);
  for (let i = 0; i < from; i++) assert.equal(share[i], 0, `no bed before it, at ${i}`);
  for (let i = from; i < heard.count; i++) assert.equal(share[i], 1, `the bed at ${i}`);
  const t = acousticTargets(heard);
  const opening = (i: number) => t.jaw[i] * (1 - t.lipPress[i]);
  for (const i of [from + 27, from + 67, from + 107]) assert.ok(opening(i) < 0.05, `pause over the bed at ${i} closed: ${opening(i)}`);
  for (const i of [from + 7, from + 47, from + 87]) assert.ok(opening(i) > 0.2, `syllable over the bed at ${i} opens: ${opening(i)}`);
  // The clip without the bed, and syllables without pauses after the silence (a range as narrow as a bed's), stay plain.
  assert.ok(bedShare(voice).every((x) => x === 0));
  const running = features([...syllables(4), [SILENCE, 30], ...Array.from({ length: 10 }, () => [[VOWEL, 10], [{ ...VOWEL, db: -30 }, 7]] as [Frame, number][]).flat()]);
  assert.ok(bedShare(running).every((x) => x === 0), 'speech without pauses is no bed');
});

test('over a bed a sung vowel with little energy above 1 kHz opens the jaw as an open one does; the pauses stay shut', () => {
  // Syllables of "ah" (formants above 1 kHz) and a held "oo" (its energy under 1 kHz: 20 dB less
  // above it than the "ah") with pauses, over a bed that fills the full level (-20 dB) and the
  // 500-1000 Hz band (-32 dB) and leaves its highs above 1 kHz at -60 dB.
  const OO: Frame = { ...VOWEL, highRel: -40, bands: [-6, -28, -32] };
  const voice = features(Array.from({ length: 30 }, () => [[VOWEL, 15], [SILENCE, 10], [OO, 15], [SILENCE, 10]] as [Frame, number][]).flat());
  const upper = Float32Array.from({ length: voice.count }, (_, i) => (i % 50 < 15 ? voice.db[i] - 8 : i % 50 >= 25 && i % 50 < 40 ? voice.db[i] - 28 : -100));
  const heard = {
    ...voice,
    db: Float32Array.from(voice.db, (d) => Math.max(d, -20)),
    upperDb: Float32Array.from(upper, (u) => Math.max(u, -60)),
    bandDb: [Float32Array.from(voice.bandDb[0], (b) => Math.max(b, -32)), voice.bandDb[1], voice.bandDb[2]] as unknown as SpeechFeatures['bandDb'],
  };
  assert.ok(bedShare(heard).every((s) => s === 1), 'the bed is found');
  const t = acousticTargets(heard);
  const opening = (i: number) => t.jaw[i] * (1 - t.lipPress[i]);
  for (let k = 2; k < 28; k++) {
    const ah = 50 * k + 7, oo = 50 * k + 32, pause = 50 * k + 20;
    assert.ok(opening(ah) > 0.3, `"ah" at ${ah} opens: ${opening(ah).toFixed(2)}`);
    assert.ok(opening(oo) > 0.6 * opening(ah), `"oo" at ${oo} opens ${opening(oo).toFixed(2)} against "ah" ${opening(ah).toFixed(2)}`);
    assert.ok(opening(pause) < 0.05, `pause at ${pause} shut: ${opening(pause).toFixed(2)}`);
  }
});

test('over a bed a drum hit in a pause (loud above 1 kHz, no pitch) leaves the jaw shut; the voiced syllables around it open it', () => {
  // Syllables (150 ms) and pauses (450 ms) over a bed that fills the full level (-20 dB) and
  // leaves its highs above 1 kHz at -60 dB; in the middle of each pause a snare: its highs at
  // -18 dB (a syllable's are at -23), falling 3 dB a hop, unvoiced.
  const HIT: Frame = { ...SILENCE, db: -20, voicing: 0.2 };
  const voice = features(Array.from({ length: 20 }, () => [[VOWEL, 15], [SILENCE, 20], [HIT, 5], [SILENCE, 20]] as [Frame, number][]).flat());
  const upper = Float32Array.from({ length: voice.count }, (_, i) => {
    const k = i % 60;
    return k < 15 ? voice.db[i] - 8 : k >= 35 && k < 40 ? -18 - 3 * (k - 35) : -60;
  });
  const heard = { ...voice, db: Float32Array.from(voice.db, (d) => Math.max(d, -20)), upperDb: upper };
  assert.ok(bedShare(heard).every((s) => s === 1), 'the bed is found');
  const t = acousticTargets(heard);
  const opening = (i: number) => t.jaw[i] * (1 - t.lipPress[i]);
  for (let k = 2; k < 18; k++) {
    const vowel = 60 * k + 7, hit = 60 * k + 36;
    assert.ok(opening(vowel) > 0.3, `syllable at ${vowel} opens: ${opening(vowel).toFixed(2)}`);
    assert.ok(t.jaw[hit] < 0.02, `the snare at ${hit} leaves the jaw shut: ${t.jaw[hit].toFixed(2)}`);
  }
});

test('closure timing: the lips shut over the closure itself, not over the weaker evidence of the sounds fading in and out around it', () => {
  const voice: VoiceProfile = { ...VOICE, f2Range: [900, 2200] };
  // Vowel, two hops of a half-dark transition, an /m/ murmur of 60 ms, the transition, vowel.
  const FADE: Frame = { db: -20, centroid: 640, highRel: -22, voicing: 0.95, bands: [-16, -11, -28] };
  const f = features([[VOWEL, 15], [FADE, 2], [M, 6], [FADE, 2], [VOWEL, 15]]);
  const evidence = closureEvidence(f, voice);
  for (const k of [15, 16, 23, 24]) assert.ok(evidence[k] > 0.1 && evidence[k] < 0.5, `fade evidence ${evidence[k]} at ${k}`);
  const press = bilabialClosures(f, voice, evidence);
  for (let k = 17; k <= 22; k++) assert.equal(press[k], 1, `shut at ${k}`);
  for (const k of [15, 16, 23, 24]) assert.equal(press[k], 0, `open on the fade at ${k}`);
  // Through the press dynamics: shut within 10 ms of the closure, apart again 20 ms after it.
  const t = emptyTargets(f.hop, f.count);
  t.lipPress.set(press);
  const shown = speechTracks(t, 100, f.count).lipPress;
  for (let k = 18; k <= 22; k++) assert.ok(shown[k] >= 0.5, `shown shut at ${k}: ${shown[k]}`);
  for (const k of [15, 25]) assert.ok(shown[k] < 0.5, `shown apart at ${k}: ${shown[k]}`);
});

test('closure events: a murmur running into a silent gap (/n/ then /b/, "ein Boot") is two closures, each with its own place', () => {
  const voice: VoiceProfile = { ...VOICE, f2Range: [900, 2200] };
  const GAP: Frame = { db: -60, centroid: 300, highRel: -20, voicing: 0.1 };
  const f = features([[VOWEL, 15], [N, 5], [GAP, 5], [VOWEL, 15]]);
  const events = closureEvents(f, voice, closureEvidence(f, voice));
  assert.equal(events.length, 2, JSON.stringify(events.map((e) => [e.start, e.end])));
  assert.deepEqual([events[0].start, events[0].end, events[1].start, events[1].end], [15, 19, 20, 24]);
  assert.ok(events[0].voicing > 0.9 && events[1].voicing < 0.2);
  // A murmur flickering in voicing for a hop is not split.
  const flicker = features([[VOWEL, 15], [N, 3], [{ ...N, voicing: 0.7 }, 1], [N, 3], [VOWEL, 15]]);
  assert.equal(closureEvents(flicker, voice, closureEvidence(flicker, voice)).length, 1);
});

test('closure hold: a silent gap or a voice bar longer than half a syllable cycle shuts the lips for its last part only (a cluster, "pickled peppers"); a murmur is shown whole', () => {
  const voice: VoiceProfile = { ...VOICE, f2Range: [900, 2200] };
  const GAP: Frame = { db: -60, centroid: 300, highRel: -20, voicing: 0.1 };
  const lips = { probability: () => 1 };
  // 5 syllables a second: the lips hold a closure for at most 0.5 / 5 = 100 ms, 10 hops.
  const rate = (n: number) => new Float32Array(n).fill(5);
  const long = features([[VOWEL, 15], [GAP, 18], [VOWEL, 15]]);
  const press = bilabialClosures(long, voice, closureEvidence(long, voice), lips, rate(long.count));
  for (let k = 15; k <= 22; k++) assert.ok(press[k] < 0.41, `near-closure only, early in the gap, at ${k}: ${press[k]}`);
  for (let k = 23; k <= 32; k++) assert.equal(press[k], 1, `shut before the release at ${k}`);
  // Without the rate (or with a gap within the hold) the whole gap is shut.
  const whole = bilabialClosures(long, voice, closureEvidence(long, voice), lips);
  for (let k = 15; k <= 32; k++) assert.equal(whole[k], 1, `whole gap without a rate at ${k}`);
  const short = features([[VOWEL, 15], [GAP, 8], [VOWEL, 15]]);
  const shortPress = bilabialClosures(short, voice, closureEvidence(short, voice), lips, rate(short.count));
  for (let k = 15; k <= 22; k++) assert.equal(shortPress[k], 1, `a p closure within the hold is shut throughout, at ${k}`);
  // A murmur as long carries its place throughout: shut from start to end.
  const hum = features([[VOWEL, 15], [M, 18], [VOWEL, 15]]);
  const humPress = bilabialClosures(hum, voice, closureEvidence(hum, voice), lips, rate(hum.count));
  for (let k = 16; k <= 31; k++) assert.equal(humPress[k], 1, `murmur shut at ${k}`);
  // A voice bar 30 dB under the vowels is a stop's closure: held like a silent gap ("pickled
  // peppers" in espeak: a voiced /d/ closure running into the /p/'s).
  const BAR: Frame = { db: -45, centroid: 300, highRel: -30, voicing: 0.9 };
  const bar = features([[VOWEL, 15], [BAR, 18], [VOWEL, 15]]);
  const barPress = bilabialClosures(bar, voice, closureEvidence(bar, voice), lips, rate(bar.count));
  for (let k = 15; k <= 22; k++) assert.ok(barPress[k] < 0.41, `voice bar: near-closure early, at ${k}: ${barPress[k]}`);
  for (let k = 23; k <= 32; k++) assert.equal(barPress[k], 1, `voice bar: shut before the release at ${k}`);
  // Voiced breath 45 dB under the vowels (deeper than the speech range) is a pause, not a bar: whole.
  const breath = features([[VOWEL, 15], [{ ...BAR, db: -60 }, 18], [VOWEL, 15]]);
  const breathPress = bilabialClosures(breath, voice, closureEvidence(breath, voice), lips, rate(breath.count));
  for (let k = 15; k <= 32; k++) assert.equal(breathPress[k], 1, `voiced pause shown whole at ${k}`);
});
