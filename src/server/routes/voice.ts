// Voice synthesis (text -> WAV in the media store) and the voice list. The engine runs in the
// speech worker thread, never on the HTTP event loop.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Voice } from '../../core/types.js';
import type { RouteContext } from '../context.js';
import { readJsonObject, sendOk } from '../http.js';
import { parseOrThrow, SynthesizeBody } from '../schemas.js';

export async function synthesize({ req, res, svc }: RouteContext): Promise<void> {
  const tenant = svc.auth.tenantOf(req);
  const body = parseOrThrow(SynthesizeBody, await readJsonObject(req));
  await fs.mkdir(svc.scratchRoot, { recursive: true });
  const temp = path.join(svc.scratchRoot, `speech-${randomUUID()}.wav`);
  const ac = new AbortController();
  // A client that gives up should not keep the engine busy.
  res.once('close', () => { if (!res.writableFinished) ac.abort(); });
  try {
    const r = await svc.speechThread.run<{ durationSeconds: number }>({ kind: 'synthesize', text: body.text, voice: body.voice, speed: body.speed, output: temp }, { signal: ac.signal });
    const bytes = (await fs.stat(temp)).size;
    const key = `${tenant}/voice/${randomUUID()}.wav`;
    await svc.media.putFile(key, temp);
    const now = svc.clock();
    await svc.store.putFile({ key, tenant, kind: 'audio', bytes, contentType: 'audio/wav', createdAt: now, expiresAt: now + svc.retentionMs, taskId: null });
    sendOk(res, { audioUrl: svc.urls.urlFor(key), durationSeconds: Math.round(r.durationSeconds * 1000) / 1000 });
  } finally {
    await fs.rm(temp, { force: true });
  }
}

export async function voices({ req, res, svc }: RouteContext): Promise<void> {
  svc.auth.tenantOf(req);
  sendOk(res, await svc.speechThread.run<Voice[]>({ kind: 'voices' }));
}
