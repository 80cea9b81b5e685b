// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and from
// the error catalogue. docs/openapi.json is its committed copy; a test fails when they differ
// (regenerate with `node scripts/openapi.mjs`).
import { z } from 'zod/v4';
import { ERRORS } from '../core/errors.js';
import * as S from './schemas.js';
import { FACE_CHECK_PATH, FaceCheckBody, FaceCheckResultSchema } from './face-check.js';

const API = '/api/2dvh/v1';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const json = (s: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: schema(s, io) } });
const ok = (data: z.ZodType, description: string) => ({ 200: { description, content: json(S.envelope(data)) } });
const errors = { default: { description: 'Error: `code` is one of the error catalogue (see x-error-catalogue and GET /docs).', content: json(S.envelope(z.null())) } };
const security = [{ bearer: [] }];

function queryParams(s: z.ZodObject) {
  return Object.entries(s.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const js = schema(field, 'input');
    return { name, in: 'query', required: !field.safeParse(undefined).success, description: field.description, schema: js };
  });
}

export function errorCatalogue() {
  return Object.entries(ERRORS).map(([id, e]) => ({ id, code: e.code, http: e.http, retryable: e.retryable, meaning: e.meaning }))
    .sort((a, b) => a.code - b.code);
}

export function buildOpenApi(): Record<string, unknown> {
  const createExample = {
    videoName: 'xxx',
    param: JSON.stringify({ imageUrl: 'https://cdn.example.com/photo.png', audioUrl: 'https://cdn.example.com/sound.mp3', duration: 10, prompt: '夏日海滩场景 | Summer beach scene', isNewAvatar: false, avatarId: 15342352346 }),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Image Digital Human API',
      version: '1.0.0',
      description: 'One portrait + one speech clip in, a lip-synced talking-head MP4 out. Every JSON answer is `{ code, message, data }` with `code` 0 on success; other codes come from the error catalogue (`x-error-catalogue`). Results are kept for DH_RETENTION_DAYS (default 7) days.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key from DH_API_KEYS. Not needed when the service runs without keys (loopback only).' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The DH_METRICS_TOKEN value, for GET /metrics on a service with API keys (closed when it is not set). Not needed without keys (loopback only).' },
      },
      schemas: { CreateParam: schema(S.CreateParam, 'input'), Task: schema(S.TaskViewSchema), Voice: schema(S.VoiceSchema) },
    },
    paths: {
      [`${API}/material/single/image/video/create`]: {
        post: {
          summary: 'Create an image digital human video task',
          description: '`param` is the JSON-escaped CreateParam object (see components.schemas.CreateParam). Answers the task id.',
          security,
          requestBody: { required: true, content: { 'application/json': { schema: schema(S.CreateBody, 'input'), example: createExample } } },
          responses: { ...ok(z.number().int().describe('Task id'), 'Task accepted'), ...errors },
        },
      },
      [`${API}/material/single/image/video/detail`]: {
        get: { summary: 'A task\'s status, progress and result', security, parameters: queryParams(S.DetailQuery), responses: { ...ok(S.TaskViewSchema, 'The task'), ...errors } },
      },
      [`${API}/material/single/image/video/list`]: {
        get: { summary: 'The caller\'s tasks, newest first', security, parameters: queryParams(S.ListQuery), responses: { ...ok(S.TaskListSchema, 'One page of tasks'), ...errors } },
      },
      [`${API}/material/single/image/video/delete`]: {
        post: {
          summary: 'Delete a task, its video and its inputs (cancels a render in progress)', security,
          requestBody: { required: true, content: json(S.DeleteBody, 'input') },
          responses: { ...ok(z.object({ taskId: z.number().int(), deleted: z.literal(true) }), 'Deleted'), ...errors },
        },
      },
      [`${API}/avatar/list`]: {
        get: { summary: 'The caller\'s stored avatars (made with isNewAvatar), newest first', security, parameters: queryParams(S.AvatarListQuery), responses: { ...ok(S.AvatarListSchema, 'One page of avatars'), ...errors } },
      },
      [`${API}/avatar/delete`]: {
        post: {
          summary: 'Delete a stored avatar: its face data and its image (videos made with it stay)', security,
          requestBody: { required: true, content: json(S.AvatarDeleteBody, 'input') },
          responses: { ...ok(z.object({ avatarId: z.number().int(), deleted: z.literal(true) }), 'Deleted'), ...errors },
        },
      },
      [`${API}/files/upload`]: {
        post: {
          summary: 'Upload an image or audio file; the answer\'s url works as imageUrl/audioUrl', security,
          description: 'multipart/form-data with the file in field `file`. The type is recognised from the content, not the file name.',
          requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } } },
          responses: { ...ok(S.UploadResult, 'Stored'), ...errors },
        },
      },
      '/files/{key}': {
        get: {
          summary: 'Download a file by the URL the API handed out (supports Range)',
          description: 'Access needs the URL\'s `sig` or the owner\'s API key. 206 for a Range request, 416 outside the file, 410 after the storage period. Answers carry ETag and Last-Modified; If-None-Match / If-Modified-Since answer 304, If-Range with a stale validator gets the whole file. HEAD gives the headers alone.',
          parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }, { name: 'sig', in: 'query', required: false, schema: { type: 'string' } }, { name: 'Range', in: 'header', required: false, schema: { type: 'string' } }, { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }, { name: 'If-Range', in: 'header', required: false, schema: { type: 'string' } }],
          responses: { 200: { description: 'The file' }, 206: { description: 'Part of the file' }, 304: { description: 'Not modified (If-None-Match / If-Modified-Since)' }, 404: { description: 'Not found' }, 410: { description: 'Deleted after the storage period' }, 416: { description: 'Range outside the file' } },
        },
      },
      [`${API}/voice/synthesize`]: {
        post: {
          summary: 'Text to speech; the audioUrl works as a task\'s audioUrl', security,
          requestBody: { required: true, content: json(S.SynthesizeBody, 'input') },
          responses: { ...ok(S.SynthesizeResult, 'Synthesized'), ...errors },
        },
      },
      [FACE_CHECK_PATH]: {
        post: {
          summary: 'Check an uploaded portrait before creating a task: the faces found and the frame each resizeMode would show', security,
          description: 'Extension used by the web console. Takes only URLs returned by the upload endpoint (nothing is fetched from the network).',
          requestBody: { required: true, content: json(FaceCheckBody, 'input') },
          responses: { ...ok(FaceCheckResultSchema, 'The check'), ...errors },
        },
      },
      [`${API}/voice/list`]: { get: { summary: 'The installed voices', security, responses: { ...ok(z.array(S.VoiceSchema), 'Voices'), ...errors } } },
      '/healthz': { get: { summary: 'Liveness, queue state and each dependency (database, ...) with its backend and answer time (no envelope)', responses: { 200: { description: 'Healthy: every dependency answered' }, 503: { description: 'A dependency did not answer (named under dependencies, with its error)' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics (text format)', security: [{ metricsToken: [] }], responses: { 200: { description: 'Metrics' }, 401: { description: 'No or wrong metrics token (code 3102)' } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
      '/docs': { get: { summary: 'Human-readable API reference', responses: { 200: { description: 'HTML' } } } },
      '/': { get: { summary: 'The web console (HTML; its assets are under /assets/)', responses: { 200: { description: 'HTML' } } } },
    },
    'x-error-catalogue': errorCatalogue(),
  };
}
