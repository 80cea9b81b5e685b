// How tasks and stored avatars look to API clients (detail, list, webhook body): one shape
// each, built in one place.
import { faceSummary } from '../analyze/face/index.js';
import type { FacePoints, FaceSummary, NumberedFace } from '../core/types.js';
import type { AvatarRecord, TaskRecord, TaskStatus } from '../store/ports.js';
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

const pointsView = (p: FacePoints | undefined): Record<string, [number, number]> | null =>
  p ? Object.fromEntries(Object.entries(p).map(([k, q]) => [k, [q.x, q.y] as [number, number]])) : null;

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
  /** Every face in the picture, numbered left to right (the numbers speakers name), once the video is made. */
  faces: NumberedFace[] | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
  input: TaskInputView;
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
    faces: t.output?.faces ? t.output.faces.map((f) => ({ ...f, box: { ...f.box } })) : null,
    createdAt: iso(t.createdAt)!,
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
    expiresAt: iso(t.expiresAt),
    input: {
      imageUrl: t.input.imageUrl ?? null, audioUrl: t.input.audioUrl ?? null,
      text: t.input.text ?? null, voice: t.input.voice ?? null, speed: t.input.speed ?? null,
      duration: t.input.duration, resizeMode: t.input.resizeMode, prompt: t.input.prompt ?? null,
      watermark: t.input.watermark ?? null, isNewAvatar: t.input.isNewAvatar, avatarId: t.input.avatarId ?? null,
      facePoints: pointsView(t.input.facePoints),
      speakers: t.input.speakers
        ? t.input.speakers.map((sp) => ({
          face: sp.face ?? null, facePoints: pointsView(sp.facePoints), audioUrl: sp.audioUrl ?? null,
          text: sp.text ?? null, voice: sp.voice ?? null, speed: sp.speed ?? null,
        }))
        : null,
    },
  };
}

export interface AvatarView {
  avatarId: number;
  imageUrl: string;
  /** Whether the avatar has a face to animate (avatars stored before faces were required may not). */
  faceFound: boolean;
  /** How its face was found, how sure, and its points. */
  face: FaceSummary | null;
  createdAt: string;
}

export const avatarView = (a: AvatarRecord, urls: FileUrls): AvatarView => ({
  avatarId: a.id, imageUrl: urls.urlFor(a.imageKey), faceFound: a.face !== null, face: a.face ? faceSummary(a.face) : null, createdAt: iso(a.createdAt)!,
});
