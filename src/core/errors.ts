// One catalogue of every error the product can report. Each entry has a stable numeric code
// (the API's `code`), the HTTP status it maps to, whether retrying the same request can help,
// and a message builder that says what is wrong and how to fix it.

type Details = Record<string, string | number | undefined>;

interface ErrorSpec {
  readonly code: number;
  readonly http: number;
  readonly retryable: boolean;
  /** What the error means, for the API documentation. */
  readonly meaning: string;
  readonly message: (d: Details) => string;
}

const spec = (code: number, http: number, retryable: boolean, meaning: string, message: (d: Details) => string): ErrorSpec =>
  ({ code, http, retryable, meaning, message });

export const ERRORS = {
  INVALID_ARGUMENT: spec(1000, 400, false, 'A request field is missing, has the wrong type or is out of range.',
    (d) => `${d.field}: ${d.problem}. ${d.fix}`),
  IMAGE_NOT_FOUND: spec(1101, 400, false, 'The image file or URL does not exist.',
    (d) => `image ${d.source} was not found (${d.reason}). Check the path or URL.`),
  IMAGE_UNREADABLE: spec(1102, 400, false, 'The image is not a JPEG, PNG or WebP picture, or it is damaged.',
    (d) => `image ${d.source} could not be decoded (${d.reason}). Upload a JPEG, PNG or WebP photo.`),
  IMAGE_ASPECT_UNSUPPORTED: spec(1103, 400, false, 'resizeMode fixedMinSide was asked for an image more elongated than 3:1.',
    (d) => `image is ${d.width}x${d.height}, aspect ${d.aspect}:1; fixedMinSide needs an aspect of at most 3:1 - crop the image or use resizeMode adaptive.`),
  IMAGE_TOO_SMALL: spec(1104, 400, false, 'The image is too small to animate.',
    (d) => `image is ${d.width}x${d.height}; it must be at least ${d.min} pixels on its short side - use a larger photo.`),
  AUDIO_NOT_FOUND: spec(1201, 400, false, 'The audio file or URL does not exist.',
    (d) => `audio ${d.source} was not found (${d.reason}). Check the path or URL.`),
  AUDIO_UNREADABLE: spec(1202, 400, false, 'The audio is not a supported sound file (wav, mp3, m4a, aac, ogg, flac) or it is damaged.',
    (d) => `audio ${d.source} could not be decoded (${d.reason}). Upload wav, mp3, m4a, aac, ogg or flac speech.`),
  AUDIO_TOO_LONG: spec(1203, 400, false, 'The audio is longer than the longest video (180 s) and no shorter duration was given.',
    (d) => `audio is ${d.seconds} s long; videos are at most ${d.max} s - shorten the audio or set a duration of at most ${d.max} s to cut it.`),
  AUDIO_EMPTY: spec(1204, 400, false, 'The audio has no samples.',
    (d) => `audio ${d.source} contains no sound samples - upload a recording that is at least a fraction of a second long.`),
  DURATION_OUT_OF_RANGE: spec(1301, 400, false, 'The requested duration is outside 1 to 180 seconds.',
    (d) => `duration ${d.value} is out of range; give a number of seconds from ${d.min} to ${d.max}.`),
  SOURCE_FETCH_FAILED: spec(1401, 400, true, 'Downloading an input URL failed (HTTP error, timeout, connection refused).',
    (d) => `could not download ${d.url}: ${d.reason}. Check that the URL is reachable and public.`),
  SOURCE_TOO_LARGE: spec(1402, 413, false, 'An input file is larger than the size limit.',
    (d) => `${d.source} is larger than ${d.limit} bytes - upload a smaller file.`),
  DEPENDENCY_MISSING: spec(2001, 500, false, 'A program the engine needs (ffmpeg, ffprobe) is not installed.',
    (d) => `${d.program} is not installed or not on PATH - run \`npm run setup\`.`),
  ENCODE_FAILED: spec(2002, 500, true, 'ffmpeg failed while writing the video.',
    (d) => `video encoding failed: ${d.reason}`),
  FACE_MODEL_FAILED: spec(2003, 500, true, 'The face landmark model could not be loaded or run.',
    (d) => `face analysis failed: ${d.reason} - run \`npm run setup\` to reinstall the model packages.`),
  CANCELLED: spec(2100, 499, true, 'The job was cancelled before it finished.',
    () => 'the job was cancelled before it finished.'),
  INTERNAL: spec(5000, 500, true, 'An unexpected internal error.',
    (d) => `internal error: ${d.reason}`),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorId = keyof typeof ERRORS;

export class DhError extends Error {
  readonly id: ErrorId;
  readonly code: number;
  readonly http: number;
  readonly retryable: boolean;
  readonly details: Details;

  constructor(id: ErrorId, details: Details = {}, options?: { cause?: unknown }) {
    const entry = ERRORS[id];
    super(entry.message(details), options);
    this.name = 'DhError';
    this.id = id;
    this.code = entry.code;
    this.http = entry.http;
    this.retryable = entry.retryable;
    this.details = details;
  }
}

/** Any thrown value as a DhError, so callers report one shape. */
export function toDhError(err: unknown): DhError {
  if (err instanceof DhError) return err;
  if (err instanceof Error && err.name === 'AbortError') return new DhError('CANCELLED');
  const reason = err instanceof Error ? err.message : String(err);
  return new DhError('INTERNAL', { reason }, { cause: err });
}

export const invalidArgument = (field: string, problem: string, fix: string): DhError =>
  new DhError('INVALID_ARGUMENT', { field, problem, fix });
