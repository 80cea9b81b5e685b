// The spec's create endpoint: validate body and the JSON-escaped `param`, resolve references to
// our own files and avatars, store the task, queue it.
import { isIP } from 'node:net';
import { DhError, invalidArgument } from '../core/errors.js';
import { checkUrl } from '../adapters/safe-fetch.js';
import { classifyAddress } from '../net/address-rules.js';
import type { TaskInput, TaskSpeaker } from '../store/ports.js';
import { checkSpeakerFaces } from '../pipeline/index.js';
import { checkFacePoints } from '../analyze/face/index.js';
import { CreateBody, CreateParam, parseOrThrow, toFacePoints, toSpeakerFace, WATERMARK_DEFAULT } from './schemas.js';
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

/** Voice ids the service has (asked once per create). */
async function knownVoices(svc: Service): Promise<{ id: string }[]> {
  return svc.speechThread.run<{ id: string }[]>({ kind: 'voices' });
}

/**
 * param.speakers: each names a face (number or points) and brings its speech (audioUrl, or text
 * with a voice). Face numbers are checked against the picture when it is analysed.
 */
async function checkSpeakers(svc: Service, tenant: string, p: CreateParam): Promise<TaskSpeaker[]> {
  const speakers = p.speakers!;
  if (p.audioUrl || p.text) throw invalidArgument(p.audioUrl ? 'param.audioUrl' : 'param.text', 'was given together with speakers', 'Give each face its speech in speakers[] (audioUrl, or text + voice), or one audioUrl/text for the main face, not both.');
  if (p.facePoints) throw invalidArgument('param.facePoints', 'was given together with speakers', 'Mark a speaker\'s face in its own speakers[].facePoints.');
  checkSpeakerFaces(speakers.map(toSpeakerFace), 'param.speakers');
  let voices: { id: string }[] | null = null;
  const out: TaskSpeaker[] = [];
  for (const [i, s] of speakers.entries()) {
    const at = `param.speakers[${i}]`;
    if (s.audioUrl && s.text) throw invalidArgument(`${at}.text`, 'was given together with audioUrl', 'Give this speaker either audioUrl or text + voice, not both.');
    if (!s.audioUrl && !s.text) throw invalidArgument(`${at}.audioUrl`, 'is required', 'Give this speaker\'s speech URL (or text + voice to synthesize it).');
    if (s.text && !s.voice) throw invalidArgument(`${at}.voice`, 'is required with text', 'Pick a voice id from GET /api/2dvh/v1/voice/list.');
    if (s.text && !s.text.trim()) throw new DhError('TEXT_EMPTY', { field: `${at}.text` });
    if (s.voice) {
      voices ??= await knownVoices(svc);
      if (!voices.some((v) => v.id === s.voice)) throw new DhError('VOICE_UNKNOWN', { voice: s.voice, example: voices.slice(0, 3).map((v) => v.id).join(', ') });
    }
    const audioKey = s.audioUrl ? await checkInputUrl(svc, tenant, `${at}.audioUrl`, s.audioUrl, 'audio') : undefined;
    out.push({
      ...toSpeakerFace(s), audioUrl: s.audioUrl, ...(audioKey ? { audioKey } : {}),
      text: s.text, voice: s.voice, speed: s.speed,
    });
  }
  return out;
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
  const speakers = p.speakers ? await checkSpeakers(svc, tenant, p) : undefined;
  if (p.audioUrl && p.text) throw invalidArgument('param.text', 'was given together with audioUrl', 'Give either audioUrl or text + voice, not both.');
  if (!speakers && !p.audioUrl && !p.text) throw invalidArgument('param.audioUrl', 'is required', 'Give the speech\'s URL (or text + voice to synthesize it).');
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
    ...(speakers ? { speakers } : {}),
  };
  const task = await svc.store.createTask({ tenant, videoName: b.videoName, input, warnings, createdAt: svc.clock() });
  // The check above spares the work of a task record when the queue is plainly full; this one
  // holds when many requests arrive at once.
  if (!(await svc.queue.enqueue({ taskId: task.id }, svc.config.maxQueued))) {
    await svc.store.deleteTask(tenant, task.id);
    throw new DhError('QUEUE_FULL', { waiting: await svc.queue.waiting() });
  }
  svc.metrics.count('dh_tasks_created_total');
  return task.id;
}
