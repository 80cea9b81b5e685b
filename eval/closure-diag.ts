// Diagnostic for the closure-place model: where eval:lipsync's false closures and missed
// bilabials come from. Run: node dist/eval/closure-diag.js
import { speechFeatures } from '../src/analyze/audio/features.js';
import { acousticTargets, bilabialProbability, closureEvents, closureEvidence, overBed, speechTracks, voiceProfile } from '../src/animate/speech/index.js';
import { createSpeechSynthesizer } from '../src/tts/index.js';
import { CORPUS, TUNING, VARIANTS, isBilabial, phonemeAt } from './lib/corpus.js';
import { mixOverMusic } from './lib/music-bed.js';

const FPS = 25;
const BED_DB = process.env.BED_DB ? Number(process.env.BED_DB) : undefined;
const tts = createSpeechSynthesizer();
const counts = new Map<string, number>();
const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
for (const { lang, voices, text } of CORPUS) {
  for (const voice of voices) {
    for (const v of VARIANTS) {
      const speech = await tts.synthesize(text, voice, v);
      const audio = BED_DB === undefined ? speech.audio : mixOverMusic(speech.audio, BED_DB);
      const heard = speechFeatures(audio);
      const f = overBed(heard);
      const profile = voiceProfile(f);
      const ev = closureEvidence(f, profile);
      const events = closureEvents(f, profile, ev);
      const t = acousticTargets(heard);
      const frames = Math.ceil((audio.samples.length / audio.sampleRate) * FPS);
      const pred = speechTracks(t, FPS, frames);
      const ph = speech.phonemes;
      for (const [k, p] of ph.entries()) {
        if (p.phoneme === '_' || isBilabial(p.phoneme)) continue;
        const c = Math.round(((p.start + p.end) / 2) * FPS);
        if (c >= frames || pred.lipPress[c] < 0.5) continue;
        // The event nearest that frame time.
        const time = c / FPS + 0.02;
        let best = -1, dist = Infinity;
        for (const [j, e] of events.entries()) {
          const d = Math.max(0, e.start * f.hop - time, time - (e.end + 1) * f.hop);
          if (d < dist) { dist = d; best = j; }
        }
        const e = events[best];
        const on = e ? phonemeAt(ph, e.start * f.hop, (e.end + 1) * f.hop) : undefined;
        const next = ph[k + 1], prev = ph[k - 1];
        const kind = !e || dist > 0.03 ? 'no event' : on && isBilabial(on.phoneme) ? 'spill from bilabial event' : `event on non-bilabial (p=${bilabialProbability(e).toFixed(1)})`;
        const ctx = `${prev?.phoneme ?? ''} [${p.phoneme}] ${next?.phoneme ?? ''}`;
        bump(`${TUNING.has(lang) ? 'T' : 'H'} ${kind}`);
        console.log(`${lang.padEnd(9)} ${voice.padEnd(22)} x${v.speed} ${ctx.padEnd(14)} ${kind} press=${pred.lipPress[c].toFixed(2)} dur=${Math.round(1000 * (p.end - p.start))}ms`);
      }
    }
  }
}
console.log([...counts.entries()].sort().map(([k, n]) => `${n}\t${k}`).join('\n'));
