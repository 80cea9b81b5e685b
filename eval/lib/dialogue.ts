// The two-face case of npm run eval:render: a picture of two people and two tracks that take
// turns, rendered with each face speaking its own track, measured by face-api on each face, with
// the same picture's main face speaking its track alone as the single-face reference.
import path from 'node:path';
import type { PipelineDeps } from '../../src/core/ports.js';
import { argExtreme, evenlySpaced, rmsPerFrame, type FaceRecognizer } from '../../src/eval-metrics/index.js';
import { renderVideo } from '../../src/pipeline/index.js';
import { measureSpeakers, type SpeakerFigures } from './speakers.js';
import { writeDialogueSheet } from './dialogue-sheet.js';
import { readAudioMono, readFrames } from './video-io.js';

export interface DialogueRow {
  readonly name: string;
  readonly faces: readonly (SpeakerFigures & { single?: number })[];
  readonly mixSeconds: number;
  readonly mixPeak: number;
  readonly renderMs: number;
}

export async function evalDialogue(image: string, tracks: readonly string[], out: string, deps: PipelineDeps, recognizer: FaceRecognizer, step = 1): Promise<DialogueRow> {
  const name = `dialogue-${path.basename(image).replace(/\.[^.]+$/, '')}`;
  const video = path.join(out, `${name}.mp4`);
  const t0 = performance.now();
  const r = await renderVideo({ resizeMode: 'adaptive', speakers: tracks.map((audioUrl, face) => ({ face, audioUrl })) },
    { image, audio: '', speakers: tracks.map((audio) => ({ audio })) }, deps, { output: video });
  const renderMs = performance.now() - t0;
  const boxes = r.speakers!.map((s) => s.frameBox);
  const audio = tracks.map((t) => readAudioMono(t));
  const figures = await measureSpeakers(video, r.width, r.height, r.fps, boxes, audio, 16000, recognizer, step);
  // Reference: the picture's main face speaking its own track alone, through the single-face path.
  const main = r.faces.length ? 0 : -1;
  let single: number | undefined;
  if (main >= 0) {
    const ref = path.join(out, `${name}-single.mp4`);
    const s = await renderVideo({ resizeMode: 'adaptive', duration: r.durationSeconds }, { image, audio: tracks[0] }, deps, { output: ref });
    const [f] = await measureSpeakers(ref, s.width, s.height, s.fps, [s.faceBox], [audio[0]], 16000, recognizer, step);
    // Only comparable when the single path's main face is face 0 (the one given tracks[0]).
    if (Math.abs(s.faces[0].box.x - r.faces[0].box.x) < 1 && Math.abs((s.face?.box.x ?? -1) - r.faces[0].box.x) < 1) single = f.ownR;
  }
  const mix = readAudioMono(video);
  let peak = 0;
  for (const v of mix) peak = Math.max(peak, Math.abs(v));
  const loudness = audio.map((a) => rmsPerFrame(a, 16000, r.fps, r.frameCount));
  const timeline = evenlySpaced(r.frameCount, 6);
  const faces = figures.map((f, i) => {
    const own = loudness[i], other = loudness[1 - i] ?? own;
    const speaking = argExtreme(f.gap.map((g) => (Number.isFinite(g) ? g : -1)), Array.from(own, (v) => v > 0));
    const listening = argExtreme(other.map((v, k) => (own[k] === 0 && Number.isFinite(f.gap[k]) ? v : -1)));
    return { box: boxes[i], figures: f, speaking: Math.max(0, speaking), listening: Math.max(0, listening) };
  });
  const wanted = [...timeline, ...faces.flatMap((f) => [f.speaking, f.listening])];
  const decoded = readFrames(video, wanted, r.width, r.height);
  const frames = new Map(wanted.map((f, i) => [f, new Uint8Array(decoded[i])]));
  await writeDialogueSheet(path.join(out, `${name}.png`), {
    title: `${path.basename(image)}: face 0 speaks ${path.basename(tracks[0])}, face 1 speaks ${path.basename(tracks[1])} (${r.durationSeconds.toFixed(2)} s)`,
    width: r.width, height: r.height, fps: r.fps, frames, timeline, faces, loudness,
  });
  return { name, faces: figures.map((f, i) => (i === 0 && single !== undefined ? { ...f, single } : f)), mixSeconds: mix.length / 16000, mixPeak: peak, renderMs };
}

export function formatDialogue(rows: readonly DialogueRow[]): string {
  const lines = ['', 'two faces, turn-taking tracks (face-api lip gap per face; targets: r own >= single-face r, shut >= 90 % while the other speaks)',
    'case                               face  r own  r other  single r  shut while other  open while own  frames seen  mix s  mix peak'];
  for (const r of rows) {
    r.faces.forEach((f, i) => {
      lines.push(`${r.name.padEnd(34)} ${String(i).padStart(5)} ${f.ownR.toFixed(2).padStart(6)} ${f.otherR.toFixed(2).padStart(8)} ${(f.single?.toFixed(2) ?? '-').padStart(9)} ` +
        `${`${(100 * f.shutWhileOther).toFixed(0)} % of ${f.otherFrames}`.padStart(17)} ${`${(100 * f.openWhileOwn).toFixed(0)} %`.padStart(15)} ${String(f.seen).padStart(12)} ${r.mixSeconds.toFixed(2).padStart(6)} ${r.mixPeak.toFixed(2).padStart(9)}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
