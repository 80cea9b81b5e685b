// Fits PLACE_MODEL (src/animate/speech/acoustic.ts): multinomial logistic regressions telling
// bilabial closures from alveolar, velar and other ones by the cues of each closure event, on the TUNING languages of
// eval:lipsync's corpus only (eval/lib/corpus.ts). Prints the weights to paste into the model.
// Run: node dist/eval/closure-fit.js
import { speechFeatures } from '../src/analyze/audio/features.js';
import { closureEvents, closureEvidence, cueValue, voiceProfile, PLACE_CUES, type ClosureEvent } from '../src/animate/speech/index.js';
import { createSpeechSynthesizer } from '../src/tts/index.js';
import { CORPUS, TUNING, VARIANTS, baseOf, isBilabial, phonemeAt } from './lib/corpus.js';

const CUES = PLACE_CUES;
const VOICED_ABOVE = 0.75;
/** Missing recall costs this much more than a false closure (the targets: recall >= 90 %, false <= 12 %). */
const POSITIVE_WEIGHT = 2;
const L2 = 0.02;


/** Place classes: the lips, the tongue tip, the tongue back, and everything else (f, v, beta, vowels, h). */
const CLASSES = ['bilabial', 'alveolar', 'velar', 'other'] as const;
function classOf(phoneme: string): number {
  if (isBilabial(phoneme)) return 0;
  const c = baseOf(phoneme)[0] ?? '';
  if ('tdnɾlɽrszθðɹ'.includes(c)) return 1;
  if ('kgɡŋxɣqɴ'.includes(c)) return 2;
  return 3;
}

/** Multinomial logistic regression (softmax), standardized cues, L2, bilabials weighted up. */
function fit(events: ClosureEvent[], labels: number[]): Record<string, Record<string, number>> {
  const K = CLASSES.length, D = CUES.length;
  const X = events.map((e) => CUES.map((c) => cueValue(e, c)));
  const mu = CUES.map((_, k) => X.reduce((s, x) => s + x[k], 0) / X.length);
  const sd = CUES.map((_, k) => Math.sqrt(X.reduce((s, x) => s + (x[k] - mu[k]) ** 2, 0) / X.length) || 1);
  const Z = X.map((x) => x.map((v, k) => (v - mu[k]) / sd[k]));
  const W = Array.from({ length: K }, () => new Array<number>(D + 1).fill(0));
  for (let it = 0; it < 3000; it++) {
    const G = Array.from({ length: K }, () => new Array<number>(D + 1).fill(0));
    let wsum = 0;
    for (let i = 0; i < Z.length; i++) {
      const z = W.map((w) => w[D] + Z[i].reduce((s, v, k) => s + v * w[k], 0));
      const m = Math.max(...z), ez = z.map((v) => Math.exp(v - m)), sum = ez.reduce((a, b) => a + b, 0);
      const weight = labels[i] === 0 ? POSITIVE_WEIGHT : 1;
      wsum += weight;
      for (let c = 0; c < K; c++) {
        const e = (ez[c] / sum - (labels[i] === c ? 1 : 0)) * weight;
        for (let k = 0; k < D; k++) G[c][k] += e * Z[i][k];
        G[c][D] += e;
      }
    }
    for (let c = 0; c < K; c++) {
      for (let k = 0; k < D; k++) W[c][k] -= 0.5 * (G[c][k] / wsum + L2 * W[c][k]);
      W[c][D] -= (0.5 * G[c][D]) / wsum;
    }
  }
  const out: Record<string, Record<string, number>> = {};
  CLASSES.forEach((name, c) => {
    const w: Record<string, number> = { bias: +(W[c][D] - CUES.reduce((s, _, k) => s + (W[c][k] * mu[k]) / sd[k], 0)).toFixed(3) };
    CUES.forEach((cue, k) => { w[cue] = +(W[c][k] / sd[k]).toFixed(3); });
    out[name] = w;
  });
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
        (e.voicing >= VOICED_ABOVE ? voiced : silent).push({ e, y: classOf(p.phoneme) });
      }
    }
    process.stderr.write(`${lang} ${voice}\n`);
  }
}
const show = (name: string, rows: { e: ClosureEvent; y: number }[]) => {
  const w = fit(rows.map((r) => r.e), rows.map((r) => r.y));
  console.log(`  // ${rows.length} events: ${CLASSES.map((c, k) => `${rows.filter((r) => r.y === k).length} ${c}`).join(', ')}`);
  console.log(`  ${name}: {`);
  for (const c of CLASSES) console.log(`    ${c}: ${JSON.stringify(w[c]).replace(/"/g, '').replace(/,/g, ', ').replace(/:/g, ': ').replace(/^\{/, '{ ').replace(/\}$/, ' }')},`);
  console.log('  },');
};
console.log(`Fitted on ${[...TUNING].join(', ')}:`);
show('voiced', voiced);
show('silent', silent);
