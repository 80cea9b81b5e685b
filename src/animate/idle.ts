// Head, breathing and gaze motion: what keeps a portrait alive between and during words.
// Head: slow drift from a few incommensurate sines (never exactly repeating), a little livelier
// while speaking, plus a nod on each stressed syllable. Breathing: ~15 breaths a minute.
// Gaze: fixations mostly on the camera with small jitter, occasional look-aways reached by a
// quick saccade (~2 frames) and held for half a second to a second and a half. Pure.
import { clamp, seededRandom } from '../core/geometry.js';
import type { ParamTracks } from '../core/types.js';
import { NEUTRAL_STYLE, type MotionStyle } from './style.js';
import { criticallyDamped } from './speech/dynamics.js';

export const IDLE = Object.freeze({
  /** Drift amplitude in degrees at rest (turn, nod, tilt); speech multiplies it by speechBoost. */
  yawDeg: 1.6,
  pitchDeg: 1.0,
  rollDeg: 0.8,
  speechBoost: 1.5,
  /** Nod depth in degrees at full emphasis, and the nod's time constant. */
  nodDeg: 2.4,
  nodSeconds: 0.12,
  /** Time constant of brow raises. */
  browSeconds: 0.1,
  breathSeconds: 4.2,
  /** Seconds between look-aways, their length, and how far they go (-1..1 gaze units). */
  lookAwayEvery: [3, 8] as const,
  lookAwayHold: [0.5, 1.5] as const,
  lookAwayReach: [0.35, 0.65] as const,
  saccadeSeconds: 0.06,
  /** A downcast bearing (MotionStyle.lower = 1): the head this many degrees lower, the gaze this far down (-1..1 gaze units). */
  lowerHeadDeg: 6,
  lowerGaze: 0.3,
});

export interface IdleInput {
  readonly fps: number;
  readonly frameCount: number;
  readonly seed: number;
  /** Speaking probability per frame (livelier head while talking); absent = silent. */
  readonly speechActivity?: Float32Array;
  /** Stress accents per frame in [0, 1] (nods, brow raises); absent = none. */
  readonly emphasis?: Float32Array;
  /** Voice pitch per frame relative to the speaker's median, in octaves (brows rise with it). */
  readonly pitch?: Float32Array;
  /** How lively, nodding and wandering the motion is (from the prompt); absent = neutral. */
  readonly style?: MotionStyle;
}

/** The motion tracks of ParamTracks, plus when the gaze jumps (blinks gather there), in seconds. */
export type IdleTracks = Pick<ParamTracks, 'headYaw' | 'headPitch' | 'headRoll' | 'breath' | 'gazeX' | 'gazeY' | 'browRaise' | 'smile'> & {
  readonly gazeShifts: readonly number[];
};

/** Smooth drift in [-1, 1]: three sines with random periods and phases. */
function drift(rand: () => number, n: number, fps: number): Float32Array {
  const waves = [0, 1, 2].map((k) => ({ period: 3.5 + 3 * k + rand() * 3, phase: rand() * 2 * Math.PI, amp: 1 / (k + 1) }));
  const norm = waves.reduce((s, w) => s + w.amp, 0);
  const out = new Float32Array(n);
  for (let f = 0; f < n; f++) {
    const t = f / fps;
    out[f] = waves.reduce((s, w) => s + w.amp * Math.sin((2 * Math.PI * t) / w.period + w.phase), 0) / norm;
  }
  return out;
}

/**
 * The head's response to `x` with time constant `tau` seconds, from rest at 0: a smooth,
 * overshoot-free bump for each impulse, as a neck moving a head's mass would give. Four
 * integration sub-steps per frame, as this response was tuned with.
 */
const headResponse = (x: Float32Array, fps: number, tau: number): Float32Array =>
  criticallyDamped(x, 1 / fps, 1 / tau, 1 / tau, { from: 0, subSteps: 4 });

function gaze(rand: () => number, n: number, fps: number, lookAwayRate: number): [Float32Array, Float32Array, number[]] {
  const gx = new Float32Array(n), gy = new Float32Array(n);
  const shifts: number[] = [];
  const between = (r: readonly [number, number]) => r[0] + rand() * (r[1] - r[0]);
  const every = [IDLE.lookAwayEvery[0] / lookAwayRate, IDLE.lookAwayEvery[1] / lookAwayRate] as const;
  let targetX = 0, targetY = 0, x = 0, y = 0;
  let next = between(every) * fps;
  let back = Infinity;
  const step = 1 - Math.exp(-1 / (IDLE.saccadeSeconds * fps));
  for (let f = 0; f < n; f++) {
    if (f >= next) {
      const side = rand() < 0.5 ? -1 : 1;
      targetX = side * between(IDLE.lookAwayReach);
      targetY = (rand() - 0.4) * 0.5;
      back = f + between(IDLE.lookAwayHold) * fps;
      next = back + between(every) * fps;
      shifts.push(f / fps);
    }
    if (f >= back) { targetX = 0; targetY = 0; back = Infinity; shifts.push(f / fps); }
    // Fixational jitter: a tiny random walk around the target, re-drawn a few times a second.
    if (f % 8 === 0) { targetX += (rand() - 0.5) * 0.04; targetY += (rand() - 0.5) * 0.03; }
    x += (targetX - x) * step;
    y += (targetY - y) * step;
    gx[f] = clamp(x, -1, 1);
    gy[f] = clamp(y, -1, 1);
  }
  return [gx, gy, shifts];
}

export function idleTracks(input: IdleInput): IdleTracks {
  const { fps, frameCount: n } = input;
  const rand = seededRandom(input.seed ^ 0x9e3779b9);
  const activity = headResponse(input.speechActivity ?? new Float32Array(n), fps, 0.4);
  const nod = headResponse(input.emphasis ?? new Float32Array(n), fps, IDLE.nodSeconds);
  const [yaw, pitch, roll] = [drift(rand, n, fps), drift(rand, n, fps), drift(rand, n, fps)];
  const style = input.style ?? NEUTRAL_STYLE;
  const [gazeX, gazeY, gazeShifts] = gaze(rand, n, fps, style.lookAway);
  // The head follows a look-away too, but a head is heavier than an eye: slower, no jump.
  const follow = headResponse(gazeX, fps, 0.25);
  const breathPhase = rand() * 2 * Math.PI;
  const breath = new Float32Array(n);
  // Brows rise on stressed syllables and with a rising voice, and settle back slowly.
  const browDrive = new Float32Array(n);
  for (let f = 0; f < n; f++) browDrive[f] = clamp(0.8 * (input.emphasis?.[f] ?? 0) + 0.5 * Math.max(0, input.pitch?.[f] ?? 0), 0, 1);
  const browRaise = headResponse(browDrive, fps, IDLE.browSeconds);
  for (let f = 0; f < n; f++) {
    const boost = 1 + (IDLE.speechBoost - 1) * clamp(activity[f], 0, 1);
    const drift = boost * style.motion;
    yaw[f] = yaw[f] * IDLE.yawDeg * drift + follow[f] * 1.2;
    pitch[f] = pitch[f] * IDLE.pitchDeg * drift + clamp(nod[f], 0, 1.5) * IDLE.nodDeg * style.nod;
    roll[f] = roll[f] * IDLE.rollDeg * drift;
    breath[f] = Math.sin((2 * Math.PI * f) / (IDLE.breathSeconds * fps) + breathPhase);
    browRaise[f] = clamp(browRaise[f] * style.nod * style.brows, 0, 1);
    // A downcast bearing settles in over the first second, as the smile does.
    const settle = style.lower * Math.min(1, f / fps);
    pitch[f] += settle * IDLE.lowerHeadDeg;
    gazeY[f] = clamp(gazeY[f] + settle * IDLE.lowerGaze, -1, 1);
  }
  // The asked-for smile settles in over the first half second rather than being there at once.
  const smile = new Float32Array(n);
  for (let f = 0; f < n; f++) smile[f] = style.smile * Math.min(1, f / (0.5 * fps));
  return { gazeShifts, headYaw: yaw, headPitch: pitch, headRoll: roll, breath, gazeX, gazeY, browRaise, smile };
}
