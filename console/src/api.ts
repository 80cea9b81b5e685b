// The public API, as the console uses it. Every JSON answer is `{ code, message, data }` with
// code 0 on success; anything else becomes an ApiError carrying the service's code and message.

export type TaskStatus = 'queued' | 'processing' | 'succeeded' | 'failed' | 'expired';
export const TASK_STATUSES: readonly TaskStatus[] = ['queued', 'processing', 'succeeded', 'failed', 'expired'];

/** The task detail (src/tasks/view.ts on the service). */
export interface Task {
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
  warnings?: string[];
  timings?: Record<string, number> | null;
  createdAt: string;
  startedAt?: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
  /** What the task was asked to make (the service's TaskInputView). */
  input?: TaskInput;
  /** How the face was found, once the video is made. */
  face?: FaceSummary | null;
}

export const FACE_POINT_NAMES = ['leftEye', 'rightEye', 'mouthLeft', 'mouthRight', 'chin'] as const;
export type FacePointName = (typeof FACE_POINT_NAMES)[number];
export type XY = [number, number];
/** Eyes and mouth corners (chin optional) in source-image pixels; "left" is the image's left. */
export type FacePoints = Record<Exclude<FacePointName, 'chin'>, XY> & { chin?: XY };

/** How a face was found: by the face mesh, or marked by hand ('points'), and its points. */
export interface FaceSummary {
  method: 'facemesh' | 'points' | string;
  confidence: number;
  points: Record<FacePointName, XY>;
}

export interface TaskInput {
  imageUrl: string | null;
  audioUrl: string | null;
  text: string | null;
  voice: string | null;
  speed: number | null;
  duration: number;
  resizeMode: 'adaptive' | 'fixedMinSide';
  prompt: string | null;
  watermark: string | null;
  isNewAvatar: boolean;
  avatarId: number | null;
  /** The face as marked at create, or null when it was to be found. */
  facePoints?: FacePoints | null;
}

export interface TaskPage { items: Task[]; total: number; page: number; pageSize: number }

export interface Upload { url: string; kind: 'image' | 'audio' | string; bytes: number }

export interface Voice { id: string; name: string; language: string; gender: 'male' | 'female' | 'unknown'; engine?: string }

export interface Speech { audioUrl: string; durationSeconds: number }

export interface Rect { x: number; y: number; width: number; height: number }

export interface FrameLayout { width: number; height: number; crop: Rect; padded: boolean }

/** What the face check says about an image (POST /api/2dvh/v1/face/detect). */
export interface FaceCheck {
  found: boolean;
  box: Rect | null;
  /** Every face, numbered from the left of the picture (0 first): the numbers speakers name. */
  faces: { index: number; box: Rect; score: number; method?: string }[];
  /** The number of the face a single speech animates (framed green); null when none was found. */
  main?: number | null;
  width: number;
  height: number;
  layouts: { adaptive: FrameLayout; fixedMinSide: FrameLayout | null };
  /** The face found (its points prefill the markers when the user adjusts them). */
  face?: FaceSummary | null;
  /** Why fixedMinSide cannot take this image, when it cannot. */
  fixedMinSideError?: { code: number; message: string } | null;
}

/** The create request's `param`, before it is JSON-escaped. */
export interface CreateParam {
  /** Required unless avatarId names a stored avatar. */
  imageUrl?: string;
  avatarId?: number;
  audioUrl?: string;
  text?: string;
  voice?: string;
  speed?: number;
  duration: number;
  resizeMode: 'adaptive' | 'fixedMinSide';
  prompt?: string;
  watermark?: { show: boolean; content?: string };
  /** The face marked by hand: detection is skipped. */
  facePoints?: FacePoints;
  /** Several faces, each speaking its part (instead of audioUrl/text): face numbers from the left. */
  speakers?: { face: number; audioUrl?: string; text?: string; voice?: string }[];
}

export class ApiError extends Error {
  constructor(readonly code: number, message: string, readonly httpStatus: number) {
    super(message);
    this.name = 'ApiError';
  }
  /** The service wants an API key (or a different one). */
  get unauthenticated(): boolean { return this.httpStatus === 401 || this.code === 3101; }
}

/** No answer at all (service down, connection refused). */
export const NETWORK_ERROR = -1;

const KEY_STORAGE = 'dh.apiKey';
const BASE = '/api/2dvh/v1';

export const apiKey = {
  get: (): string => localStorage.getItem(KEY_STORAGE) ?? '',
  set: (key: string): void => { key ? localStorage.setItem(KEY_STORAGE, key) : localStorage.removeItem(KEY_STORAGE); },
};

type AuthListener = (err: ApiError) => void;
let onAuthNeeded: AuthListener = () => {};
/** Lets the shell open the API key dialog when any call is refused for want of a key. */
export function setAuthListener(fn: AuthListener): void { onAuthNeeded = fn; }

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const key = apiKey.get();
  if (key) headers.set('Authorization', `Bearer ${key}`);
  headers.set('Accept', 'application/json');
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, { ...init, headers });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(NETWORK_ERROR, (err as Error).message, 0);
  }
  let body: { code?: unknown; message?: unknown; data?: unknown };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.ok ? 5000 : res.status, `HTTP ${res.status} ${res.statusText} (not a JSON answer)`, res.status);
  }
  if (body.code !== 0) {
    const err = new ApiError(typeof body.code === 'number' ? body.code : res.status, String(body.message ?? res.statusText), res.status);
    if (err.unauthenticated) onAuthNeeded(err);
    throw err;
  }
  return body.data as T;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const api = {
  createTask: (videoName: string, param: CreateParam): Promise<number> =>
    call<number>('/material/single/image/video/create', json({ videoName, param: JSON.stringify(param) })),
  task: (taskId: number, signal?: AbortSignal): Promise<Task> =>
    call<Task>(`/material/single/image/video/detail?taskId=${encodeURIComponent(taskId)}`, { signal }),
  async tasks(page: number, pageSize: number, status?: TaskStatus, signal?: AbortSignal): Promise<TaskPage> {
    const q = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (status) q.set('status', status);
    const data = await call<Partial<TaskPage> & { list?: Task[] }>(`/material/single/image/video/list?${q}`, { signal });
    return { items: data.items ?? data.list ?? [], total: data.total ?? 0, page: data.page ?? page, pageSize: data.pageSize ?? pageSize };
  },
  deleteTask: (taskId: number): Promise<unknown> => call('/material/single/image/video/delete', json({ taskId })),
  upload(file: Blob, name: string, signal?: AbortSignal): Promise<Upload> {
    const form = new FormData();
    form.append('file', file, name);
    return call<Upload>('/files/upload', { method: 'POST', body: form, signal });
  },
  faceCheck: (imageUrl: string, signal?: AbortSignal): Promise<FaceCheck> =>
    call<FaceCheck>('/face/detect', { ...json({ imageUrl }), signal }),
  async voices(): Promise<Voice[]> {
    const data = await call<Voice[] | { voices?: Voice[]; items?: Voice[] }>('/voice/list');
    return Array.isArray(data) ? data : data.voices ?? data.items ?? [];
  },
  synthesize: (text: string, voice: string, speed: number): Promise<Speech> =>
    call<Speech>('/voice/synthesize', json({ text, voice, speed })),
};
