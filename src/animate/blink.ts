// Eye blinks as a per-frame lid-closure track. Timing follows published blink statistics:
// about 15-20 blinks a minute at rest with irregular (roughly log-normal) intervals, closing in
// ~100 ms and reopening more slowly, occasional double blinks
// (Bentivoglio et al. 1997, "Analysis of blink rate patterns in normal subjects"). Pure.
import { seededRandom } from '../core/geometry.js';

export const BLINK = Object.freeze({
  meanIntervalSeconds: 3.6,
  minIntervalSeconds: 1.2,
  closeSeconds: 0.1,
  holdSeconds: 0.03,
  openSeconds: 0.17,
  doubleBlinkChance: 0.12,
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

/** Blink start times over `seconds`, reproducible from `seed`. */
export function blinkTimes(seconds: number, seed: number): number[] {
  const rand = seededRandom(seed);
  const times: number[] = [];
  // Log-normal intervals with the configured mean and a spread that gives irregular timing.
  const sigma = 0.5;
  const mu = Math.log(BLINK.meanIntervalSeconds) - (sigma * sigma) / 2;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  let t = 0.6 + rand() * 1.5;
  while (t < seconds) {
    times.push(t);
    if (rand() < BLINK.doubleBlinkChance) times.push(t + 0.38 + rand() * 0.12);
    t = times[times.length - 1] + Math.max(BLINK.minIntervalSeconds, Math.exp(mu + sigma * gauss()));
  }
  return times.filter((x) => x < seconds);
}

export function blinkTrack(fps: number, frameCount: number, seed: number): Float32Array {
  const out = new Float32Array(frameCount);
  for (const start of blinkTimes(frameCount / fps, seed)) {
    const f0 = Math.max(0, Math.floor(start * fps));
    const f1 = Math.min(frameCount, Math.ceil((start + 0.4) * fps));
    for (let f = f0; f < f1; f++) out[f] = Math.max(out[f], blinkShape(f / fps - start));
  }
  return out;
}
