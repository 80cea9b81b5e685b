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
  IMAGE_UNREADABLE: spec(1102, 400, false, 'The image is not a JPEG, PNG, WebP, HEIC, AVIF, TIFF, GIF or BMP picture, or it is damaged.',
    (d) => `image ${d.source} could not be decoded (${d.reason}). Upload a JPEG, PNG, WebP or HEIC photo.`),
  IMAGE_ASPECT_UNSUPPORTED: spec(1103, 400, false, 'resizeMode fixedMinSide was asked for an image more elongated than 3:1.',
    (d) => `image is ${d.width}x${d.height}, aspect ${d.aspect}:1; fixedMinSide needs an aspect of at most 3:1 - crop the image or use resizeMode adaptive.`),
  IMAGE_TOO_SMALL: spec(1104, 400, false, 'The image is too small to animate.',
    (d) => `image is ${d.width}x${d.height}; it must be at least ${d.min} pixels on its short side - use a larger photo.`),
  IMAGE_TOO_LARGE: spec(1108, 400, false, 'The image has more pixels than are read (40 megapixels).',
    (d) => `image ${d.source} is ${d.width}x${d.height} (${((Number(d.width) * Number(d.height)) / 1e6).toFixed(1)} megapixels); at most ${d.max} megapixels are read - use a copy scaled down (a long side of 4000 px is plenty for the video).`),
  FACE_NOT_FOUND: spec(1105, 400, false, 'No face was found in the image and none was marked: the avatar would be a still picture.',
    () => 'no face was found in the image - mark it: give the centres of both eyes and the two mouth corners in image pixels (and optionally the chin), as --face-points \'{"leftEye":[x,y],"rightEye":[x,y],"mouthLeft":[x,y],"mouthRight":[x,y]}\' on the command line or param.facePoints in the API, or mark them on the portrait in the web console.'),
  SPEAKER_FACE_NOT_FOUND: spec(1106, 400, false, 'A speaker names a face number that the picture does not have.',
    (d) => `${d.field} is ${d.face}, but ${d.found} ${d.found === 1 ? 'face was' : 'faces were'} found in the image${Number(d.found) > 0 ? ` (numbered 0 to ${Number(d.found) - 1} from the left)` : ''} - give a face number below ${d.found}, or mark that face with facePoints on the speaker.`),
  SPEAKER_FACE_TAKEN: spec(1107, 400, false, 'Two speakers name the same face.',
    (d) => `${d.field} names face ${d.face}, which ${d.other} already speaks for - give each face at most one speaker (put both parts in one audio track, or mark the other face with facePoints).`),
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
  SOURCE_ADDRESS_REFUSED: spec(1403, 400, false, 'An input or callback URL points at a loopback, private, link-local or otherwise non-public address (checked after DNS resolution and on every redirect).',
    (d) => `${d.url} resolves to ${d.address}, a ${d.range} address, which the service does not fetch from - use a public URL or upload the file (POST /api/2dvh/v1/files/upload).`),
  SOURCE_URL_REFUSED: spec(1404, 400, false, 'An input or callback URL is not an absolute http(s) URL, or has credentials in it.',
    (d) => `${d.field} "${d.url}" is not usable: ${d.reason} - give an absolute http:// or https:// URL.`),
  TEXT_EMPTY: spec(1501, 400, false, 'The text to speak is empty or only whitespace and punctuation.',
    (d) => `${d.field ?? 'text'} has nothing to speak - give at least one word.`),
  TEXT_TOO_LONG: spec(1502, 400, false, 'The text to speak is longer than the synthesis limit.',
    (d) => `${d.field ?? 'text'} is ${d.length} characters long; at most ${d.max} can be spoken at once - shorten it or split it into several requests.`),
  VOICE_UNKNOWN: spec(1503, 400, false, 'The requested voice id is not one of the installed voices.',
    (d) => `voice "${d.voice}" is not available - pick an id from the voice list (e.g. ${d.example}).`),
  BODY_NOT_JSON: spec(3001, 400, false, 'The request body is not valid JSON, or not a JSON object.',
    (d) => `the request body is not a JSON object (${d.reason}) - send Content-Type: application/json with a JSON object.`),
  PARAM_NOT_JSON: spec(3002, 400, false, 'The create request\'s `param` string does not hold a JSON object.',
    (d) => `param is not a JSON-escaped object (${d.reason}) - serialise the parameters with JSON.stringify and send the result as the param string.`),
  BODY_TOO_LARGE: spec(3003, 413, false, 'The request body is larger than the endpoint accepts.',
    (d) => `the request body is larger than ${d.limit} bytes - ${d.fix}`),
  UNSUPPORTED_CONTENT_TYPE: spec(3004, 415, false, 'The request body\'s Content-Type is not the one the endpoint reads.',
    (d) => `Content-Type "${d.got}" is not accepted here - send ${d.expected}.`),
  ROUTE_NOT_FOUND: spec(3005, 404, false, 'No endpoint answers this method and path.',
    (d) => `no endpoint ${d.method} ${d.path} - see GET /docs for the list.`),
  UNAUTHENTICATED: spec(3101, 401, false, 'The Authorization header is missing or holds an unknown API key.',
    (d) => `${d.reason} - send Authorization: Bearer <api key> with a key from DH_API_KEYS.`),
  METRICS_UNAUTHENTICATED: spec(3102, 401, false, 'GET /metrics was asked without the metrics token, on a service with API keys.',
    (d) => `${d.reason} - send Authorization: Bearer <token> with the value of DH_METRICS_TOKEN (set it on the service to open /metrics to a scraper).`),
  TASK_NOT_FOUND: spec(3201, 404, false, 'No task with this id exists for this API key (it may belong to another key, or was deleted).',
    (d) => `task ${d.taskId} was not found - use an id returned by the create endpoint with the same API key.`),
  AVATAR_NOT_FOUND: spec(3202, 404, false, 'No avatar with this id exists for this API key.',
    (d) => `avatar ${d.avatarId} was not found - create one with isNewAvatar: true and read its id from the task detail.`),
  FILE_NOT_FOUND: spec(3203, 404, false, 'No file at this URL, or the URL\'s signature does not match.',
    (d) => `file ${d.path} was not found - use a URL exactly as the API returned it.`),
  FILE_EXPIRED: spec(3204, 410, false, 'The file was deleted when its storage period ended.',
    (d) => `file ${d.path} was deleted on ${d.expiredAt} after the ${d.days}-day storage period - create the video again; download results within ${d.days} days.`),
  RANGE_NOT_SATISFIABLE: spec(3205, 416, false, 'The Range header asks for bytes outside the file.',
    (d) => `range ${d.range} is outside the file's ${d.size} bytes - ask for bytes 0-${Number(d.size) - 1} or omit Range.`),
  UPLOAD_MISSING_FILE: spec(3301, 400, false, 'The multipart upload has no part named `file`.',
    () => 'no multipart part named "file" - send the file as form field "file" (curl -F file=@photo.jpg).'),
  UPLOAD_TYPE_UNSUPPORTED: spec(3302, 415, false, 'The uploaded bytes are neither a supported image (JPEG, PNG, WebP, HEIC, AVIF, GIF, TIFF, BMP) nor supported audio (WAV, MP3, M4A/AAC, OGG, FLAC); the file name is not trusted.',
    (d) => `the uploaded file starts with bytes ${d.head}, which is no supported image or audio format - upload JPEG, PNG, WebP or HEIC images, or WAV, MP3, M4A, AAC, OGG or FLAC audio.`),
  WRONG_MEDIA_KIND: spec(3303, 400, false, 'An uploaded file of one kind (image/audio) was given where the other kind is needed.',
    (d) => `${d.field} points at an uploaded ${d.kind} file - give an ${d.expected} there.`),
  QUEUE_FULL: spec(3401, 503, true, 'Too many tasks are waiting; the service accepts more when some finish.',
    (d) => `${d.waiting} tasks are already waiting - retry in a minute.`),
  WORKER_CRASHED: spec(3402, 500, true, 'The render worker stopped unexpectedly (out of memory, killed) too many times on this task.',
    (d) => `the render worker stopped unexpectedly ${d.attempts} times (${d.reason}) - retry with a shorter duration or a smaller image.`),
  DEPENDENCY_MISSING: spec(2001, 500, false, 'A program the engine needs (ffmpeg, ffprobe, heif-convert) is not installed.',
    (d) => `${d.program} is not installed or not on PATH - run \`npm run setup\`.`),
  ENCODE_FAILED: spec(2002, 500, true, 'ffmpeg failed while writing the video.',
    (d) => `video encoding failed: ${d.reason}`),
  FACE_MODEL_FAILED: spec(2003, 500, true, 'The face landmark model could not be loaded or run.',
    (d) => `face analysis failed: ${d.reason} - run \`npm run setup\` to reinstall the model packages.`),
  TTS_FAILED: spec(2004, 500, true, 'The speech synthesis engine (espeak-ng or festival) failed or could not be loaded.',
    (d) => `speech synthesis with ${d.voice} failed: ${d.reason} - if it persists, run \`npm run setup\` to rebuild the speech engines.`),
  PORT_IN_USE: spec(2005, 500, true, 'The service could not listen: its port is taken or the address is not available.',
    (d) => `cannot listen on ${d.host} port ${d.port}: ${d.reason} - stop the program using it or choose another port with --port or DH_PORT.`),
  BACKEND_UNAVAILABLE: spec(2006, 500, true, 'A configured server (PostgreSQL, Redis, S3) cannot be reached, or refuses the credentials or requests the service needs; checked at start.',
    (d) => `${d.setting}: ${d.problem} - ${d.fix}`),
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

/**
 * An absolute filesystem path in a message: a slash that starts the text or follows a space,
 * quote, bracket or `=`, so the path part of a URL (after its host) is left alone.
 */
const ABSOLUTE_PATH = /(?<=^|[\s"'(\[=,;])\/[^\s"'()\[\],;:]+/g;
/** The service's own URL paths, which messages cite as advice ("upload with POST /api/..."). */
const SERVICE_URL_PATH = /^\/(api|files|docs|healthz|metrics|openapi\.json)(\/|$|\?)/;

/**
 * Text safe to show a client: each known server path replaced by what the client calls that
 * file (`labels`: path -> label, e.g. the URL it was downloaded from), and other absolute paths
 * by "a server file": all of them, or with `within` only those under these folders (where a
 * message may also echo a path the client sent). Where the service keeps its files is nobody's
 * business but its own.
 */
export function withoutServerPaths(text: string, labels: readonly (readonly [string, string])[] = [], within?: readonly string[]): string {
  let t = text;
  for (const [p, label] of [...labels].sort((a, b) => b[0].length - a[0].length)) if (p) t = t.split(p).join(label);
  const under = (p: string) => !within || within.some((root) => p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`));
  return t.replace(ABSOLUTE_PATH, (p) => (SERVICE_URL_PATH.test(p) || !under(p) ? p : 'a server file'));
}

/** The same error with every text detail (hence its message) passed through withoutServerPaths. */
export function withoutServerPathsIn(err: DhError, labels: readonly (readonly [string, string])[] = []): DhError {
  const details: Details = {};
  for (const [k, v] of Object.entries(err.details)) details[k] = typeof v === 'string' ? withoutServerPaths(v, labels) : v;
  return new DhError(err.id, details, { cause: err });
}
