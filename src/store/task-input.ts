// Task inputs as stored. Rows written before the render specification existed (one flat object,
// `watermark` as the text drawn, facePoints as {x, y}) are upgraded on read, so tasks queued or
// finished before an upgrade still show and re-run exactly as they were asked.
import type { RenderSpec } from '../spec/index.js';
import type { TaskInput, TaskInputs } from './ports.js';

type Xy = { x: number; y: number };

/** The flat shape every store wrote until the spec was introduced. */
interface FlatTaskInput {
  imageUrl?: string; audioUrl?: string; imageKey?: string; audioKey?: string;
  text?: string; voice?: string; speed?: number;
  duration: number; resizeMode: RenderSpec['resizeMode']; prompt?: string;
  /** The final text (defaults filled), or absent for none. */
  watermark?: string;
  isNewAvatar: boolean; avatarId?: number; callbackUrl?: string; thumbnailUrl?: string;
  facePoints?: Record<string, Xy>;
  /** Written by the first dialogue builds (branch multi), before speakers joined the spec. */
  speakers?: { face?: number; facePoints?: Record<string, Xy>; audioUrl?: string; audioKey?: string; text?: string; voice?: string; speed?: number }[];
}

/** Drops absent fields, so an upgraded row equals one written in the new shape. */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function upgradeFlat(old: FlatTaskInput): TaskInput {
  const xy = (p: Xy): [number, number] => [p.x, p.y];
  const points = (fp: Record<string, Xy>) => defined({ leftEye: xy(fp.leftEye), rightEye: xy(fp.rightEye), mouthLeft: xy(fp.mouthLeft), mouthRight: xy(fp.mouthRight), chin: fp.chin ? xy(fp.chin) : undefined });
  const fp = old.facePoints;
  const inputs: TaskInputs = defined({
    imageUrl: old.imageUrl, audioUrl: old.audioUrl, imageKey: old.imageKey, audioKey: old.audioKey, avatarId: old.avatarId,
    speakerAudioKeys: old.speakers?.map((sp) => sp.audioKey ?? null),
  });
  const spec: RenderSpec = defined({
    duration: old.duration, resizeMode: old.resizeMode, prompt: old.prompt,
    // The stored text was final: showing it as content draws the same text.
    watermark: old.watermark ? { show: true, content: old.watermark } : undefined,
    text: old.text, voice: old.voice, speed: old.speed,
    facePoints: fp ? points(fp) : undefined,
    speakers: old.speakers?.map((sp) => defined({
      face: sp.face, facePoints: sp.facePoints ? points(sp.facePoints) : undefined,
      audioUrl: sp.audioUrl, text: sp.text, voice: sp.voice, speed: sp.speed,
    })),
  });
  return defined({ inputs, spec, isNewAvatar: old.isNewAvatar ?? false, callbackUrl: old.callbackUrl, thumbnailUrl: old.thumbnailUrl });
}

/** A stored task input (parsed JSON) in the current shape, whichever shape it was written in. */
export function readTaskInput(stored: unknown): TaskInput {
  const o = stored as Record<string, unknown>;
  return 'spec' in o && 'inputs' in o ? (o as unknown as TaskInput) : upgradeFlat(o as unknown as FlatTaskInput);
}
