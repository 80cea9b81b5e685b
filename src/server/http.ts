// The API's side of the HTTP exchange: the { code, message, data } envelope, turning anything
// thrown (ours, fastify's, busboy's) into the catalogue's answer, and the bounded discarding of
// request bodies the service does not read. Reading and limiting bodies is fastify's job.
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { DhError, invalidArgument, toDhError, withoutServerPaths } from '../core/errors.js';

export const JSON_BODY_LIMIT = 256 * 1024;
export const JSON_BODY_FIX = 'keep JSON requests under 256 KiB; upload media with POST /api/2dvh/v1/files/upload and pass the URL.';
export const JSON_CONTENT_TYPE = 'Content-Type: application/json';

/**
 * How much of an unwanted request body is read and thrown away before answering. An answer sent
 * while the client is still writing makes Node close the socket with unread bytes in it, which
 * resets the connection (RFC 9112 section 9.6 warns of exactly this), so the client sees EPIPE or
 * ECONNRESET instead of the answer. Past these bounds the service answers and closes anyway: a
 * client sending gigabytes must not keep it busy.
 */
export interface DrainLimits {
  readonly bytes: number;
  readonly ms: number;
}
export const DRAIN_DEFAULTS: DrainLimits = { bytes: 64 * 1024 * 1024, ms: 30_000 };

export function sendJson(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}): void {
  reply.code(status).headers({ 'content-type': 'application/json; charset=utf-8', ...headers }).send(JSON.stringify(body));
}

export const sendOk = (reply: FastifyReply, data: unknown): void => sendJson(reply, 200, { code: 0, message: 'success', data });

/**
 * fastify's body parser for JSON routes (it has read the body within the limit). secure-json-parse
 * is what fastify's own parser uses: it refuses __proto__ keys, which would otherwise turn into a
 * prototype when the fields are copied. Unlike fastify's, this one says what is wrong.
 */
export function parseJsonBody(_req: unknown, text: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  try {
    done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'ignore' }));
  } catch (err) {
    done(new DhError('BODY_NOT_JSON', { reason: (err as Error).message.slice(0, 120) }));
  }
}

/** The parsed JSON body of a JSON route, which must be an object. */
export function jsonBody(req: FastifyRequest): Record<string, unknown> {
  const value = req.body;
  // fastify parses only bodies that exist; none at all means no Content-Type was sent either.
  if (value === undefined) throw new DhError('UNSUPPORTED_CONTENT_TYPE', { got: '(none)', expected: JSON_CONTENT_TYPE });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DhError('BODY_NOT_JSON', { reason: `got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` });
  return value as Record<string, unknown>;
}

/** What the route reads, for naming the expected Content-Type in a 415. */
export interface BodyRule {
  readonly contentType: string;
}

/**
 * The catalogue error for anything a request can throw. fastify's own errors carry a `code`
 * (https://fastify.dev/docs/latest/Reference/Errors/).
 */
export function toHttpError(err: unknown, req: FastifyRequest, rule: BodyRule | undefined): DhError {
  if (err instanceof DhError) return err;
  const e = err as { code?: unknown };
  const contentType = String(req.headers['content-type'] ?? '').slice(0, 100) || '(none)';
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DhError('BODY_TOO_LARGE', { limit: req.routeOptions.bodyLimit ?? JSON_BODY_LIMIT, fix: JSON_BODY_FIX });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_TYPE':
      return new DhError('UNSUPPORTED_CONTENT_TYPE', { got: contentType, expected: rule?.contentType ?? 'no body' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalidArgument('request body', 'is not as long as its Content-Length says', 'Send exactly Content-Length bytes, or use chunked transfer encoding.');
    case 'FST_ERR_BAD_URL':
      return invalidArgument('URL', 'holds a malformed percent-encoding', 'Encode the path with encodeURIComponent, or use a URL exactly as the API returned it.');
  }
  return toDhError(err);
}

/**
 * Answers with the catalogue's envelope. The message is the last gate before a client: an
 * internal error's reason loses every path (ENOENT, open '/srv/...'; the log keeps the whole
 * text), any other message the paths under `serverDirs` (an upload the face check could not
 * decode) and keeps what the client itself sent.
 */
export function sendError(reply: FastifyReply, e: DhError, serverDirs: readonly string[]): void {
  if (reply.raw.headersSent) { reply.raw.destroy(); return; }
  const headers: Record<string, string> = e.http === 401 ? { 'www-authenticate': 'Bearer' } : {};
  const message = withoutServerPaths(e.message, [], e.id === 'INTERNAL' ? undefined : serverDirs);
  sendJson(reply, e.http, { code: e.code, message, data: null }, headers);
}

/**
 * Reads and discards the rest of a request body, within `limits`. Resolves true when the body
 * ended (the connection can carry the next request), false when it was cut off.
 */
export function discardBody(req: IncomingMessage, limits: DrainLimits): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  if (req.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      if (!ended) req.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer) => { seen += chunk.length; if (seen > limits.bytes) finish(false); };
    const onEnd = () => finish(true);
    const onClose = () => finish(req.complete);
    const timer = setTimeout(() => finish(false), limits.ms);
    // A parser that gave up (busboy after a refused part) may still be piped to the request.
    req.unpipe();
    req.on('data', onData).once('end', onEnd).once('close', onClose);
    req.resume();
  });
}
