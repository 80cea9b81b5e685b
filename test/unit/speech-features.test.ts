import assert from 'node:assert/strict';
import { test } from 'node:test';
import { speechFeatures } from '../../src/analyze/audio/features.js';
import { bandPass, butterworth, filteredFramePower, filteredFramePowers } from '../../src/analyze/audio/dsp.js';
import { nativeAddon } from '../../src/core/native-addon.js';
import { criticallyDamped, sampleFrames, sideMax, tracksFromAudio, visemeOf, visemeTargets } from '../../src/animate/speech/index.js';
import { vowelBetweenSilences } from '../helpers.js';

const rate = 16000;
const tone = (hz: number, seconds: number, amp = 0.3) => Float32Array.from({ length: seconds * rate }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));
function noise(seconds: number, seed = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: seconds * rate }, () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return (s / 0x7fffffff - 0.5) * 0.5; });
}
const pulses = (f0: number, seconds: number) => Float32Array.from({ length: seconds * rate }, (_, i) => (i % Math.round(rate / f0) === 0 ? 0.8 : 0));

test('features: a 0.3-amplitude sine is -13.5 dBFS, periodic, with its frequency as F0 and centroid', () => {
  const f = speechFeatures({ samples: tone(200, 1), sampleRate: rate });
  assert.equal(f.count, 100);
  const i = 50;
  assert.ok(Math.abs(f.db[i] - 20 * Math.log10(0.3 / Math.SQRT2)) < 0.2, `db ${f.db[i]}`);
  assert.ok(f.voicing[i] > 0.95, `voicing ${f.voicing[i]}`);
  assert.ok(Math.abs(f.f0[i] - 200) < 4, `f0 ${f.f0[i]}`);
  assert.ok(Math.abs(f.centroid[i] - 200) < 10, `centroid ${f.centroid[i]}`);
  assert.ok(Math.abs(f.zcr[i] - 400) < 45, `zcr ${f.zcr[i]}`);
  assert.ok(f.lowDb[i] > f.highDb[i] + 30);
});

test('features: a 100 Hz pulse train has F0 100 Hz; white noise is unvoiced, bright and crosses zero often', () => {
  const p = speechFeatures({ samples: pulses(100, 1), sampleRate: rate });
  assert.ok(Math.abs(p.f0[50] - 100) < 3, `f0 ${p.f0[50]}`);
  const n = speechFeatures({ samples: noise(1), sampleRate: rate });
  assert.ok(n.voicing[50] < 0.4, `voicing ${n.voicing[50]}`);
  assert.equal(n.f0[50], 0);
  assert.ok(n.centroid[50] > 3000, `centroid ${n.centroid[50]}`);
  assert.ok(n.zcr[50] > 5000, `zcr ${n.zcr[50]}`);
  assert.ok(n.highDb[50] > n.lowDb[50], 'noise has more energy above 3 kHz than below 1 kHz');
});

test('features: the first formants of a synthetic /a/ (700, 1200 Hz) are found by LPC', () => {
  const f = speechFeatures({ samples: vowelBetweenSilences(0.2, 0.6, 0.2), sampleRate: rate });
  const i = 50;
  assert.ok(Math.abs(f.f1[i] - 700) < 120, `F1 ${f.f1[i]}`);
  assert.ok(Math.abs(f.f2[i] - 1200) < 200, `F2 ${f.f2[i]}`);
  assert.equal(f.db[5], -100, 'digital silence is the -100 dB floor');
});

test('filteredFramePowers gives filteredFramePower\'s numbers to the bit, four filters at a time in the addon', () => {
  assert.ok(nativeAddon(), 'run `npm run setup` to build native/render');
  // Speech-like: a voiced tone in noise, with silence at both ends and a loud burst.
  const x = Float32Array.from({ length: 3 * rate + 123 }, (_, i) => (i < 800 || i > 3 * rate ? 0 : 0.4 * Math.sin(i / 9) * Math.sin(i / 2000) + (i % 997 === 0 ? 0.9 : 0)));
  const n = noise(3.0077, 5);
  for (let i = 0; i < x.length; i++) x[i] += 0.05 * n[i];
  // Six filters (a group of four and a group of two): one section, two, four.
  const filters = [butterworth('low', 1000, rate), butterworth('high', 3000, rate), bandPass(500, 1000, rate), [butterworth('high', 250, rate), butterworth('low', 900, rate)],
    bandPass(2000, 2500, rate), bandPass(3000, 3800, rate)];
  for (const [hop, win] of [[160, 400], [80, 200], [100, 300]]) {
    const count = Math.ceil(x.length / hop);
    const together = filteredFramePowers(x, filters, count, hop, win);
    assert.equal(together.length, filters.length);
    filters.forEach((f, k) => assert.deepEqual(together[k], filteredFramePower(x, f, count, hop, win), `filter ${k}, hop ${hop}`));
    assert.ok(together[2].some((v) => v > 0), 'the filters pass something');
  }
});

test('critically damped follower: no overshoot, opening faster than closing, settles on the target', () => {
  const step = new Float32Array(100).fill(1, 0, 50);
  const y = criticallyDamped(Float32Array.from(step, (v, i) => (i === 0 ? 0 : v)), 0.01, 60, 30);
  assert.ok(Math.max(...y) <= 1 + 1e-6, 'overshoot');
  assert.ok(y[5] > 0.75 && y[5] < 0.9, `rise after 50 ms ${y[5]}`); // 1-(1+3)e^-3 = 0.80
  assert.ok(1 - y[55] < y[5], 'closing as fast as opening');
  assert.ok(y[99] < 0.01 && y[99] >= -1e-6, `settles ${y[99]}`);
});

test('sampleFrames reads ahead by the lead; sideMax looks only at one side', () => {
  const x = Float32Array.from({ length: 100 }, (_, i) => i);
  const f = sampleFrames(x, 0.01, 25, 10, 0.04);
  assert.equal(f[0], 4);
  assert.equal(f[1], 8);
  const x6 = Float32Array.from([0, 5, 0, 0, 9, 0]);
  assert.deepEqual(Array.from(sideMax(x6, 3, -1)), [-100, 0, 5, 5, 5, 9]);
  assert.deepEqual(Array.from(sideMax(x6, 3, 1)), [5, 9, 9, 9, 0, -100]);
});

test('visemes: IPA classes map to mouth shapes; marks and tone numbers are ignored', () => {
  assert.equal(visemeOf('m').press, 1);
  assert.equal(visemeOf('bʲ').press, 1);
  assert.ok(visemeOf('ɑː').jaw > 0.8);
  assert.ok(visemeOf('i').spread > 0.6 && visemeOf('i').round === 0);
  assert.ok(visemeOf('u').round > 0.9);
  assert.ok(visemeOf('tʃ').round > 0.5, 'postalveolar release rounds');
  assert.ok(visemeOf('aɪ').jaw < visemeOf('a').jaw && visemeOf('aɪ').spread > visemeOf('a').spread, 'diphthong blends');
  assert.equal(visemeOf('_').jaw, 0);
});

test('co-articulation: lips round through consonants before "oo"; closures are hard targets', () => {
  const ph = [
    { phoneme: '_', start: 0, end: 0.1 }, { phoneme: 's', start: 0.1, end: 0.18 }, { phoneme: 't', start: 0.18, end: 0.24 },
    { phoneme: 'u', start: 0.24, end: 0.44 }, { phoneme: 'm', start: 0.44, end: 0.52 }, { phoneme: 'ɑ', start: 0.52, end: 0.72 }, { phoneme: '_', start: 0.72, end: 1 },
  ];
  const t = visemeTargets(ph, 1);
  assert.ok(t.lipRound[21] > 0.4, `"t" before "u" is rounded: ${t.lipRound[21]}`);
  assert.ok(t.lipRound[5] < 0.1, 'no rounding long before');
  assert.equal(t.lipPress[48], 1);
  assert.ok(t.jaw[48] < 0.051);
  assert.ok(t.jaw[62] > 0.65, `open vowel reaches ${t.jaw[62]}`);
  assert.equal(t.speechActivity[90], 0);
});

test('whole chain: mouth closed on silence, open on a loud vowel, closed again after it', () => {
  const quiet = new Float32Array(rate * 2).map((_, i) => 0.0003 * Math.sin(i * 12.9898));
  const s = tracksFromAudio({ samples: quiet, sampleRate: rate }, 25, 50);
  assert.ok(Math.max(...s.jaw) < 0.05, 'opens on near-silence');
  const v = tracksFromAudio({ samples: vowelBetweenSilences(1, 1, 1), sampleRate: rate }, 25, 75);
  assert.ok(Math.max(...v.jaw.slice(0, 20)) < 0.05, 'moves long before the sound');
  assert.ok(Math.max(...v.jaw.slice(30, 48)) > 0.5, `does not open on the vowel: ${Math.max(...v.jaw.slice(30, 48))}`);
  assert.ok(Math.max(...v.speechActivity.slice(30, 48)) > 0.9);
  assert.ok(Math.max(...v.jaw.slice(58)) < 0.05, 'stays open after the sound');
  assert.ok(Math.min(...v.lipPress.slice(0, 20)) > 0.5, 'lips apart at rest');
});
