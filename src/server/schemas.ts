// The API's request and response shapes, defined once: these zod schemas validate requests and
// generate the OpenAPI document (openapi.ts), so the docs cannot describe a different API. The
// render specification's fields come from src/spec, where each option is defined.
import { z } from 'zod/v4';
import { TASK_STATUSES } from '../store/ports.js';
import { FACE_METHODS } from '../core/types.js';
import { SPEC_SHAPE, SPEC_LIMITS } from '../spec/index.js';

export { lenientInput, parseOrThrow } from '../spec/index.js';

const url = (what: string) => z.string().min(1).max(2048).describe(what);

/** What the spec's `param` carries: the inputs, the render specification, what to do with the result. */
export const CreateParam = z.object({
  imageUrl: url('Portrait to animate: an http(s) URL, or a URL returned by the upload endpoint. Optional when avatarId names a stored avatar.').optional(),
  audioUrl: url('Speech: an http(s) URL, or a URL returned by the upload or voice endpoints. Give this or text.').optional(),
  ...SPEC_SHAPE,
  isNewAvatar: z.boolean().optional().describe('Store the analysed face as an avatar; its id appears in the task detail.'),
  avatarId: z.number().int().positive().optional().describe('Reuse a stored avatar (its image and face analysis). An unknown id falls back to imageUrl with a warning.'),
  callbackUrl: url('Extension: URL that receives a POST when the task finishes, signed with X-DH-Signature: sha256=HMAC-SHA256(body).').optional(),
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
  text: z.string().min(1).max(SPEC_LIMITS.textChars).describe('Text to speak.'),
  voice: z.string().min(1).max(SPEC_LIMITS.voiceIdChars).describe('Voice id from the voice list.'),
  speed: z.number().min(SPEC_LIMITS.minSpeed).max(SPEC_LIMITS.maxSpeed).optional().describe('1 = normal rate.'),
});

const ts = z.string().describe('ISO 8601 time');
const pt = z.tuple([z.number(), z.number()]);
export const FaceSummarySchema = z.object({
  method: z.enum(FACE_METHODS).describe('facemesh: found by the face model; facemesh-crop: by the face model on a head another detector proposed; cat-cascade: from a cat-face detector\'s box; animal-eyes: from the dark eyes and nose in an animal the object detector found; points: marked by hand (facePoints).'),
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
  render: z.object({ segments: z.number().int().min(1), workers: z.array(z.string()) }).nullable()
    .describe('Once the video is made: how many segments it was rendered in (1 = in one piece) and the ids of the workers that rendered them (DH_SEGMENT_SECONDS).'),
  faces: z.array(NumberedFaceSchema).nullable().describe('Once the video is made: every face in the picture, numbered left to right (the numbers speakers name).'),
  createdAt: ts, startedAt: ts.nullable(), finishedAt: ts.nullable(), expiresAt: ts.nullable(),
  input: z.object({
    imageUrl: z.string().nullable(), audioUrl: z.string().nullable(), text: z.string().nullable(), voice: z.string().nullable(),
    speed: z.number().nullable(), duration: z.number(), resizeMode: z.string(), prompt: z.string().nullable(),
    watermark: z.string().nullable().describe('The watermark text drawn (defaults filled in), or null for none.'),
    isNewAvatar: z.boolean(), avatarId: z.number().int().nullable(),
    facePoints: z.record(z.string(), z.tuple([z.number(), z.number()])).nullable().describe('The face as marked at create, or null.'),
    style: z.string().nullable().describe('The mouth style asked for at create (auto, photo, drawing, animal), or null when not given.'),
    speakers: z.array(z.object({
      face: z.number().int().nullable(), facePoints: z.record(z.string(), z.tuple([z.number(), z.number()])).nullable(),
      audioUrl: z.string().nullable(), text: z.string().nullable(), voice: z.string().nullable(), speed: z.number().nullable(),
    })).nullable().describe('Who says what, as given at create, or null for one speech.'),
  }).describe('What the task was asked to make, as given at create (enough to create it again).'),
});
export const TaskListSchema = z.object({ items: z.array(TaskViewSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const AvatarViewSchema = z.object({
  avatarId: z.number().int(), imageUrl: z.string(), faceFound: z.boolean(), face: FaceSummarySchema.nullable(),
  faces: z.array(NumberedFaceSchema).nullable().describe('Every face of the image, numbered left to right: a task with this avatarId and speakers names them by these numbers, without the image being analysed again. null for avatars stored before faces were kept.'),
  createdAt: ts,
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
