// How tasks and stored avatars look to API clients (detail, list, webhook body): one shape
// each, built in one place.
import { faceList, faceSummary } from '../analyze/face/index.js';
import type { FaceSummary, NumberedFace } from '../core/types.js';
import { watermarkText } from '../spec/index.js';
import type { AvatarRecord, TaskInput, TaskRecord, TaskStatus } from '../store/ports.js';
import type { FileUrls } from './file-urls.js';

/** What the task was asked to make, as the client gave it (enough to create it again). */
export interface TaskInputView {
  imageUrl: string | null;
  audioUrl: string | null;
  text: string | null;
  voice: string | null;
  speed: number | null;
  duration: number;
  resizeMode: string;
  prompt: string | null;
  /** The watermark text drawn (defaults filled in), or null for none. */
  watermark: string | null;
  isNewAvatar: boolean;
  avatarId: number | null;
  /** The face as marked at create ([x, y] per point), or null when it was to be found. */
  facePoints: Record<string, [number, number]> | null;
  /** How the mouth opens as asked at create (photo, drawing, animal, auto), or null when not given. */
  style: string | null;
  /** Who says what (several faces each speaking a part), or null for one speech. */
  speakers: SpeakerView[] | null;
}

export interface SpeakerView {
  face: number | null;
  facePoints: Record<string, [number, number]> | null;
  audioUrl: string | null;
  text: string | null;
  voice: string | null;
  speed: number | null;
}


export interface TaskView {
  taskId: number;
  videoName: string;
  status: TaskStatus;
  progress: number;
  videoUrl: string | null;
  thumbnailUrl: string | null;
  width: number | null;
  height: number | null;
  duration: number | null;
  avatarId: number | null;
  errorCode: number | null;
  errorMessage: string | null;
  warnings: string[];
  attempts: number;
  timings: Record<string, number> | null;
  /** Whether the video has a face to animate (every video made has one), once it is made. */
  faceFound: boolean | null;
  /** How the face was found (facemesh, points, ...), how sure, and its points: give them back as facePoints to correct it. */
  face: FaceSummary | null;
  /** How the video was rendered: in how many segments, by which workers (one segment, this worker, when not split). */
  render: { segments: number; workers: string[] } | null;
  /** Every face in the picture, numbered left to right (the numbers speakers name), once the video is made. */
  faces: NumberedFace[] | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
  input: TaskInputView;
}

/** The detail's flat `input`: the create request's fields, the watermark as the text drawn. */
function inputView({ inputs, spec, isNewAvatar }: TaskInput): TaskInputView {
  return {
    imageUrl: inputs.imageUrl ?? null, audioUrl: inputs.audioUrl ?? null,
    text: spec.text ?? null, voice: spec.voice ?? null, speed: spec.speed ?? null,
    // Every task the API accepts has a duration; the spec leaves it out only for the CLI.
    duration: spec.duration ?? 0, resizeMode: spec.resizeMode, prompt: spec.prompt ?? null,
    watermark: watermarkText(spec) ?? null, isNewAvatar, avatarId: inputs.avatarId ?? null,
    facePoints: spec.facePoints ? { ...spec.facePoints } : null,
    style: spec.style ?? null,
    speakers: spec.speakers
      ? spec.speakers.map((sp) => ({
        face: sp.face ?? null, facePoints: sp.facePoints ? { ...sp.facePoints } : null, audioUrl: sp.audioUrl ?? null,
        text: sp.text ?? null, voice: sp.voice ?? null, speed: sp.speed ?? null,
      }))
      : null,
  };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function taskView(t: TaskRecord, urls: FileUrls): TaskView {
  const out = t.status === 'succeeded' ? t.output : null;
  const thumb = out?.thumbnailKey ? urls.urlFor(out.thumbnailKey) : t.input.thumbnailUrl ?? null;
  return {
    taskId: t.id,
    videoName: t.videoName,
    status: t.status,
    progress: t.progress,
    videoUrl: out ? urls.urlFor(out.videoKey) : null,
    thumbnailUrl: t.status === 'expired' ? null : thumb,
    width: t.output?.width ?? null,
    height: t.output?.height ?? null,
    duration: t.output?.durationSeconds ?? null,
    avatarId: t.avatarId,
    errorCode: t.errorCode,
    errorMessage: t.status === 'expired'
      ? `the video and its inputs were deleted on ${iso(t.expiresAt)} when the storage period ended; create the task again to get a new video`
      : t.errorMessage,
    warnings: [...t.warnings],
    attempts: t.attempts,
    timings: t.output ? { ...t.output.timings } : null,
    faceFound: t.output ? true : null,
    face: t.output?.face ?? null,
    render: t.output ? { segments: t.output.render?.segments ?? 1, workers: [...(t.output.render?.workers ?? [])] } : null,
    faces: t.output?.faces ? t.output.faces.map((f) => ({ ...f, box: { ...f.box } })) : null,
    createdAt: iso(t.createdAt)!,
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
    expiresAt: iso(t.expiresAt),
    input: inputView(t.input),
  };
}

export interface AvatarView {
  avatarId: number;
  imageUrl: string;
  /** Whether the avatar has a face to animate (avatars stored before faces were required may not). */
  faceFound: boolean;
  /** How its face was found, how sure, and its points. */
  face: FaceSummary | null;
  /** Every face of its image, numbered left to right as speakers name them; null for avatars stored before faces were kept. */
  faces: NumberedFace[] | null;
  createdAt: string;
}

export const avatarView = (a: AvatarRecord, urls: FileUrls): AvatarView => ({
  avatarId: a.id, imageUrl: urls.urlFor(a.imageKey), faceFound: a.face !== null, face: a.face ? faceSummary(a.face) : null,
  faces: a.faces ? faceList(a.faces) : null, createdAt: iso(a.createdAt)!,
});
