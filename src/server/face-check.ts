// POST /api/2dvh/v1/face/detect { imageUrl } -> { found, box, faces, width, height, layouts }.
// Lets a client (the web console) check an uploaded portrait before creating a task: whether a
// face is found, where, and which part of the image each resizeMode would show. Only URLs this
// service handed out are accepted, so the endpoint fetches nothing from the network.
// The detection runs in its own worker thread, started on first use and stopped when idle.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { z } from 'zod/v4';
import { DhError, withoutServerPathsIn, type ErrorId } from '../core/errors.js';
import type { FaceCheckResult } from '../worker/face-check-protocol.js';
import type { RouteContext, Service } from './context.js';
import { jsonBody, sendOk } from './http.js';
import { FaceSummarySchema, parseOrThrow } from './schemas.js';
import { FACE_METHODS } from '../core/types.js';

export const FACE_CHECK_PATH = '/api/2dvh/v1/face/detect';

export const FaceCheckBody = z.object({
  imageUrl: z.string().min(1).max(2048).describe('A URL returned by POST /api/2dvh/v1/files/upload for an image.'),
});

const rect = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
const layout = z.object({
  width: z.number().int(), height: z.number().int(),
  crop: rect.describe('The window of the image (image pixels) that fills the frame; may extend past the image.'),
  padded: z.boolean().describe('The window extends past the image; the margin continues the background of the picture (its own colour, without the person).'),
});
/** The answer, for the OpenAPI document (the thread builds it: src/worker/face-check-thread.ts). */
export const FaceCheckResultSchema = z.object({
  found: z.boolean().describe('A face was found.'),
  box: rect.nullable().describe('The face that will be animated, in image pixels.'),
  face: FaceSummarySchema.nullable().describe('How the animated face was found and its points: a starting point for marking facePoints.'),
  faces: z.array(z.object({
    index: z.number().int().describe('The face\'s number: faces are numbered from the left of the picture (by the centre of their boxes), 0 first. Speakers name faces by it.'),
    box: rect, score: z.number(),
    method: z.enum(FACE_METHODS).describe('How the face was found (see face.method).'),
  })).describe('All faces found, numbered left to right.'),
  main: z.number().int().nullable().describe('The number of the face animated when one speech (audioUrl or text) is given; null when none was found.'),
  width: z.number().int(), height: z.number().int(),
  layouts: z.object({ adaptive: layout, fixedMinSide: layout.nullable().describe('null when the image is more elongated than 3:1.') }),
  fixedMinSideError: z.object({ code: z.number().int(), message: z.string() }).nullable(),
});

const ENTRY = new URL('../worker/face-check-thread.js', import.meta.url);
/** The thread (and its ~100 MB face model) goes away after this long without work. */
const IDLE_MS = 60_000;
/** A detection that takes longer than this has hung; the thread is replaced. */
const TIMEOUT_MS = 60_000;
/** Results by media key: the console asks again when the user switches back and forth. */
const CACHE_SIZE = 64;

export interface FaceChecker {
  check(file: string): Promise<FaceCheckResult>;
  close(): Promise<void>;
}

export function createFaceChecker(): FaceChecker {
  let worker: Worker | null = null;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: FaceCheckResult) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  const stop = () => {
    const w = worker;
    worker = null;
    clearTimeout(idle);
    return w ? w.terminate().then(() => undefined) : Promise.resolve();
  };
  const fail = (w: Worker, reason: string) => {
    if (worker === w) worker = null;
    for (const [id, p] of pending) { pending.delete(id); clearTimeout(p.timer); p.reject(new DhError('FACE_MODEL_FAILED', { reason })); }
  };
  const spawn = () => {
    const w = new Worker(ENTRY);
    w.on('message', (m: { id: number; ok: boolean; value?: FaceCheckResult; error?: { id: ErrorId; details: Record<string, string | number | undefined> } }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.value!);
      else p.reject(new DhError(m.error!.id, m.error!.details));
      if (pending.size === 0) {
        w.unref();
        idle = setTimeout(() => { if (pending.size === 0) void stop(); }, IDLE_MS);
        idle.unref();
      }
    });
    w.on('error', (err) => fail(w, err.message));
    w.on('exit', (code) => fail(w, `face check thread exited with code ${code}`));
    return w;
  };

  return {
    check(file) {
      clearTimeout(idle);
      worker ??= spawn();
      const w = worker;
      w.ref();
      const id = nextId++;
      return new Promise<FaceCheckResult>((resolve, reject) => {
        const timer = setTimeout(() => { fail(w, `no answer within ${TIMEOUT_MS / 1000} s`); void w.terminate(); }, TIMEOUT_MS);
        pending.set(id, { resolve, reject, timer });
        w.postMessage({ id, file });
      });
    },
    close: stop,
  };
}

const checkers = new WeakMap<Service, { checker: FaceChecker; cache: Map<string, FaceCheckResult> }>();

export async function faceDetect({ req, reply, svc, tenant }: RouteContext): Promise<void> {
  const { imageUrl } = parseOrThrow(FaceCheckBody, jsonBody(req));
  const key = svc.urls.keyOf(imageUrl);
  if (key === null) {
    throw new DhError('INVALID_ARGUMENT', { field: 'imageUrl', problem: 'is not a URL of this service', fix: 'Upload the image with POST /api/2dvh/v1/files/upload and pass the url it returns.' });
  }
  const file = await svc.store.getFile(key);
  if (!file || file.tenant !== tenant) throw new DhError('FILE_NOT_FOUND', { path: key.split('/').pop() });
  if (file.deletedAt !== null) throw new DhError('FILE_EXPIRED', { path: key.split('/').pop(), expiredAt: new Date(file.deletedAt).toISOString(), days: svc.config.retentionDays });
  if (file.kind !== 'image') throw new DhError('WRONG_MEDIA_KIND', { field: 'imageUrl', kind: file.kind, expected: 'image (JPEG, PNG, WebP)' });
  let entry = checkers.get(svc);
  if (!entry) { entry = { checker: createFaceChecker(), cache: new Map() }; checkers.set(svc, entry); }
  let result = entry.cache.get(key);
  if (!result) {
    await fs.mkdir(svc.scratchRoot, { recursive: true });
    const local = path.join(svc.scratchRoot, `face-check-${randomUUID()}`);
    try {
      await svc.media.download(key, local);
      result = await entry.checker.check(local).catch((err: unknown) => {
        throw err instanceof DhError ? withoutServerPathsIn(err, [[local, 'the uploaded image']]) : err;
      });
    } finally {
      await fs.rm(local, { force: true });
    }
    entry.cache.set(key, result);
    if (entry.cache.size > CACHE_SIZE) entry.cache.delete(entry.cache.keys().next().value!);
  }
  sendOk(reply, result);
}

/** Stops the face-check thread of a service (tests and shutdown; it also stops by itself when idle). */
export async function closeFaceCheck(svc: Service): Promise<void> {
  await checkers.get(svc)?.checker.close();
  checkers.delete(svc);
}
