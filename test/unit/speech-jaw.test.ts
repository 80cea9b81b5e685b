// The jaw at fast speech rates (issue 13, point 3): every syllable nucleus opens the jaw
// visibly, judged against the level's own valleys and the local syllable rate, also where F1
// stays low (high voices, whose F1 the LPC tracker mistakes for a harmonic); pauses stay shut.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SpeechFeatures } from '../../src/analyze/audio/features.js';
import { acousticTargets, speechTracks } from '../../src/animate/speech/index.js';
import { syllableRate } from '../../src/animate/speech/acoustic.js';
import { runningMax } from '../../src/animate/speech/dynamics.js';

interface Frame { db: number; voicing: number; f1: number }
const HOP = 0.01;
const SILENCE: Frame = { db: -100, voicing: 0, f1: 0 };

/** Feature tracks from runs of [frame, hops]: a voice with a flat vowel-like spectrum throughout. */
function features(runs: [Frame, number][]): SpeechFeatures {
  const frames = runs.flatMap(([f, k]) => Array.from({ length: k }, () => f));
  const col = (pick: (f: Frame) => number) => Float32Array.from(frames, pick);
  const voiced = (f: Frame) => f.voicing > 0.55;
  return {
    hop: HOP, count: frames.length,
    db: col((f) => f.db), lowDb: col((f) => f.db - 1), highDb: col((f) => (f.db <= -100 ? -100 : f.db - 13)),
    centroid: col((f) => (f.db <= -100 ? 0 : 1100)), zcr: col(() => 0), voicing: col((f) => f.voicing), f0: col((f) => (voiced(f) ? 220 : 0)),
    f1: col((f) => (voiced(f) ? f.f1 : 0)), f2: col((f) => (voiced(f) ? 1500 : 0)), f3: col((f) => (voiced(f) ? 2500 : 0)),
    bandDb: [0, 1, 2].map((b) => col((f) => f.db + [-6, -10, -14][b])) as unknown as SpeechFeatures['bandDb'], upperDb: col((f) => f.db - 8),
  };
}

/**
 * `count` syllables at `perSecond`: a vowel (two thirds of the syllable) and a voiced consonant
 * 12 dB below it, with F1 at `f1` throughout - 300 Hz is what the tracker reports on a high
 * voice whatever the vowel.
 */
function syllables(perSecond: number, count: number, f1: number): [Frame, number][] {
  const hops = Math.round(1 / perSecond / HOP), vowel = Math.round((2 * hops) / 3);
  const out: [Frame, number][] = [];
  for (let k = 0; k < count; k++) out.push([{ db: -15, voicing: 0.9, f1 }, vowel], [{ db: -27, voicing: 0.9, f1 }, hops - vowel]);
  return out;
}

const q = (x: number[], p: number) => [...x].sort((a, b) => a - b)[Math.floor(p * (x.length - 1))];

test('the syllable rate follows the envelope: about 4 and 8 nuclei per second of speech', () => {
  for (const rate of [4, 8]) {
    const f = features([[SILENCE, 50], ...syllables(rate, 2 * rate, 600), [SILENCE, 50]]);
    const valley = Float32Array.from(runningMax(Float32Array.from(f.db, (d) => -d), 7), (d) => -d);
    const r = syllableRate(f, -55, valley, runningMax(f.db, 3));
    const mid = r[50 + Math.round(100)];
    assert.ok(Math.abs(mid - rate) <= 1.5, `${rate}/s measured as ${mid.toFixed(1)}/s`);
  }
});

test('at 8 syllables a second every nucleus opens the jaw visibly, with F1 low throughout', () => {
  const f = features([[SILENCE, 50], ...syllables(8, 24, 300), [SILENCE, 50]]);
  const t = acousticTargets(f);
  const tracks = speechTracks(t, 25, Math.ceil(f.count * HOP * 25));
  // Per syllable (12-13 hops), the highest tracked jaw, read at the frames inside it.
  const peaks: number[] = [], troughs: number[] = [];
  for (let k = 1; k < 23; k++) {
    const a = 0.5 + k / 8, b = a + 1 / 8;
    const frames = Array.from(tracks.jaw).filter((_, i) => i / 25 >= a && i / 25 < b);
    peaks.push(Math.max(...frames)); troughs.push(Math.min(...frames));
  }
  assert.ok(q(peaks, 0.1) >= 0.5, `jaw peaks per syllable (10th percentile) ${q(peaks, 0.1).toFixed(2)}`);
  assert.ok(q(peaks, 0.5) - q(troughs, 0.5) >= 0.15, `the jaw still moves with the syllables: peaks ${q(peaks, 0.5).toFixed(2)}, troughs ${q(troughs, 0.5).toFixed(2)}`);
  // The consonant's middle: the target falls back, the jaw rises between nuclei.
  const consonant = 50 + 8 + 2;
  assert.ok(t.jaw[consonant] < 0.5 * t.jaw[50 + 4], `consonant ${t.jaw[consonant].toFixed(2)} vs nucleus ${t.jaw[54].toFixed(2)}`);
});

test('a fast nucleus opens at least as far as the same syllable spoken slowly, and pauses stay shut', () => {
  const slow = acousticTargets(features([[SILENCE, 50], ...syllables(4, 8, 300), [SILENCE, 100], ...syllables(4, 8, 300), [SILENCE, 50]]));
  const fast = acousticTargets(features([[SILENCE, 50], ...syllables(8, 16, 300), [SILENCE, 100], ...syllables(8, 16, 300), [SILENCE, 50]]));
  const nucleus = (t: typeof slow, perSecond: number) => Math.max(...Array.from(t.jaw.subarray(50 + Math.round(100 / perSecond), 50 + 2 * Math.round(100 / perSecond))));
  assert.ok(nucleus(fast, 8) >= nucleus(slow, 4), `fast ${nucleus(fast, 8).toFixed(2)} vs slow ${nucleus(slow, 4).toFixed(2)}`);
  assert.ok(nucleus(fast, 8) >= 0.45, `fast nucleus ${nucleus(fast, 8).toFixed(2)}`);
  // The pause between the two phrases (hops 250-350): the jaw target is 0 and the track shut.
  for (let i = 260; i < 340; i++) assert.equal(fast.jaw[i], 0, `jaw target in the pause at hop ${i}`);
  const tracks = speechTracks(fast, 25, Math.ceil(fast.jaw.length * HOP * 25));
  for (let fr = Math.ceil(2.6 * 25); fr <= Math.floor(3.3 * 25); fr++) assert.ok(tracks.jaw[fr] <= 0.1, `jaw in the pause at frame ${fr}: ${tracks.jaw[fr].toFixed(2)}`);
});
