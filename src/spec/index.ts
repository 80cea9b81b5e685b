// The render specification: what a video is asked to be (length, framing, prompt, watermark,
// speech, face points), defined once in options.ts. It is validated at the edge (API or CLI)
// and then carried unchanged, with the same field names, from the task record to the renderer.
import { z } from 'zod/v4';
import type { FacePoints } from '../core/types.js';
import { WATERMARK_DEFAULT } from './limits.js';
import { SPEC_OPTIONS, type SpecOption } from './options.js';
import { parseOrThrow, unwrapped } from './parse.js';

export { SPEC_LIMITS, WATERMARK_DEFAULT } from './limits.js';
export { SPEC_OPTIONS, FacePointsSchema, SpeakerSchema, type SpecOption, type CliFlag } from './options.js';
export { lenientInput, parseOrThrow, unwrapped } from './parse.js';

type Option = (typeof SPEC_OPTIONS)[number];
type Shape = { [O in Option as O['name']]: O['schema'] };

/** The options' schemas by name, as the API's `param` carries them (duration required). */
export const SPEC_SHAPE = Object.fromEntries(SPEC_OPTIONS.map((o) => [o.name, o.schema])) as unknown as Shape;

/**
 * The specification as the pipeline takes it. Everything but resizeMode may be absent: the CLI
 * leaves duration out to follow the audio, the API requires it (see requiredInApi).
 */
export const RenderSpecSchema = z.object(SPEC_SHAPE).partial({ duration: true });
export type RenderSpec = z.output<typeof RenderSpecSchema>;
/** Face points as the spec carries them: [x, y] per point. */
export type FacePointsSpec = NonNullable<RenderSpec['facePoints']>;
/** One speaker as the spec carries it. */
export type SpeakerSpec = NonNullable<RenderSpec['speakers']>[number];

/** The text to draw, defaults filled in; undefined = no watermark. */
export const watermarkText = (spec: Pick<RenderSpec, 'watermark'>): string | undefined =>
  spec.watermark?.show ? (spec.watermark.content?.trim() || WATERMARK_DEFAULT) : undefined;

/** The spec's [x, y] points as the analysis stage's points. */
export function toFacePoints(v: FacePointsSpec): FacePoints {
  const p = ([x, y]: readonly [number, number]) => ({ x, y });
  return { leftEye: p(v.leftEye), rightEye: p(v.rightEye), mouthLeft: p(v.mouthLeft), mouthRight: p(v.mouthRight), ...(v.chin ? { chin: p(v.chin) } : {}) };
}

const withFlags = SPEC_OPTIONS.filter((o): o is Option & { cli: NonNullable<SpecOption['cli']> } => o.cli !== null);

/** parseArgs options for the spec's flags (all strings: the schema converts them). */
export const specArgOptions = (): Record<string, { type: 'string'; multiple?: boolean }> =>
  Object.fromEntries(withFlags.map((o) => [o.cli.flag.slice(2), { type: 'string' as const, ...(o.cli.multiple ? { multiple: true } : {}) }]));

/** The spec from command-line values (keyed by flag without dashes), validated by the same schema as the API's. */
export function specFromArgs(values: Readonly<Record<string, unknown>>): RenderSpec {
  const raw: Record<string, unknown> = {};
  for (const o of withFlags) {
    const v = values[o.cli.flag.slice(2)];
    const fromArg = o.cli.fromArg ?? ((x: string) => x);
    if (typeof v === 'string') raw[o.name] = fromArg(v);
    else if (o.cli.multiple && Array.isArray(v)) raw[o.name] = v.map((x) => fromArg(String(x)));
  }
  const flagOf = (path: string) => {
    const [name, ...rest] = path.split('.');
    const flag = withFlags.find((o) => o.name === name)?.cli.flag ?? name;
    return [flag, ...rest].join('.');
  };
  return parseOrThrow(RenderSpecSchema, raw, flagOf);
}

/** The usage line's part for the spec's flags. */
export const specUsage = (): string => withFlags.map((o) => `[${o.cli.flag} ${o.cli.value}]`).join(' ');

/** Markdown table of the options (docs/api.md carries it between markers; a test checks it). */
export function specOptionTable(): string {
  const rows = SPEC_OPTIONS.map((o) => {
    const js = z.toJSONSchema(o.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    const type = js.enum ? (js.enum as string[]).map((v) => `\`${v}\``).join(' \\| ') : String(js.type ?? 'object');
    const limits = [js.minimum !== undefined ? `>= ${js.minimum}` : '', js.maximum !== undefined ? `<= ${js.maximum}` : '', js.maxLength !== undefined ? `<= ${js.maxLength} chars` : '', js.default !== undefined ? `default \`${String(js.default)}\`` : '']
      .filter(Boolean).join(', ');
    const description = (o.schema.description ?? unwrapped(o.schema).description ?? '').replace(/\|/g, '\\|');
    return `| \`${o.name}\` | ${o.requiredInApi ? 'yes' : 'no'} | ${type}${limits ? ` (${limits})` : ''} | ${o.cli ? `\`${o.cli.flag} ${o.cli.value.replace(/\|/g, '\\|')}\`` : ''} | ${description} |`;
  });
  return ['| field | required | type, limits | `dh render` flag | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
