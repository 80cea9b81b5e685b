// The render specification, one definition per option (after Remotion's
// packages/renderer/src/options/: one object per option feeds the CLI, the API and the docs).
// Each option has the field name it carries in the API's `param` and inside the service alike,
// its zod schema with limits and description, and its command-line flag. The API validation
// (server/schemas.ts), the `dh render` flags (cli), the OpenAPI document and the option table in
// docs/api.md are all made from this list: an option added here appears in all four.
import { z } from 'zod/v4';
import { invalidArgument } from '../core/errors.js';
import { RESIZE_MODES, VIDEO } from '../core/video.js';
import { SPEC_LIMITS, WATERMARK_DEFAULT } from './limits.js';

export interface CliFlag {
  /** `--resize-mode` */
  readonly flag: string;
  /** Placeholder shown in the usage line, e.g. `<seconds>`. */
  readonly value: string;
  /**
   * The flag's text as the value the API would receive; validation then runs through the same
   * schema (after `lenientInput`, so "12.5" is a number). Omitted = the text itself.
   */
  readonly fromArg?: (raw: string) => unknown;
}

export interface SpecOption<N extends string = string, S extends z.ZodType = z.ZodType> {
  readonly name: N;
  /** Type, limits and description: the one source of all three. */
  readonly schema: S;
  /** Must the API's `param` carry it? (The CLI can leave anything out.) */
  readonly requiredInApi: boolean;
  readonly cli: CliFlag | null;
}

const option = <N extends string, S extends z.ZodType>(o: SpecOption<N, S>): SpecOption<N, S> => o;

const xy = (what: string) => z.tuple([z.number().finite(), z.number().finite()]).describe(`${what}: [x, y] in source-image pixels, origin top-left.`);

/** A face marked by hand, as the API and the CLI take it. */
export const FacePointsSchema = z.object({
  leftEye: xy('Centre of the eye on the image\'s left'),
  rightEye: xy('Centre of the eye on the image\'s right'),
  mouthLeft: xy('Mouth corner on the image\'s left'),
  mouthRight: xy('Mouth corner on the image\'s right'),
  chin: xy('Bottom of the chin or jaw (optional: shapes how far the jaw drops)').optional(),
}).describe('Extension: the face marked by hand, for avatars no detector finds (animals, drawings) or to correct the one found. Detection is skipped.');

const FACE_POINTS_EXAMPLE = '\'{"leftEye":[210,240],"rightEye":[315,208],"mouthLeft":[270,316],"mouthRight":[306,312]}\'';

export const duration = option({
  name: 'duration',
  schema: z.number().min(VIDEO.minDurationSeconds).max(VIDEO.maxDurationSeconds)
    .describe(`Video length in seconds, ${VIDEO.minDurationSeconds}-${VIDEO.maxDurationSeconds}. Longer audio is cut; shorter audio is followed by silence.`),
  requiredInApi: true,
  // Without it the CLI makes a video as long as the audio.
  cli: { flag: '--duration', value: '<seconds>' },
});

export const resizeMode = option({
  name: 'resizeMode',
  schema: z.enum(RESIZE_MODES).default('adaptive')
    .describe('adaptive: 1280x720, cropped around the face. fixedMinSide: the image\'s own aspect, short side 720 (aspect at most 3:1).'),
  requiredInApi: false,
  cli: { flag: '--resize-mode', value: RESIZE_MODES.join('|') },
});

export const prompt = option({
  name: 'prompt',
  schema: z.string().max(SPEC_LIMITS.promptChars).optional().describe('Scene or performance hint (stored with the task).'),
  requiredInApi: false,
  cli: { flag: '--prompt', value: '<text>' },
});

export const watermark = option({
  name: 'watermark',
  schema: z.object({
    show: z.boolean().describe('Draw a visible watermark.'),
    content: z.string().max(SPEC_LIMITS.watermarkChars).optional().describe(`Watermark text; empty or absent = "${WATERMARK_DEFAULT}".`),
  }).describe('A visible text watermark in the bottom-right corner (CJK works).').optional(),
  requiredInApi: false,
  cli: { flag: '--watermark', value: '<text>', fromArg: (raw) => (raw === '' ? undefined : { show: true, content: raw }) },
});

export const text = option({
  name: 'text',
  schema: z.string().max(SPEC_LIMITS.textChars).optional().describe('Extension: text to speak instead of audioUrl (needs voice).'),
  requiredInApi: false,
  cli: { flag: '--text', value: '<text>' },
});

export const voice = option({
  name: 'voice',
  schema: z.string().max(SPEC_LIMITS.voiceIdChars).optional().describe('Extension: voice id from GET /api/2dvh/v1/voice/list, for text.'),
  requiredInApi: false,
  cli: { flag: '--voice', value: '<id>' },
});

export const speed = option({
  name: 'speed',
  schema: z.number().min(SPEC_LIMITS.minSpeed).max(SPEC_LIMITS.maxSpeed).optional().describe('Extension: speaking rate for text, 1 = normal.'),
  requiredInApi: false,
  cli: { flag: '--speed', value: '<rate>' },
});

export const facePoints = option({
  name: 'facePoints',
  schema: FacePointsSchema.optional(),
  requiredInApi: false,
  cli: {
    flag: '--face-points', value: '<json>',
    fromArg: (raw) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch (err) {
        throw invalidArgument('--face-points', `is not JSON (${(err as Error).message.slice(0, 80)})`, `Give an object such as ${FACE_POINTS_EXAMPLE} in image pixels.`);
      }
    },
  },
});

// Where `speakers` (several faces, each with its own speech) will join the list.

/** The options in the order the API documents them. */
export const SPEC_OPTIONS = [duration, resizeMode, prompt, watermark, text, voice, speed, facePoints] as const;
