// Voice synthesis (text -> WAV in the media store) and the voice list. The engine runs in the
// speech worker thread, never on the HTTP event loop.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Voice } from '../../core/types.js';
import type { RouteContext } from '../context.js';
import { jsonBody, sendOk } from '../http.js';
import { parseOrThrow, SynthesizeBody } from '../schemas.js';

export async function synthesize({ req, reply, svc, tenant }: RouteContext): Promise<void> {
  const body = parseOrThrow(SynthesizeBody, jsonBody(req));
  await fs.mkdir(svc.scratchRoot, { recursive: true });
  const temp = path.join(svc.scratchRoot, `speech-${randomUUID()}.wav`);
  const ac = new AbortController();
  // A client that gives up should not keep the engine busy.
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) ac.abort(); });
  try {
    const r = await svc.speechThread.run<{ durationSeconds: number }>({ kind: 'synthesize', text: body.text, voice: body.voice, speed: body.speed, output: temp }, { signal: ac.signal });
    const bytes = (await fs.stat(temp)).size;
    const key = `${tenant}/voice/${randomUUID()}.wav`;
    await svc.media.putFile(key, temp);
    const now = svc.clock();
    await svc.store.putFile({ key, tenant, kind: 'audio', bytes, contentType: 'audio/wav', createdAt: now, expiresAt: now + svc.retentionMs, taskId: null });
    sendOk(reply, { audioUrl: svc.urls.urlFor(key), durationSeconds: Math.round(r.durationSeconds * 1000) / 1000 });
  } finally {
    await fs.rm(temp, { force: true });
  }
}

export async function voices({ reply, svc }: RouteContext): Promise<void> {
  sendOk(reply, await svc.speechThread.run<Voice[]>({ kind: 'voices' }));
}
