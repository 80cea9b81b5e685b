// One row of figures per rendered fixture, judged against the targets, and the printed table.
import type { VideoMeasures } from './measure-video.js';

/**
 * Targets: identity and background from issue 6 point 8; blinks from point 4 (10-30 a minute);
 * head motion from point 5 ("a few degrees", so visible but under 6 degrees of roll and 15 % of
 * the face width of travel); the mouth must visibly open (15 % of its width) and come back shut.
 */
export const TARGETS = Object.freeze({
  identityMean: 0.3,
  backgroundMean: 2,
  blinksPerMinute: [10, 30] as const,
  headTravelPx: 1,
  headTravelOfFace: 0.15,
  rollRangeDeg: 6,
  openOfMouthWidth: 0.15,
  closedPx: 2,
});

export interface EvalRow {
  readonly name: string;
  readonly clip: string;
  readonly faceFound: boolean;
  /** How the face was found (facemesh, points marked for the evaluation, ...). */
  readonly method?: string;
  /** Loudness vs (mouth-box change - forehead-box change), Pearson r: the mouth moving with the speech. */
  readonly mouthSpeech?: number;
  readonly recognised: boolean;
  readonly identityMean: number | null;
  readonly identityMax: number | null;
  readonly backgroundMean: number;
  readonly backgroundMax: number;
  readonly blinks: number;
  readonly blinksPerMinute: number;
  readonly headRangePx: number;
  readonly headMaxStepPx: number;
  readonly faceWidth: number;
  readonly rollRangeDeg: number | null;
  readonly apertureMin: number;
  readonly apertureMax: number;
  readonly mouthWidth: number;
  readonly renderMs: number;
  readonly measureMs: number;
}

const mean = (v: ArrayLike<number>): number => (v.length ? Array.from(v).reduce((a, b) => a + b, 0) / v.length : 0);

export function summarize(name: string, clip: string, faceFound: boolean, faceWidth: number, m: VideoMeasures, renderMs: number, measureMs: number, method?: string, mouthSpeech?: number): EvalRow {
  return {
    name, clip, faceFound, method, mouthSpeech, faceWidth, renderMs, measureMs,
    recognised: m.sourceFace && m.frameFace,
    identityMean: m.identityMean, identityMax: m.identityMax,
    backgroundMean: mean(m.background), backgroundMax: Math.max(0, ...m.background),
    blinks: m.blinks.length, blinksPerMinute: m.blinksPerMinute,
    headRangePx: m.headRangePx, headMaxStepPx: m.headMaxStepPx, rollRangeDeg: m.rollRangeDeg,
    apertureMin: Math.min(...m.aperture), apertureMax: Math.max(...m.aperture), mouthWidth: m.regions.mouthWidth,
  };
}

type Verdict = boolean | null;
const mark = (v: Verdict): string => (v === null ? ' ' : v ? '✓' : '✗');

/** Pass/fail per figure; null where the figure does not apply (no face to animate or recognise). */
export function judge(r: EvalRow): Record<'identity' | 'background' | 'blinks' | 'head' | 'mouth', Verdict> {
  return {
    identity: r.identityMean === null ? null : r.identityMean <= TARGETS.identityMean,
    background: r.backgroundMean <= TARGETS.backgroundMean,
    blinks: r.faceFound ? r.blinksPerMinute >= TARGETS.blinksPerMinute[0] && r.blinksPerMinute <= TARGETS.blinksPerMinute[1] : null,
    head: r.faceFound ? r.headRangePx >= TARGETS.headTravelPx && r.headRangePx <= TARGETS.headTravelOfFace * r.faceWidth
      && (r.rollRangeDeg === null || r.rollRangeDeg <= TARGETS.rollRangeDeg) : null,
    mouth: r.faceFound ? r.apertureMax >= TARGETS.openOfMouthWidth * r.mouthWidth && r.apertureMin <= TARGETS.closedPx : null,
  };
}

const f = (v: number | null, digits: number): string => (v === null || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));

export function formatTable(rows: readonly EvalRow[]): string {
  const head = ['fixture', 'clip', 'face', 'identity mean/max', 'bg mean/max', 'blinks (/min)', 'head p-p px / step / roll°', 'mouth px min..max (of width)', 'mouth~speech r', 'render s'];
  const lines: string[][] = rows.map((r) => {
    const j = judge(r);
    return [
      r.name, r.clip.replace(/\.\w+$/, ''), r.faceFound ? `${r.method ?? 'yes'}${r.recognised ? '' : '*'}` : 'none',
      `${mark(j.identity)} ${f(r.identityMean, 3)} / ${f(r.identityMax, 3)}`,
      `${mark(j.background)} ${f(r.backgroundMean, 2)} / ${f(r.backgroundMax, 2)}`,
      `${mark(j.blinks)} ${r.blinks} (${f(r.blinksPerMinute, 1)})`,
      `${mark(j.head)} ${f(r.headRangePx, 1)} / ${f(r.headMaxStepPx, 1)} / ${f(r.rollRangeDeg, 1)}`,
      `${mark(j.mouth)} ${f(r.apertureMin, 0)}..${f(r.apertureMax, 0)} (${f(r.apertureMax / r.mouthWidth, 2)})`,
      f(r.mouthSpeech ?? null, 2),
      f(r.renderMs / 1000, 1),
    ];
  });
  const nums = (pick: (r: EvalRow) => number | null) => rows.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
  const idMean = nums((r) => r.identityMean), bgMean = nums((r) => r.backgroundMean);
  const passed = (k: keyof ReturnType<typeof judge>) => { const v = rows.map((r) => judge(r)[k]).filter((x) => x !== null); return `${v.filter(Boolean).length}/${v.length}`; };
  lines.push([
    'MEAN', '', `${rows.filter((r) => r.faceFound).length}/${rows.length}`,
    `${mark(idMean.length ? mean(idMean) <= TARGETS.identityMean : null)} ${f(idMean.length ? mean(idMean) : null, 3)} (${passed('identity')})`,
    `${mark(mean(bgMean) <= TARGETS.backgroundMean)} ${f(mean(bgMean), 2)} (${passed('background')})`,
    `  ${f(mean(nums((r) => (r.faceFound ? r.blinksPerMinute : null))), 1)}/min (${passed('blinks')})`,
    `  ${f(mean(nums((r) => (r.faceFound ? r.headRangePx : null))), 1)} / ${f(mean(nums((r) => r.rollRangeDeg)), 1)}° (${passed('head')})`,
    `  open ${f(mean(nums((r) => (r.faceFound ? r.apertureMax / r.mouthWidth : null))), 2)} (${passed('mouth')})`,
    f(mean(nums((r) => r.mouthSpeech ?? null)), 2),
    f(mean(rows.map((r) => r.renderMs)) / 1000, 1),
  ]);
  const target = ['TARGET', '', '', `<= ${TARGETS.identityMean} mean`, `<= ${TARGETS.backgroundMean} mean`, `${TARGETS.blinksPerMinute.join('-')}/min`,
    `>=${TARGETS.headTravelPx}px, <=${TARGETS.headTravelOfFace * 100}% face, roll<=${TARGETS.rollRangeDeg}°`, `max>=${TARGETS.openOfMouthWidth} width, min<=${TARGETS.closedPx}px`, '> 0', ''];
  const all = [head, ...lines, target];
  const widths = head.map((_, c) => Math.max(...all.map((l) => [...l[c]].length)));
  const fmt = (l: string[]) => l.map((cell, c) => cell + ' '.repeat(widths[c] - [...cell].length)).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [fmt(head), rule, ...lines.slice(0, -1).map(fmt), rule, fmt(lines[lines.length - 1]), fmt(target), '',
    'face: yes* = the pipeline found a face but face-api did not in frame 0 (eye and mouth regions guessed from the face box); mouth px = dark-cavity extent vs frame 0.', ''].join('\n');
}
