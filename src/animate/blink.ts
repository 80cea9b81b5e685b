// Eye blinks as a per-frame lid-closure track. Timing follows published blink statistics:
// about 15-20 blinks a minute at rest with irregular (roughly log-normal) intervals, closing in
// ~100 ms and reopening more slowly, occasional double blinks
// (Bentivoglio et al. 1997, "Analysis of blink rate patterns in normal subjects"). Blinks also
// come with large gaze shifts and are rarer while the eyes hold a fixation (Evinger et al. 1994,
// "Eyelid movements. Mechanisms and normal data"), so part of them are tied to saccades. Pure.
import { seededRandom } from '../core/geometry.js';

export const BLINK = Object.freeze({
  meanIntervalSeconds: 3.6,
  minIntervalSeconds: 1.2,
  closeSeconds: 0.1,
  holdSeconds: 0.03,
  openSeconds: 0.17,
  doubleBlinkChance: 0.12,
  /** Share of large gaze shifts that bring a blink along, and how long that quiets the next one. */
  saccadeBlinkChance: 0.6,
  saccadeQuietSeconds: 1.2,
  /** Spontaneous blinks are spaced wider when some come with gaze shifts. */
  fixationIntervalSeconds: 4.4,
});

/** Lid closure in [0, 1] at `t` seconds after a blink starts; 0 when it is over. */
export function blinkShape(t: number): number {
  const { closeSeconds: c, holdSeconds: h, openSeconds: o } = BLINK;
  if (t < 0 || t > c + h + o) return 0;
  if (t < c) { const x = t / c; return x * x * (3 - 2 * x); }
  if (t < c + h) return 1;
  const x = (t - c - h) / o;
  return 1 - x * x * (3 - 2 * x);
}

/**
 * Blink start times over `seconds`, reproducible from `seed`: spontaneous blinks at irregular
 * intervals, plus blinks that come with some of the given gaze shifts (seconds), which push the
 * spontaneous ones near them away.
 */
export function blinkTimes(seconds: number, seed: number, gazeShifts: readonly number[] = []): number[] {
  const rand = seededRandom(seed);
  const spontaneous: number[] = [];
  // Log-normal intervals with the configured mean and a spread that gives irregular timing.
  const sigma = 0.5;
  const mean = gazeShifts.length > 0 ? BLINK.fixationIntervalSeconds : BLINK.meanIntervalSeconds;
  const mu = Math.log(mean) - (sigma * sigma) / 2;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  let t = 0.6 + rand() * 1.5;
  while (t < seconds) {
    spontaneous.push(t);
    if (rand() < BLINK.doubleBlinkChance) spontaneous.push(t + 0.38 + rand() * 0.12);
    t = spontaneous[spontaneous.length - 1] + Math.max(BLINK.minIntervalSeconds, Math.exp(mu + sigma * gauss()));
  }
  const evoked = gazeShifts.filter(() => rand() < BLINK.saccadeBlinkChance).map((g) => g + 0.02);
  const quiet = (x: number) => evoked.some((e) => Math.abs(x - e) < BLINK.saccadeQuietSeconds);
  return [...spontaneous.filter((x) => !quiet(x)), ...evoked].filter((x) => x >= 0 && x < seconds).sort((a, b) => a - b);
}

export function blinkTrack(fps: number, frameCount: number, seed: number, gazeShifts: readonly number[] = []): Float32Array {
  const out = new Float32Array(frameCount);
  for (const start of blinkTimes(frameCount / fps, seed, gazeShifts)) {
    const f0 = Math.max(0, Math.floor(start * fps));
    const f1 = Math.min(frameCount, Math.ceil((start + 0.4) * fps));
    for (let f = f0; f < f1; f++) out[f] = Math.max(out[f], blinkShape(f / fps - start));
  }
  return out;
}
