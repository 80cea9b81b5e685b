// The API's request and response shapes, defined once: these zod schemas validate requests and
// generate the OpenAPI document (openapi.ts), so the docs cannot describe a different API.
import { z } from 'zod/v4';
import { DhError, invalidArgument } from '../core/errors.js';
import { VIDEO } from '../core/video.js';
import { LIMITS, SPEAKER_LIMITS } from '../pipeline/index.js';
import { TASK_STATUSES } from '../store/ports.js';
import { FACE_METHODS, type FacePoints } from '../core/types.js';

const url = (what: string) => z.string().min(1).max(2048).describe(what);

export const WATERMARK_DEFAULT = 'AI生成 AI-generated';

const xy = (what: string) => z.tuple([z.number().finite(), z.number().finite()]).describe(`${what}: [x, y] in source-image pixels, origin top-left.`);
/** A face marked by hand: the CLI's --face-points and the API's param.facePoints. */
export const FacePointsInput = z.object({
  leftEye: xy('Centre of the eye on the image\'s left'),
  rightEye: xy('Centre of the eye on the image\'s right'),
  mouthLeft: xy('Mouth corner on the image\'s left'),
  mouthRight: xy('Mouth corner on the image\'s right'),
  chin: xy('Bottom of the chin or jaw (optional: shapes how far the jaw drops)').optional(),
}).describe('Extension: the face marked by hand, for avatars no detector finds (animals, drawings) or to correct the one found. Detection is skipped.');

export const toFacePoints = (v: z.infer<typeof FacePointsInput>): FacePoints => {
  const p = ([x, y]: [number, number]) => ({ x, y });
  return { leftEye: p(v.leftEye), rightEye: p(v.rightEye), mouthLeft: p(v.mouthLeft), mouthRight: p(v.mouthRight), ...(v.chin ? { chin: p(v.chin) } : {}) };
};

/** One part of a dialogue: param.speakers[]. */
export const SpeakerInput = z.object({
  face: z.number().int().min(0).optional().describe('The speaking face\'s number: faces are numbered from the left of the picture, 0 first (POST /api/2dvh/v1/face/detect lists them). Give this or facePoints.'),
  facePoints: FacePointsInput.optional(),
  audioUrl: url('This speaker\'s speech (starts at 0 on the video\'s timeline; silence where the others speak). Give this or text.').optional(),
  text: z.string().max(5000).optional().describe('Text this speaker says (needs voice), instead of audioUrl.'),
  voice: z.string().max(100).optional().describe('Voice id for text, from GET /api/2dvh/v1/voice/list.'),
  speed: z.number().min(0.5).max(2).optional().describe('Speaking rate for text, 1 = normal.'),
}).describe('One speaking face and its speech.');

export const toSpeakerFace = (v: z.infer<typeof SpeakerInput>) => ({ ...(v.face !== undefined ? { face: v.face } : {}), ...(v.facePoints ? { facePoints: toFacePoints(v.facePoints) } : {}) });

export const CreateParam = z.object({
  imageUrl: url('Portrait to animate: an http(s) URL, or a URL returned by the upload endpoint. Optional when avatarId names a stored avatar.').optional(),
  audioUrl: url('Speech: an http(s) URL, or a URL returned by the upload or voice endpoints. Give this or text.').optional(),
  duration: z.number().min(VIDEO.minDurationSeconds).max(VIDEO.maxDurationSeconds).describe(`Video length in seconds, ${VIDEO.minDurationSeconds}-${VIDEO.maxDurationSeconds}. Longer audio is cut; shorter audio is followed by silence.`),
  resizeMode: z.enum(['adaptive', 'fixedMinSide']).default('adaptive')
    .describe('adaptive: 1280x720, cropped around the face. fixedMinSide: the image\'s own aspect, short side 720 (aspect at most 3:1).'),
  prompt: z.string().max(LIMITS.promptChars).optional().describe('Scene or performance hint (stored with the task).'),
  watermark: z.object({
    show: z.boolean().describe('Draw a visible watermark.'),
    content: z.string().max(LIMITS.watermarkChars).optional().describe(`Watermark text; empty or absent = "${WATERMARK_DEFAULT}".`),
  }).optional(),
  isNewAvatar: z.boolean().optional().describe('Store the analysed face as an avatar; its id appears in the task detail.'),
  avatarId: z.number().int().positive().optional().describe('Reuse a stored avatar (its image and face analysis). An unknown id falls back to imageUrl with a warning.'),
  text: z.string().max(5000).optional().describe('Extension: text to speak instead of audioUrl (needs voice).'),
  voice: z.string().max(100).optional().describe('Extension: voice id from GET /api/2dvh/v1/voice/list, for text.'),
  speed: z.number().min(0.5).max(2).optional().describe('Extension: speaking rate for text, 1 = normal.'),
  callbackUrl: url('Extension: URL that receives a POST when the task finishes, signed with X-DH-Signature: sha256=HMAC-SHA256(body).').optional(),
  facePoints: FacePointsInput.optional(),
  speakers: z.array(SpeakerInput).min(1).max(SPEAKER_LIMITS.max).optional()
    .describe(`Extension: several faces, each speaking its own part (instead of audioUrl or text). All tracks start at 0; the video's sound is their mix and lasts as long as duration. Faces not named listen. At most ${SPEAKER_LIMITS.max}.`),
});
export type CreateParam = z.infer<typeof CreateParam>;

export const CreateBody = z.object({
  videoName: z.string().min(1).max(200).describe('Video name.'),
  thumbnailUrl: url('Thumbnail URL shown for the video; absent = one is made from the video.').optional(),
  param: z.string().max(64 * 1024).describe('The video parameters (CreateParam) as a JSON-escaped string.'),
});

export const DetailQuery = z.object({ taskId: z.coerce.number().int().positive().describe('Task id from create.') });
export const ListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  status: z.union([z.enum(TASK_STATUSES as [string, ...string[]]), z.literal('')]).optional().describe('Only tasks in this status; empty = all.'),
});
export const DeleteBody = z.object({ taskId: z.number().int().positive() });
export const AvatarListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export const AvatarDeleteBody = z.object({ avatarId: z.number().int().positive() });
export const SynthesizeBody = z.object({
  text: z.string().min(1).max(5000).describe('Text to speak.'),
  voice: z.string().min(1).max(100).describe('Voice id from the voice list.'),
  speed: z.number().min(0.5).max(2).optional().describe('1 = normal rate.'),
});

const ts = z.string().describe('ISO 8601 time');
const pt = z.tuple([z.number(), z.number()]);
export const FaceSummarySchema = z.object({
  method: z.enum(FACE_METHODS).describe('facemesh: found by the face model; facemesh-crop: by the face model on a head another detector proposed; cat-cascade: from a cat-face detector\'s box; points: marked by hand (facePoints).'),
  confidence: z.number().describe('The detector\'s score, 0-1 (1 for marked points).'),
  points: z.object({ leftEye: pt, rightEye: pt, mouthLeft: pt, mouthRight: pt, chin: pt }).describe('Source-image pixels; usable as facePoints to correct the face.'),
}).describe('How the face was found and where its eyes, mouth corners and chin are.');
const NumberedFaceSchema = z.object({
  index: z.number().int(), box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }), method: z.enum(FACE_METHODS),
});
export const TaskViewSchema = z.object({
  taskId: z.number().int(), videoName: z.string(), status: z.enum(TASK_STATUSES as [string, ...string[]]),
  progress: z.number().int().min(0).max(100),
  videoUrl: z.string().nullable(), thumbnailUrl: z.string().nullable(),
  width: z.number().int().nullable(), height: z.number().int().nullable(), duration: z.number().nullable(),
  avatarId: z.number().int().nullable(), errorCode: z.number().int().nullable(), errorMessage: z.string().nullable(),
  warnings: z.array(z.string()), attempts: z.number().int(), timings: z.record(z.string(), z.number()).nullable(),
  faceFound: z.boolean().nullable().describe('Once the video is made: whether it has a face to animate (always, since a face is required).'),
  face: FaceSummarySchema.nullable(),
  faces: z.array(NumberedFaceSchema).nullable().describe('Once the video is made: every face in the picture, numbered left to right (the numbers speakers name).'),
  createdAt: ts, startedAt: ts.nullable(), finishedAt: ts.nullable(), expiresAt: ts.nullable(),
  input: z.object({
    imageUrl: z.string().nullable(), audioUrl: z.string().nullable(), text: z.string().nullable(), voice: z.string().nullable(),
    speed: z.number().nullable(), duration: z.number(), resizeMode: z.string(), prompt: z.string().nullable(),
    watermark: z.string().nullable().describe('The watermark text drawn (defaults filled in), or null for none.'),
    isNewAvatar: z.boolean(), avatarId: z.number().int().nullable(),
    facePoints: z.record(z.string(), z.tuple([z.number(), z.number()])).nullable().describe('The face as marked at create, or null.'),
    speakers: z.array(z.object({
      face: z.number().int().nullable(), facePoints: z.record(z.string(), z.tuple([z.number(), z.number()])).nullable(),
      audioUrl: z.string().nullable(), text: z.string().nullable(), voice: z.string().nullable(), speed: z.number().nullable(),
    })).nullable().describe('Who says what, as given at create, or null for one speech.'),
  }).describe('What the task was asked to make, as given at create (enough to create it again).'),
});
export const TaskListSchema = z.object({ items: z.array(TaskViewSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const AvatarViewSchema = z.object({
  avatarId: z.number().int(), imageUrl: z.string(), faceFound: z.boolean(), face: FaceSummarySchema.nullable(), createdAt: ts,
});
export const AvatarListSchema = z.object({ items: z.array(AvatarViewSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const UploadResult = z.object({ url: z.string(), kind: z.enum(['image', 'audio']), bytes: z.number().int() });
export const SynthesizeResult = z.object({ audioUrl: z.string(), durationSeconds: z.number() });
export const VoiceSchema = z.object({ id: z.string(), name: z.string(), language: z.string(), gender: z.enum(['male', 'female', 'unknown']), engine: z.string() });

export const envelope = <T extends z.ZodType>(data: T) => z.object({
  code: z.number().int().describe('0 = success, otherwise an error code from the catalogue.'),
  message: z.string().describe('"success", or what went wrong and how to fix it.'),
  data,
});

/** The schema inside optional/nullable/default wrappers. */
function unwrapped(s: z.ZodType): z.ZodType {
  let t = s;
  while (t instanceof z.ZodOptional || t instanceof z.ZodNullable || t instanceof z.ZodDefault) t = t.unwrap() as z.ZodType;
  return t;
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * What client libraries send, read as meant: `""` and `null` in a field mean the field is absent,
 * a number written as a string ("10") is that number, and "true"/"false" in a boolean field are
 * booleans. Anything else is left for the schema to refuse. Applied per field of the object
 * schemas (nested ones too); the schemas and the documents made from them stay strict.
 */
export function lenientInput(schema: z.ZodType, value: unknown): unknown {
  const shape = unwrapped(schema);
  if (!(shape instanceof z.ZodObject) || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const fields = shape.shape as Record<string, z.ZodType>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const field = Object.hasOwn(fields, k) ? fields[k] : undefined;
    if (!field) { out[k] = v; continue; }
    if (v === '' || v === null) continue;
    const inner = unwrapped(field);
    if (inner instanceof z.ZodNumber && typeof v === 'string' && NUMERIC.test(v) && Number.isFinite(Number(v))) out[k] = Number(v);
    else if (inner instanceof z.ZodBoolean && (v === 'true' || v === 'false')) out[k] = v === 'true';
    else out[k] = lenientInput(inner, v);
  }
  return out;
}

/**
 * Validates (after `lenientInput`), turning the first problem into the catalogue error that
 * names the field.
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, raw: unknown, prefix = ''): z.infer<T> {
  const value = lenientInput(schema, raw);
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = prefix + (issue.path.length ? issue.path.join('.') : 'body');
  if (field.endsWith('duration') && (issue.code === 'too_small' || issue.code === 'too_big')) {
    throw new DhError('DURATION_OUT_OF_RANGE', { value: String((value as Record<string, unknown>).duration), min: VIDEO.minDurationSeconds, max: VIDEO.maxDurationSeconds });
  }
  const got = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), value);
  const shown = got === undefined ? 'missing' : JSON.stringify(got).slice(0, 60);
  const problem = issue.code === 'invalid_type' && got === undefined ? 'is required' : `${issue.message} (got ${shown})`;
  const description = fieldDescription(schema, issue.path);
  throw invalidArgument(field, problem, description ? `Expected: ${description}` : 'See GET /docs for the field\'s type.');
}

function fieldDescription(schema: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  let s: z.ZodType | undefined = schema;
  for (const k of path) {
    const o: z.ZodType | undefined = s && unwrapped(s);
    s = o instanceof z.ZodObject ? (o.shape as Record<string, z.ZodType>)[String(k)] : undefined;
  }
  return s && (s.description ?? unwrapped(s).description);
}
