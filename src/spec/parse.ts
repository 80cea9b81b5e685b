// Validation at the edge, shared by the API and the CLI: client-friendly coercions, then the
// schema, then the first problem as the catalogue error that names the field.
import { z } from 'zod/v4';
import { DhError, invalidArgument } from '../core/errors.js';
import { VIDEO } from '../core/video.js';

/** The schema inside optional/nullable/default wrappers. */
export function unwrapped(s: z.ZodType): z.ZodType {
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
  // A list of objects (speakers): each element read as its own object.
  if (shape instanceof z.ZodArray && Array.isArray(value)) return value.map((v) => lenientInput(shape.element as z.ZodType, v));
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
 * names the field: `prefix` + its path, or what `fieldName` calls the path (the CLI's flags).
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, raw: unknown, prefix: string | ((path: string) => string) = ''): z.infer<T> {
  const value = lenientInput(schema, raw);
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = issue.path.length ? issue.path.join('.') : 'body';
  const field = typeof prefix === 'string' ? prefix + at : prefix(at);
  if (issue.path.at(-1) === 'duration' && (issue.code === 'too_small' || issue.code === 'too_big')) {
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
