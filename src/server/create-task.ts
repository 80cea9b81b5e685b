// The spec's create endpoint: validate body and the JSON-escaped `param`, resolve references to
// our own files and avatars, store the task, queue it.
import { isIP } from 'node:net';
import { DhError, invalidArgument } from '../core/errors.js';
import { checkUrl } from '../adapters/safe-fetch.js';
import { classifyAddress } from '../net/address-rules.js';
import type { TaskInput } from '../store/ports.js';
import { checkFacePoints } from '../analyze/face/index.js';
import { CreateBody, CreateParam, parseOrThrow, toFacePoints, WATERMARK_DEFAULT } from './schemas.js';
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

/** Checks a URL field: one of our files (of the right kind, owned by the caller) or a fetchable URL. */
async function checkInputUrl(svc: Service, tenant: string, field: string, raw: string, kind: 'image' | 'audio' | null): Promise<string | undefined> {
  const key = svc.urls.keyOf(raw);
  if (key !== null) {
    const file = await svc.store.getFile(key);
    if (!file || file.tenant !== tenant) throw new DhError('FILE_NOT_FOUND', { path: raw.slice(0, 200) });
    if (file.deletedAt !== null) throw new DhError('FILE_EXPIRED', { path: raw.slice(0, 200), expiredAt: new Date(file.deletedAt).toISOString(), days: svc.config.retentionDays });
    if (kind && file.kind !== kind) throw new DhError('WRONG_MEDIA_KIND', { field, kind: file.kind, expected: kind === 'image' ? 'image (JPEG, PNG, WebP)' : 'audio file' });
    return key;
  }
  const url = checkUrl(raw, field);
  // Literal addresses are refused now; names are judged when fetched, after resolution.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!svc.config.allowPrivateUrls && isIP(host) && classifyAddress(host) !== 'public') {
    throw new DhError('SOURCE_ADDRESS_REFUSED', { url: raw.slice(0, 200), address: host, range: classifyAddress(host) });
  }
  return undefined;
}

export async function createTask(svc: Service, tenant: string, body: Record<string, unknown>): Promise<number> {
  const b = parseOrThrow(CreateBody, body);
  const p = parseOrThrow(CreateParam, parseParam(b.param), 'param.');
  const warnings: string[] = [];
  let avatarId: number | undefined;
  if (p.avatarId !== undefined) {
    if (await svc.store.getAvatar(tenant, p.avatarId)) avatarId = p.avatarId;
    else if (p.imageUrl) warnings.push(`avatarId ${p.avatarId} was not found for this API key; the image was analysed afresh`);
    else throw new DhError('AVATAR_NOT_FOUND', { avatarId: p.avatarId });
  }
  if (!p.imageUrl && avatarId === undefined) throw invalidArgument('param.imageUrl', 'is required', 'Give the portrait\'s URL (or an avatarId of a stored avatar).');
  if (p.audioUrl && p.text) throw invalidArgument('param.text', 'was given together with audioUrl', 'Give either audioUrl or text + voice, not both.');
  if (!p.audioUrl && !p.text) throw invalidArgument('param.audioUrl', 'is required', 'Give the speech\'s URL (or text + voice to synthesize it).');
  if (p.text && !p.voice) throw invalidArgument('param.voice', 'is required with text', 'Pick a voice id from GET /api/2dvh/v1/voice/list.');
  if (p.text && !p.text.trim()) throw new DhError('TEXT_EMPTY', { field: 'param.text' });
  // The points' shape is checked now; whether they lie inside the picture, once it is decoded.
  if (p.facePoints) checkFacePoints(toFacePoints(p.facePoints), Infinity, Infinity, 'param.facePoints');
  const imageKey = p.imageUrl ? await checkInputUrl(svc, tenant, 'param.imageUrl', p.imageUrl, 'image') : undefined;
  const audioKey = p.audioUrl ? await checkInputUrl(svc, tenant, 'param.audioUrl', p.audioUrl, 'audio') : undefined;
  if (p.callbackUrl) await checkInputUrl(svc, tenant, 'param.callbackUrl', p.callbackUrl, null);
  if (p.voice) {
    const voices = await svc.speechThread.run<{ id: string }[]>({ kind: 'voices' });
    if (!voices.some((v) => v.id === p.voice)) throw new DhError('VOICE_UNKNOWN', { voice: p.voice, example: voices.slice(0, 3).map((v) => v.id).join(', ') });
  }
  const waiting = await svc.queue.waiting();
  if (waiting >= svc.config.maxQueued) throw new DhError('QUEUE_FULL', { waiting });

  const input: TaskInput = {
    imageUrl: p.imageUrl, audioUrl: p.audioUrl, imageKey, audioKey, text: p.text, voice: p.voice, speed: p.speed,
    duration: p.duration, resizeMode: p.resizeMode, prompt: p.prompt,
    watermark: p.watermark?.show ? (p.watermark.content?.trim() || WATERMARK_DEFAULT) : undefined,
    isNewAvatar: p.isNewAvatar ?? false, avatarId, callbackUrl: p.callbackUrl, thumbnailUrl: b.thumbnailUrl,
    facePoints: p.facePoints ? toFacePoints(p.facePoints) : undefined,
  };
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
