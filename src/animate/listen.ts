// Several faces in one picture: while one speaks, the others listen. A listener's eyes, and a
// little of its head, turn towards whoever is speaking (weighted by how surely each one speaks),
// eased in and out so attention shifts like a glance, not a cut; now and then a listener nods on
// the speaker's stressed syllables. A face that is speaking itself keeps looking ahead. Pure:
// each face's own tracks in, new tracks out (the speech tracks are untouched, so a silent face's
// mouth stays closed).
import { clamp, seededRandom } from '../core/geometry.js';
import type { ParamTracks } from '../core/types.js';

export const LISTEN = Object.freeze({
  /** Gaze shift (-1..1 gaze units) towards a speaker at full attention. */
  gaze: 0.7,
  /** Head turn (degrees) towards a speaker at full attention: a hint, the eyes do most of it. */
  yawDeg: 4,
  /** Time constants of attention turning to a speaker and back (a glance is quick, leaving is slower). */
  attackSeconds: 0.18,
  releaseSeconds: 0.6,
  /** Listener nods: depth (degrees), length, least time between two, and how often an accent gets one. */
  nodDeg: 2.5,
  nodSeconds: 0.7,
  nodGapSeconds: 2.5,
  nodChance: 0.5,
  /** Emphasis above this is a stressed syllable worth a nod. */
  accent: 0.5,
});

/** Where a face is in the frame (output pixels): what a listener turns towards. */
export interface FacePlace {
  readonly x: number;
  readonly y: number;
}

/** Each face's tracks with listening added; `places[i]` is where face i is. */
export function withListening(tracks: readonly ParamTracks[], places: readonly FacePlace[], seed: number): ParamTracks[] {
  if (tracks.length < 2) return [...tracks];
  return tracks.map((own, i) => {
    const n = own.frameCount, fps = own.fps;
    const up = 1 - Math.exp(-1 / (fps * LISTEN.attackSeconds));
    const down = 1 - Math.exp(-1 / (fps * LISTEN.releaseSeconds));
    const gazeX = new Float32Array(own.gazeX), headYaw = new Float32Array(own.headYaw), headPitch = new Float32Array(own.headPitch);
    const rnd = seededRandom((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    let att = 0, dir = 0, lastNod = -Infinity;
    const nodFrames = Math.max(1, Math.round(LISTEN.nodSeconds * fps));
    for (let f = 0; f < n; f++) {
      // The other faces' speech, each pulling this face's look towards it.
      let total = 0, pull = 0, accent = 0;
      for (let j = 0; j < tracks.length; j++) {
        if (j === i) continue;
        const a = tracks[j].speechActivity[f] ?? 0;
        const dx = places[j].x - places[i].x, dy = places[j].y - places[i].y;
        const d = Math.hypot(dx, dy) || 1;
        total += a; pull += a * (dx / d);
        accent = Math.max(accent, a * (tracks[j].emphasis[f] ?? 0));
      }
      const speaking = own.speechActivity[f] ?? 0;
      const target = clamp(total, 0, 1) * (1 - speaking);
      att += (target - att) * (target > att ? up : down);
      // The direction follows the speakers while anyone speaks, and holds while attention fades.
      if (total > 0.05) dir += (clamp(pull / total, -1, 1) - dir) * up;
      gazeX[f] = clamp(gazeX[f] * (1 - 0.6 * att) + LISTEN.gaze * dir * att, -1, 1);
      headYaw[f] += LISTEN.yawDeg * dir * att;
      if (att > 0.5 && accent > LISTEN.accent && (f - lastNod) / fps > LISTEN.nodGapSeconds) {
        lastNod = f;
        if (rnd() < LISTEN.nodChance) {
          for (let k = 0; k < nodFrames && f + k < n; k++) headPitch[f + k] += LISTEN.nodDeg * Math.sin((Math.PI * k) / nodFrames);
        }
      }
    }
    return { ...own, gazeX, headYaw, headPitch };
  });
}
