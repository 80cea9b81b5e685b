// The render specification, one definition per option (after Remotion's
// packages/renderer/src/options/: one object per option feeds the CLI, the API and the docs).
// Each option has the field name it carries in the API's `param` and inside the service alike,
// its zod schema with limits and description, and its command-line flag. The API validation
// (server/schemas.ts), the `dh render` flags (cli), the OpenAPI document and the option table in
// docs/api.md are all made from this list: an option added here appears in all four.
import { z } from 'zod/v4';
import { invalidArgument } from '../core/errors.js';
import { RESIZE_MODES, VIDEO } from '../core/video.js';
import { AVATAR_STYLES } from '../core/types.js';
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
  /** The flag may be repeated: the option is the list of what each one gives (`fromArg` per flag). */
  readonly multiple?: boolean;
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
  schema: z.string().max(SPEC_LIMITS.promptChars).optional().describe('Performance hint: cue words for smiling, calm, lively, focused, nodding, looking around, still, downcast (sad, looking down) or expressive brows (surprised), in English, Chinese, Japanese, Korean, German, Spanish or French, a cue said not to be wanted left out ("no smile", "不要微笑"), one said to be slight or big taken half or 1.4x as strong ("a slight smile", "very calm"); the cues understood are reported as promptCues, the rest (a scene, clothing) is stored with the task.'),
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

export const style = option({
  name: 'style',
  schema: z.enum(AVATAR_STYLES).optional()
    .describe('Extension: what kind of picture the face is in, which decides how its mouth opens. photo: a shaded mouth with teeth (photos, paintings); drawing: a small flat-shaded mouth in the drawing\'s own colours, no teeth (anime, cartoons, drawings); animal: a soft dark opening under the nose with a tongue, never teeth. auto (default): read from the picture. Kept with the avatar (avatarId reuse keeps it).'),
  requiredInApi: false,
  cli: { flag: '--style', value: AVATAR_STYLES.join('|') },
});

/** One part of a dialogue: a face (number or points) and its speech (audio, or text + voice). */
export const SpeakerSchema = z.object({
  face: z.number().int().min(0).optional().describe('The speaking face\'s number: faces are numbered from the left of the picture, 0 first (POST /api/2dvh/v1/face/detect lists them). Give this or facePoints.'),
  facePoints: FacePointsSchema.optional(),
  // An input like audioUrl (checked at create, fetched by the worker: tasks/inputs.ts); in the CLI a file or URL.
  audioUrl: z.string().min(1).max(SPEC_LIMITS.urlChars).optional().describe('This speaker\'s speech: an http(s) URL, or a URL returned by the upload or voice endpoints (starts at 0 on the video\'s timeline; silence where the others speak). Give this or text.'),
  text: z.string().max(SPEC_LIMITS.textChars).optional().describe('Text this speaker says (needs voice), instead of audioUrl.'),
  voice: z.string().max(SPEC_LIMITS.voiceIdChars).optional().describe('Voice id for text, from GET /api/2dvh/v1/voice/list.'),
  speed: z.number().min(SPEC_LIMITS.minSpeed).max(SPEC_LIMITS.maxSpeed).optional().describe('Speaking rate for text, 1 = normal.'),
}).describe('One speaking face and its speech.');

const SPEAKER_EXAMPLE = 'Write the face number, "=", then the speech file or URL, e.g. --speaker 0=left.wav --speaker 1=right.wav (faces are numbered from the left, 0 first).';

/** `--speaker 0=a.wav` (face number) or `--speaker '{"leftEye":[x,y],...}=a.wav'` (face points). */
function speakerFromArg(raw: string): unknown {
  if (raw.trimStart().startsWith('{')) {
    const end = raw.indexOf('}=');
    if (end < 0) throw invalidArgument('--speaker', `"${raw.slice(0, 60)}" has face points but no "=<audio>" after them`, SPEAKER_EXAMPLE);
    const audioUrl = raw.slice(end + 2);
    if (!audioUrl) throw invalidArgument('--speaker', `"${raw.slice(0, 60)}" names no audio`, SPEAKER_EXAMPLE);
    let points: unknown;
    try {
      points = JSON.parse(raw.slice(0, end + 1));
    } catch (err) {
      throw invalidArgument('--speaker', `face points are not JSON (${(err as Error).message.slice(0, 80)})`, `Give an object such as ${FACE_POINTS_EXAMPLE} in image pixels.`);
    }
    return { facePoints: points, audioUrl };
  }
  const eq = raw.indexOf('=');
  const face = eq < 0 ? NaN : Number(raw.slice(0, eq));
  if (eq < 0 || raw.slice(0, eq).trim() === '' || !Number.isInteger(face) || face < 0) {
    throw invalidArgument('--speaker', `"${raw.slice(0, 60)}" is not <face number>=<audio>`, SPEAKER_EXAMPLE);
  }
  const audioUrl = raw.slice(eq + 1);
  if (!audioUrl) throw invalidArgument('--speaker', `"${raw}" names no audio`, SPEAKER_EXAMPLE);
  return { face, audioUrl };
}

export const speakers = option({
  name: 'speakers',
  schema: z.array(SpeakerSchema).min(1).max(SPEC_LIMITS.speakers).optional()
    .describe(`Extension: several faces, each speaking its own part (instead of audioUrl or text). All tracks start at 0; the video's sound is their mix and lasts as long as duration. Faces not named listen. At most ${SPEC_LIMITS.speakers}.`),
  requiredInApi: false,
  // Repeated, one per speaking face; the file or URL is the speaker's audioUrl.
  cli: { flag: '--speaker', value: '<face>=<audio>', multiple: true, fromArg: speakerFromArg },
});

/** The options in the order the API documents them. */
export const SPEC_OPTIONS = [duration, resizeMode, prompt, watermark, text, voice, speed, facePoints, style, speakers] as const;
