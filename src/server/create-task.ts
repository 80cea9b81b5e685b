// The spec's create endpoint: validate body and the JSON-escaped `param` (the one validation of
// the render specification on the service's side), check the inputs (tasks/inputs.ts), store
// the task, queue it.
import { DhError, invalidArgument } from '../core/errors.js';
import type { TaskInput } from '../store/ports.js';
import { checkSpeakersSpec } from '../pipeline/index.js';
import { checkFacePoints } from '../analyze/face/index.js';
import { toFacePoints } from '../spec/index.js';
import { checkInputUrl, checkTaskInputs, type InputSources } from '../tasks/inputs.js';
import { CreateBody, CreateParam, parseOrThrow } from './schemas.js';
import type { Service } from './context.js';

function parseParam(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new DhError('PARAM_NOT_JSON', { reason: (err as Error).message.slice(0, 120) });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DhError('PARAM_NOT_JSON', { reason: `it holds ${Array.isArray(value) ? 'an array' : JSON.stringify(value)?.slice(0, 40)}` });
  return value as Record<string, unknown>;
}

export async function createTask(svc: Service, tenant: string, body: Record<string, unknown>): Promise<number> {
  const b = parseOrThrow(CreateBody, body);
  const p = parseOrThrow(CreateParam, parseParam(b.param), 'param.');
  const { imageUrl, audioUrl, avatarId, isNewAvatar, callbackUrl, ...spec } = p;
  const warnings: string[] = [];
  const sources: InputSources = { store: svc.store, media: svc.media, urls: svc.urls, allowPrivateUrls: svc.config.allowPrivateUrls === 1, retentionDays: svc.config.retentionDays };
  const inputs = await checkTaskInputs(sources, tenant, { imageUrl, audioUrl, avatarId, ...(spec.speakers ? { speakers: spec.speakers } : {}) }, warnings);
  // Speakers (several faces, each with its own speech) replace audioUrl/text and facePoints.
  checkSpeakersSpec(spec, audioUrl !== undefined, { speakers: 'param.speakers', together: 'speakers', audio: 'param.audioUrl', text: 'param.text', facePoints: 'param.facePoints', voice: 'param.voice' });
  if (audioUrl && spec.text) throw invalidArgument('param.text', 'was given together with audioUrl', 'Give either audioUrl or text + voice, not both.');
  if (!spec.speakers && !audioUrl && !spec.text) throw invalidArgument('param.audioUrl', 'is required', 'Give the speech\'s URL (or text + voice to synthesize it).');
  if (spec.text && !spec.voice) throw invalidArgument('param.voice', 'is required with text', 'Pick a voice id from GET /api/2dvh/v1/voice/list.');
  if (spec.text && !spec.text.trim()) throw new DhError('TEXT_EMPTY', { field: 'param.text' });
  // The points' shape is checked now; whether they lie inside the picture, once it is decoded.
  if (spec.facePoints) checkFacePoints(toFacePoints(spec.facePoints), Infinity, Infinity, 'param.facePoints');
  if (callbackUrl) await checkInputUrl(sources, tenant, 'param.callbackUrl', callbackUrl, null);
  const wanted = [spec.voice, ...(spec.speakers ?? []).map((sp) => sp.voice)].filter((v): v is string => v !== undefined);
  if (wanted.length > 0) {
    const voices = await svc.speechThread.run<{ id: string }[]>({ kind: 'voices' });
    const unknown = wanted.find((w) => !voices.some((v) => v.id === w));
    if (unknown !== undefined) throw new DhError('VOICE_UNKNOWN', { voice: unknown, example: voices.slice(0, 3).map((v) => v.id).join(', ') });
  }
  const waiting = await svc.queue.waiting();
  if (waiting >= svc.config.maxQueued) throw new DhError('QUEUE_FULL', { waiting });

  // The spec is stored as validated, field for field: the worker renders exactly this.
  const input: TaskInput = { inputs, spec, isNewAvatar: isNewAvatar ?? false, callbackUrl, thumbnailUrl: b.thumbnailUrl };
  // The check above spares the work when the queue is plainly full; the store's admission holds
  // when many requests arrive at once, also at several API processes sharing one database.
  const task = await svc.store.admitTask({ tenant, videoName: b.videoName, input, warnings, createdAt: svc.clock() }, svc.config.maxQueued);
  if (!task) throw new DhError('QUEUE_FULL', { waiting: await svc.queue.waiting() });
  if (!(await svc.queue.enqueue({ taskId: task.id }, svc.config.maxQueued))) {
    await svc.store.deleteTask(tenant, task.id);
    throw new DhError('QUEUE_FULL', { waiting: await svc.queue.waiting() });
  }
  svc.metrics.count('dh_tasks_created_total');
  return task.id;
}
