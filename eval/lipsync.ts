// Lip-sync evaluation (`npm run eval:lipsync`). Three parts:
// 1. Labelled speech made on the fly: sentences in five languages, several voices, speeds and
//    pitches, synthesized with their phoneme timings. The AUDIO-ONLY analyzer runs on the sound;
//    the timings are used only here, for scoring. The closure-place model was fitted on the
//    TUNING languages only (eval/lib/corpus.ts, eval/closure-fit.ts); the others are held out and
//    reported apart. The same speech is scored again over a music bed (eval/lib/music-bed.ts),
//    where the place model is the bed's (PLACE_MODEL_BED), fitted on the same tuning languages
//    over this bed; `BED=1 BED_BPM=128 node dist/eval/closure-fit.js` scores it over the bed at
//    another tempo, which it was not fitted on.
// 2. Real recordings (test/fixtures/audio), no labels: agreement of the predicted opening
//    with voice activity, and lag against the loudness envelope.
// 3. Real speech and singing over the music bed at -6 and -12 dB, and sped up 1.6x: the voice
//    activity is known from the clip without music, so the mouth is judged against the voice.
// Plus the analysis speed for 3 minutes of audio. Prints tables; asserts nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PhonemeEvent, RawAudio } from '../src/core/types.js';
import { loadAudio } from '../src/ingest/index.js';
import { ffmpegEncoder } from '../src/adapters/ffmpeg.js';
import { loudnessEnvelope, quantile } from '../src/analyze/audio/index.js';
import { tracksFromAudio, tracksFromPhonemes, visemeOf } from '../src/animate/speech/index.js';
import { createSpeechSynthesizer } from '../src/tts/index.js';
import { CORPUS, TUNING, VARIANTS, isBilabial } from './lib/corpus.js';
import { mixOverMusic } from './lib/music-bed.js';
import { speedUp } from './lib/audio-io.js';
import { againstVoice, voiceActivity } from './lib/against-voice.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.resolve(ROOT, 'test', 'fixtures', 'audio');
const FPS = 25;
/** Tracks at 100 fps for the lag estimate: video frames (40 ms) are too coarse to time. */
const FINE_FPS = 100;

/** Music beds under the labelled speech and the recordings, dB below the voice. */
const BEDS_DB = [-6, -12];
const isOpenVowel = (p: string): boolean => p !== '_' && visemeOf(p).jaw >= 0.6;
const mid = (p: PhonemeEvent): number => (p.start + p.end) / 2;

/** Best lag (s) of `a` against `b`, both at `fps`: positive = a comes later. */
function lagSeconds(a: Float32Array, b: Float32Array, fps: number, maxLag = 0.2): number {
  const n = Math.min(a.length, b.length);
  const mean = (x: Float32Array) => x.subarray(0, n).reduce((s, v) => s + v, 0) / n;
  const ma = mean(a), mb = mean(b);
  const maxK = Math.round(maxLag * fps);
  const score = (k: number) => { let s = 0; for (let i = Math.max(0, k); i < Math.min(n, n + k); i++) s += (a[i] - ma) * (b[i - k] - mb); return s; };
  let best = 0, bestScore = -Infinity;
  for (let k = -maxK; k <= maxK; k++) { const s = score(k); if (s > bestScore) { bestScore = s; best = k; } }
  const l = score(best - 1), c = bestScore, r = score(best + 1);
  const den = l - 2 * c + r;
  return (best + (den < 0 ? (0.5 * (l - r)) / den : 0)) / fps;
}

interface Score { closureHit: number; closureN: number; openHit: number; openN: number; pauseClosed: number; pauseN: number; lags: number[]; falseClosure: number; otherN: number }
const emptyScore = (): Score => ({ closureHit: 0, closureN: 0, openHit: 0, openN: 0, pauseClosed: 0, pauseN: 0, lags: [], falseClosure: 0, otherN: 0 });

function scoreUtterance(audio: RawAudio, phonemes: readonly PhonemeEvent[], s: Score): void {
  const frames = Math.ceil((audio.samples.length / audio.sampleRate) * FPS);
  const pred = tracksFromAudio(audio, FPS, frames);
  const near = (t: number, f: (i: number) => boolean) => {
    const c = Math.round(t * FPS);
    for (let i = Math.max(0, c - 1); i <= Math.min(frames - 1, c + 1); i++) if (f(i)) return true;
    return false;
  };
  for (const p of phonemes) {
    if (isBilabial(p.phoneme)) { s.closureN++; if (near(mid(p), (i) => pred.lipPress[i] >= 0.5)) s.closureHit++; }
    else if (p.phoneme !== '_') { s.otherN++; const c = Math.round(mid(p) * FPS); if (c < frames && pred.lipPress[c] >= 0.5) s.falseClosure++; }
    if (isOpenVowel(p.phoneme)) { s.openN++; if (near(mid(p), (i) => pred.jaw[i] * (1 - pred.lipPress[i]) >= 0.25)) s.openHit++; }
    // Pause interiors: the mouth may move 80 ms ahead of the next sound and take as long to close.
    if (p.phoneme === '_' && p.end - p.start >= 0.2) {
      for (let f = Math.ceil((p.start + 0.08) * FPS); f <= Math.floor((p.end - 0.08) * FPS) && f < frames; f++) {
        s.pauseN++; if (pred.jaw[f] <= 0.1) s.pauseClosed++;
      }
    }
  }
  const fine = Math.ceil((audio.samples.length / audio.sampleRate) * FINE_FPS);
  const a = tracksFromAudio(audio, FINE_FPS, fine), ref = tracksFromPhonemes(phonemes, audio, FINE_FPS, fine);
  s.lags.push(lagSeconds(a.jaw, ref.jaw, FINE_FPS));
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : '-');
function prf(s: Score): string {
  const p = s.closureHit / Math.max(1, s.closureHit + s.falseClosure), r = s.closureHit / Math.max(1, s.closureN);
  return `${p.toFixed(2)}/${r.toFixed(2)}/${(p + r > 0 ? (2 * p * r) / (p + r) : 0).toFixed(2)}`;
}
const median = (x: number[]): number => { const s = [...x].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : 0; };

const add = (into: Score, s: Score) => {
  for (const k of Object.keys(into) as (keyof Score)[]) {
    if (k === 'lags') into.lags.push(...s.lags); else into[k] += s[k];
  }
};

async function labelled(): Promise<void> {
  const tts = createSpeechSynthesizer();
  const rows: Record<string, string | number>[] = [];
  const total = emptyScore(), tuning = emptyScore(), heldOut = emptyScore();
  const bySpeed = VARIANTS.map(() => emptyScore());
  const music = BEDS_DB.map(() => emptyScore());
  // Over the bed the place model is PLACE_MODEL_BED, fitted on the same tuning half laid over the bed.
  const musicTuning = BEDS_DB.map(() => emptyScore()), musicHeldOut = BEDS_DB.map(() => emptyScore());
  const musicRows: Record<string, string | number>[] = [];
  for (const { lang, voices, text } of CORPUS) {
    const s = emptyScore();
    const m = BEDS_DB.map(() => emptyScore());
    for (const voice of voices) {
      for (const [k, v] of VARIANTS.entries()) {
        const speech = await tts.synthesize(text, voice, v);
        const one = emptyScore();
        scoreUtterance(speech.audio, speech.phonemes, one);
        add(s, one); add(bySpeed[k], one);
        BEDS_DB.forEach((db, b) => scoreUtterance(mixOverMusic(speech.audio, db), speech.phonemes, m[b]));
      }
    }
    add(total, s); add(TUNING.has(lang) ? tuning : heldOut, s);
    rows.push(row(`${lang}${TUNING.has(lang) ? '' : ' (held out)'}`, s, voices.length * VARIANTS.length));
    BEDS_DB.forEach((db, b) => {
      add(music[b], m[b]); add(TUNING.has(lang) ? musicTuning[b] : musicHeldOut[b], m[b]);
      musicRows.push(row(`${lang}${TUNING.has(lang) ? '' : ' (held out)'}, music ${db} dB`, m[b], voices.length * VARIANTS.length));
    });
  }
  const utterances = CORPUS.reduce((n, c) => n + c.voices.length, 0);
  const count = (pick: (lang: string) => boolean) => CORPUS.filter((c) => pick(c.lang)).reduce((n, c) => n + c.voices.length, 0) * VARIANTS.length;
  rows.push(row('tuning half', tuning, count((l) => TUNING.has(l))));
  rows.push(row('held-out half', heldOut, count((l) => !TUNING.has(l))));
  rows.push(row('ALL', total, utterances * VARIANTS.length));
  // Fast speech is where closures between syllables get lost: speed 2 is ~8 syllables a second.
  VARIANTS.forEach((v, k) => rows.push(row(`speed ${v.speed}`, bySpeed[k], utterances)));
  console.log('\nLabelled synthetic speech (audio-only analyzer vs synthesizer phoneme timings)');
  console.log(`voices x speeds ${VARIANTS.map((v) => v.speed).join('/')} x pitch shifts ${VARIANTS.map((v) => v.semitones).join('/')} st; closure = lipPress >= 0.5, open = jaw*(1-press) >= 0.25, within +-1 frame (40 ms) of the phoneme middle`);
  console.log(`closure-place model fitted on ${[...TUNING].join(', ')} only; the other languages are held out`);
  console.table(rows);
  console.log('P/R/F1: p/b/m closures shown (recall) against closures shown on any other phoneme (precision = p/b/m hits / (hits + false closures)).');
  console.log('targets: closure recall >= 90 % with closure on other phonemes <= 12 %, pause frames closed >= 97 %, |lag| <= 20 ms, open-vowel recall >= 90 %');
  BEDS_DB.forEach((db, b) => musicRows.push(row(`tuning half, music ${db} dB`, musicTuning[b], count((l) => TUNING.has(l)))));
  BEDS_DB.forEach((db, b) => musicRows.push(row(`held-out half, music ${db} dB`, musicHeldOut[b], count((l) => !TUNING.has(l)))));
  BEDS_DB.forEach((db, b) => musicRows.push(row(`ALL, music ${db} dB`, music[b], utterances * VARIANTS.length)));
  console.log('\nThe same speech over a synthetic music bed (chords, bass, drums; eval/lib/music-bed.ts) at 6 and 12 dB below the voice');
  console.log(`place model over the bed fitted on ${[...TUNING].join(', ')} over this bed only; the other languages are held out`);
  console.table(musicRows);
}

function row(name: string, s: Score, utterances: number): Record<string, string | number> {
  return {
    language: name, utterances,
    'p/b/m closure recall': `${pct(s.closureHit, s.closureN)} (${s.closureN})`,
    'open-vowel recall': `${pct(s.openHit, s.openN)} (${s.openN})`,
    'closed in pauses': `${pct(s.pauseClosed, s.pauseN)} (${s.pauseN} fr)`,
    'lag ms (median)': Math.round(1000 * median(s.lags)),
    'closure on other phonemes': pct(s.falseClosure, s.otherN),
    'P/R/F1': prf(s),
  };
}

async function decode(file: string): Promise<RawAudio> {
  return (await loadAudio(file, ffmpegEncoder)).audio;
}

async function recordings(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-eval-'));
  const rows: Record<string, string | number>[] = [];
  try {
    for (const name of fs.readdirSync(FIXTURES).filter((f) => /\.(wav|mp3)$/.test(f)).sort()) {
      const audio = await decode(path.join(FIXTURES, name));
      const frames = Math.ceil((audio.samples.length / audio.sampleRate) * FPS);
      const pred = tracksFromAudio(audio, FPS, frames);
      const vad = voiceActivity(audio, FPS, frames);
      let agree = 0, silent = 0, silentClosed = 0;
      for (let f = 0; f < frames; f++) {
        const open = pred.jaw[f] * (1 - pred.lipPress[f]) > 0.1;
        if (open === (vad[f] === 1)) agree++;
        if (!vad[f]) { silent++; if (!open) silentClosed++; }
      }
      const fine = Math.ceil((audio.samples.length / audio.sampleRate) * FINE_FPS);
      const jaw = tracksFromAudio(audio, FINE_FPS, fine).jaw;
      const env = loudnessEnvelope(audio);
      const lo = quantile(env.db, 0.2), hi = quantile(env.db, 0.98);
      const loud = Float32Array.from({ length: fine }, (_, i) => Math.min(1, Math.max(0, (env.db[Math.min(env.db.length - 1, i)] - lo) / (hi - lo))));
      rows.push({ file: name, seconds: +(frames / FPS).toFixed(1), 'opening agrees with voice activity': pct(agree, frames), 'closed when no voice': pct(silentClosed, silent), 'lag vs loudness ms': Math.round(1000 * lagSeconds(jaw, loud, FINE_FPS)) });
    }
    console.log('\nReal recordings (no labels): predicted opening (jaw*(1-press) > 0.1) vs loudness-based voice activity');
    console.table(rows);
    console.log('lag vs loudness: negative = the mouth moves before the loudness envelope (the model leads by design).');

    const long = await decode(path.join(FIXTURES, 'mixed-long-65s.mp3'));
    const n = 180 * long.sampleRate;
    const samples = new Float32Array(n);
    for (let i = 0; i < n; i += long.samples.length) samples.set(long.samples.subarray(0, Math.min(long.samples.length, n - i)), i);
    const three = { samples, sampleRate: long.sampleRate };
    const times: number[] = [];
    for (let k = 0; k < 3; k++) { const t0 = performance.now(); tracksFromAudio(three, FPS, 180 * FPS); times.push(performance.now() - t0); }
    console.log(`\nAnalysis speed: 180 s of audio at ${long.sampleRate} Hz -> all tracks in ${Math.min(...times).toFixed(0)} ms (best of 3; target < 1000 ms)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Real clips laid over the music bed: speech in three languages and singing. */
const OVER_MUSIC = ['en-speech-2.wav', 'de-speech.wav', 'zh-poem.wav', 'singing.wav'];

function judgeAgainstVoice(name: string, clean: RawAudio, heard: RawAudio, fromFrame = 0): Record<string, string | number> {
  const m = againstVoice(clean, heard, FPS, fromFrame);
  return {
    clip: name, seconds: +(m.frames / FPS).toFixed(1),
    'lips shut while the voice sounds': pct(m.shutWhileVoice, 1), 'open while the voice sounds': pct(m.openWhileVoice, 1),
    'closed when no voice': pct(m.closedWithoutVoice, 1), 'opening agrees with voice': pct(m.agreement, 1),
    'opening ~ voice loudness r': +m.loudnessR.toFixed(2),
  };
}

async function overMusic(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-eval-'));
  const rows: Record<string, string | number>[] = [];
  try {
    for (const name of OVER_MUSIC) {
      const original = await decode(path.join(FIXTURES, name));
      for (const speed of [1, 1.6]) {
        const clean = speed === 1 ? original : await speedUp(original, speed, work);
        const tag = `${name}${speed === 1 ? '' : ` x${speed}`}`;
        rows.push(judgeAgainstVoice(`${tag}, no music`, clean, clean));
        for (const db of BEDS_DB) rows.push(judgeAgainstVoice(`${tag}, music ${db} dB`, clean, mixOverMusic(clean, db)));
        // Music coming in halfway: the whole clip, then its second half alone (where the bed plays).
        const half = Math.round((clean.samples.length / clean.sampleRate) * FPS * 0.5);
        for (const db of BEDS_DB) {
          const heard = mixOverMusic(clean, db, undefined, 0.5);
          rows.push(judgeAgainstVoice(`${tag}, music ${db} dB 2nd half`, clean, heard));
          rows.push(judgeAgainstVoice(`${tag}, music ${db} dB 2nd half (judged there)`, clean, heard, half));
        }
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log('\nReal speech and singing over the music bed (voice activity and loudness from the clip without music; sped-up clips via ffmpeg atempo, bed laid after; "2nd half": the bed comes in halfway, faded in over 0.5 s)');
  console.table(rows);
  console.log('target: over music the mouth opens with the voice about as it does without music; lips shut while the voice sounds stays near the clean figure.');
}

await labelled();
await recordings();
await overMusic();
