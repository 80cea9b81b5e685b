// What the create page's sections share: the chosen portrait, the voice and its mode, and a few
// change events, so that each section renders itself and tells the others only what changed.
import type { FaceCheck, FacePointName, XY } from '../../api';
import type { SpeechPrefill } from '../../state';

export interface ImageState {
  readonly file: File;
  readonly localUrl: string;
  width: number;
  height: number;
  phase: 'uploading' | 'checking' | 'ready' | 'error';
  url?: string;
  face?: FaceCheck;
  /** The face check could not run (the image itself is fine). */
  faceError?: unknown;
  error?: unknown;
  /** Face markers on the picture, while shown. */
  marks?: FaceMarks;
}

/**
 * The face marked by hand: shown on their own when no face was found, or on request to correct
 * the found one. Sent with the task once `confirmed` (moved, or accepted as placed).
 */
export interface FaceMarks {
  points: Record<FacePointName, XY>;
  /** The chin marker is shown and sent. */
  chin: boolean;
  confirmed: boolean;
}

/** The face will be sent as marked by hand. */
export const handMarked = (image: ImageState | null): boolean => !!image?.marks?.confirmed;

export interface AudioState {
  readonly file: File;
  readonly localUrl: string;
  seconds?: number;
  phase: 'uploading' | 'ready' | 'error';
  url?: string;
  error?: unknown;
}

export interface SpeechState extends SpeechPrefill {}

/** One face's part of a dialogue: an uploaded recording, or a text with a voice; neither = it listens. */
export interface SpeakerPart {
  readonly face: number;
  audio: AudioState | null;
  text: string;
  voice: string;
}

/** The part will be spoken (its upload finished, or text with a voice). */
export const partSpeaks = (p: SpeakerPart): boolean => p.audio?.phase === 'ready' || (!!p.text.trim() && !!p.voice);

export const MAX_DURATION = 180;

/**
 * What happened, for whoever shows it: `image` (the portrait changed: the frame preview follows),
 * `change` (any entry changed: the summary follows), `audioLength` (audio of known length arrived:
 * the duration is preset from it).
 */
export interface CreateEvents {
  image: void;
  change: void;
  audioLength: number;
}

export interface CreateState {
  image: ImageState | null;
  audio: AudioState | null;
  speech: SpeechState | null;
  mode: 'upload' | 'text';
  /** Each face speaks its own part (a picture with several faces), or null for one speech. */
  parts: SpeakerPart[] | null;
  emit<K extends keyof CreateEvents>(e: K, ...arg: CreateEvents[K] extends void ? [] : [CreateEvents[K]]): void;
  on<K extends keyof CreateEvents>(e: K, fn: (arg: CreateEvents[K]) => void): void;
}

export function createState(): CreateState {
  const listeners: { [K in keyof CreateEvents]: ((arg: CreateEvents[K]) => void)[] } = { image: [], change: [], audioLength: [] };
  return {
    image: null,
    audio: null,
    speech: null,
    mode: 'upload',
    parts: null,
    emit(e, ...arg) { for (const fn of listeners[e]) (fn as (a: unknown) => void)(arg[0]); },
    on(e, fn) { listeners[e].push(fn); },
  };
}

/** Seconds of the voice that will be used, when known. */
export function audioSeconds(s: CreateState): number | undefined {
  if (s.parts) {
    const known = s.parts.map((p) => p.audio?.seconds).filter((x): x is number => x !== undefined);
    return known.length ? Math.max(...known) : undefined;
  }
  return s.mode === 'upload' ? s.audio?.seconds : s.speech?.durationSeconds;
}
