// Fits PLACE_MODEL (src/animate/speech/acoustic.ts): logistic regressions telling bilabial
// closures from tongue closures by the cues of each closure event, on the TUNING languages of
// eval:lipsync's corpus only (eval/lib/corpus.ts). Prints the weights to paste into the model.
// Run: node dist/eval/closure-fit.js
import { speechFeatures } from '../src/analyze/audio/features.js';
import { closureEvents, closureEvidence, cueValue, voiceProfile, PLACE_CUES, type ClosureEvent } from '../src/animate/speech/index.js';
import { createSpeechSynthesizer } from '../src/tts/index.js';
import { CORPUS, TUNING, VARIANTS, isBilabial, phonemeAt } from './lib/corpus.js';

const CUES = PLACE_CUES;
const VOICED_ABOVE = 0.75;
/** Missing recall costs this much more than a false closure (the targets: recall >= 90 %, false <= 12 %). */
const POSITIVE_WEIGHT = 2;
const L2 = 0.02;


function fit(events: ClosureEvent[], labels: number[]): Record<string, number> {
  const X = events.map((e) => CUES.map((c) => cueValue(e, c)));
  const mu = CUES.map((_, k) => X.reduce((s, x) => s + x[k], 0) / X.length);
  const sd = CUES.map((_, k) => Math.sqrt(X.reduce((s, x) => s + (x[k] - mu[k]) ** 2, 0) / X.length) || 1);
  const Z = X.map((x) => x.map((v, k) => (v - mu[k]) / sd[k]));
  const w = new Array<number>(CUES.length).fill(0);
  let b = 0;
  for (let it = 0; it < 3000; it++) {
    const g = new Array<number>(CUES.length).fill(0);
    let gb = 0, wsum = 0;
    for (let i = 0; i < Z.length; i++) {
      const p = 1 / (1 + Math.exp(-Z[i].reduce((s, v, k) => s + v * w[k], b)));
      const weight = labels[i] ? POSITIVE_WEIGHT : 1;
      const e = (p - labels[i]) * weight;
      for (let k = 0; k < w.length; k++) g[k] += e * Z[i][k];
      gb += e; wsum += weight;
    }
    for (let k = 0; k < w.length; k++) w[k] -= 0.5 * (g[k] / wsum + L2 * w[k]);
    b -= (0.5 * gb) / wsum;
  }
  const out: Record<string, number> = { bias: +(b - CUES.reduce((s, _, k) => s + (w[k] * mu[k]) / sd[k], 0)).toFixed(3) };
  CUES.forEach((c, k) => { out[c] = +(w[k] / sd[k]).toFixed(3); });
  return out;
}

const tts = createSpeechSynthesizer();
const voiced: { e: ClosureEvent; y: number }[] = [], silent: { e: ClosureEvent; y: number }[] = [];
for (const { lang, voices, text } of CORPUS.filter((c) => TUNING.has(c.lang))) {
  for (const voice of voices) {
    for (const v of VARIANTS) {
      const speech = await tts.synthesize(text, voice, v);
      const f = speechFeatures(speech.audio);
      const profile = voiceProfile(f);
      for (const e of closureEvents(f, profile, closureEvidence(f, profile))) {
        const p = phonemeAt(speech.phonemes, e.start * f.hop, (e.end + 1) * f.hop);
        if (!p || p.phoneme === '_') continue;
        (e.voicing >= VOICED_ABOVE ? voiced : silent).push({ e, y: isBilabial(p.phoneme) ? 1 : 0 });
      }
    }
    process.stderr.write(`${lang} ${voice}\n`);
  }
}
const show = (name: string, rows: { e: ClosureEvent; y: number }[]) => {
  const w = fit(rows.map((r) => r.e), rows.map((r) => r.y));
  console.log(`  ${name}: ${JSON.stringify(w).replace(/"/g, '').replace(/,/g, ', ').replace(/:/g, ': ')}, // ${rows.length} events, ${rows.filter((r) => r.y).length} bilabial`);
};
console.log(`Fitted on ${[...TUNING].join(', ')}:`);
show('voiced', voiced);
show('silent', silent);
