// Request and response plumbing for the API: the { code, message, data } envelope, bounded body
// reading, and turning any thrown value into the catalogue's error answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DhError, toDhError } from '../core/errors.js';

export const JSON_BODY_LIMIT = 256 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export const sendOk = (res: ServerResponse, data: unknown): void => sendJson(res, 200, { code: 0, message: 'success', data });

export function sendError(res: ServerResponse, err: unknown): DhError {
  const e = toDhError(err);
  if (res.headersSent) { res.destroy(); return e; }
  const headers: Record<string, string> = e.id === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer' } : {};
  // The rest of a refused body is not read; closing the connection is cheaper than draining it.
  if (e.id === 'BODY_TOO_LARGE' || e.id === 'UNSUPPORTED_CONTENT_TYPE') headers.connection = 'close';
  sendJson(res, e.http, { code: e.code, message: e.message, data: null }, headers);
  return e;
}

/** The whole body, refusing more than `limit` bytes (and stopping reading at the limit). */
export function readBody(req: IncomingMessage, limit: number, fix: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) { req.resume(); reject(new DhError('BODY_TOO_LARGE', { limit, fix })); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) { req.removeAllListeners('data'); req.resume(); reject(new DhError('BODY_TOO_LARGE', { limit, fix })); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A JSON object body. Content-Type must say JSON: a form post is a client bug worth naming. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type)) {
    req.resume();
    throw new DhError('UNSUPPORTED_CONTENT_TYPE', { got: type || '(none)', expected: 'Content-Type: application/json' });
  }
  const body = await readBody(req, JSON_BODY_LIMIT, 'keep JSON requests under 256 KiB; upload media with POST /api/2dvh/v1/files/upload and pass the URL.');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new DhError('BODY_NOT_JSON', { reason: (err as Error).message.slice(0, 120) });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DhError('BODY_NOT_JSON', { reason: `got ${Array.isArray(value) ? 'an array' : typeof value}` });
  return value as Record<string, unknown>;
}
