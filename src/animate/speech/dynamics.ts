// How articulators move towards their targets, and how per-hop values become per-frame ones. Pure.

/**
 * A critically damped second-order follower of `x` (one value per `dt` seconds): no overshoot,
 * smooth velocity, as a muscle-driven articulator or a neck moving a head's mass. Movement
 * towards a larger value uses the natural frequency `omegaUp` (rad/s), towards a smaller one
 * `omegaDown`, so opening can be faster than closing or the reverse. A step is ~80 % done after
 * 3/omega seconds. It starts at rest at `from` (default x[0]); `subSteps` fixes the integration
 * sub-steps (default: as many as stability needs).
 * (Critically damped tracking: y'' = omega^2 (x - y) - 2 omega y'.)
 */
export function criticallyDamped(x: Float32Array, dt: number, omegaUp: number, omegaDown = omegaUp, opts: { from?: number; subSteps?: number } = {}): Float32Array {
  const y = new Float32Array(x.length);
  let pos = opts.from ?? (x.length ? x[0] : 0), vel = 0;
  // Semi-implicit Euler is stable while omega * step < ~1; sub-steps keep it there.
  const sub = opts.subSteps ?? Math.max(1, Math.ceil((Math.max(omegaUp, omegaDown) * dt) / 0.25));
  const h = dt / sub;
  for (let i = 0; i < x.length; i++) {
    const target = x[i];
    for (let s = 0; s < sub; s++) {
      const w = target > pos ? omegaUp : omegaDown;
      vel += (w * w * (target - pos) - 2 * w * vel) * h;
      pos += vel * h;
    }
    y[i] = pos;
  }
  return y;
}

/**
 * Per-frame values at `fps` from per-hop values, read `lead` seconds ahead (the mouth moves
 * before the sound it makes), linearly interpolated; past the end the last value decays to 0.
 */
export function sampleFrames(x: Float32Array, hop: number, fps: number, frameCount: number, lead: number): Float32Array {
  const out = new Float32Array(frameCount);
  for (let f = 0; f < frameCount; f++) {
    const pos = Math.max(0, (f / fps + lead) / hop);
    const i = Math.floor(pos), t = pos - i;
    const a = i < x.length ? x[i] : 0, b = i + 1 < x.length ? x[i + 1] : 0;
    out[f] = a + (b - a) * t;
  }
  return out;
}

/** Running maximum over a centred window of +-radius values (monotonic deque, O(n)). */
export function runningMax(x: Float32Array, radius: number): Float32Array {
  const out = new Float32Array(x.length);
  const dq = new Int32Array(x.length);
  let head = 0, tail = 0, next = 0;
  for (let i = 0; i < x.length; i++) {
    const hi = Math.min(x.length - 1, i + radius);
    while (next <= hi) {
      while (tail > head && x[dq[tail - 1]] <= x[next]) tail--;
      dq[tail++] = next++;
    }
    while (dq[head] < i - radius) head++;
    out[i] = x[dq[head]];
  }
  return out;
}

/**
 * Maximum of the `length` values (odd lengths exact, even ones one less) strictly before
 * (side -1) or after (side 1) each position, clipped at the ends; -100 (silence in dB) where the window is empty.
 */
export function sideMax(x: Float32Array, length: number, side: -1 | 1): Float32Array {
  // A centred running max of radius h covers 2h+1 values; centre it so the window just misses i.
  const h = Math.floor((length - 1) / 2);
  const centred = runningMax(x, h);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i + side * (h + 1);
    if (j < 0 || j >= x.length) {
      // Window partly outside: fall back to the nearest fully-inside values.
      let m = -100;
      const a = side > 0 ? i + 1 : Math.max(0, i - length), b = side > 0 ? Math.min(x.length - 1, i + length) : i - 1;
      for (let k = a; k <= b; k++) m = Math.max(m, x[k]);
      out[i] = m;
    } else out[i] = centred[j];
  }
  return out;
}
