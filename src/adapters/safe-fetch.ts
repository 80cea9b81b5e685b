// HTTP(S) requests to URLs that users name (input media, webhooks), guarded against server-side
// request forgery: http(s) only, no credentials in URLs, bounded time, size and redirects, and
// every address connected to - after DNS resolution, on every redirect - must be public.
// The check sits in the socket's `lookup` hook, so the address checked is the address
// connected to; a second DNS answer (rebinding) never gets a say.
// See OWASP's SSRF prevention cheat sheet.
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { DhError } from '../core/errors.js';
import type { SourceFetcher } from '../core/ports.js';
import { classifyAddress, type AddressRange } from '../net/address-rules.js';

export interface ResolvedAddress { readonly address: string; readonly family: number }

export interface SafeFetchOptions {
  /** Lets loopback/private addresses through (DH_ALLOW_PRIVATE_URLS=1). */
  readonly allowPrivate: boolean;
  readonly timeoutMs?: number;
  readonly maxRedirects?: number;
  /** Name resolution; tests stub it so no real DNS or non-loopback traffic is involved. */
  readonly resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** Address verdict; tests pass one that treats a designated loopback address as public. */
  readonly classify?: (address: string) => AddressRange;
}

export interface SafeRequest {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /** Redirects are followed for GET only; a webhook POST must not be re-aimed by its target. */
  readonly followRedirects?: boolean;
  /** Field name for error messages (imageUrl, callbackUrl...). */
  readonly field?: string;
}

export interface SafeResponse { readonly status: number; readonly body: Buffer; readonly url: string }

const DEFAULTS = { timeoutMs: 30_000, maxRedirects: 5 };

const systemResolve = async (hostname: string): Promise<ResolvedAddress[]> =>
  dns.lookup(hostname, { all: true, verbatim: true });

/** Refuses anything but an absolute http(s) URL without user:password. */
export function checkUrl(raw: string, field = 'url'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DhError('SOURCE_URL_REFUSED', { field, url: raw.slice(0, 200), reason: 'it is not an absolute URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DhError('SOURCE_URL_REFUSED', { field, url: raw.slice(0, 200), reason: `scheme ${url.protocol} is not allowed` });
  }
  if (url.username || url.password) {
    throw new DhError('SOURCE_URL_REFUSED', { field, url: url.host, reason: 'credentials in URLs are not accepted' });
  }
  return url;
}

export function createSafeRequester(options: SafeFetchOptions) {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxRedirects = options.maxRedirects ?? DEFAULTS.maxRedirects;
  const resolve = options.resolve ?? systemResolve;
  const classify = options.classify ?? classifyAddress;

  const refuse = (url: string, address: string): DhError | null => {
    if (options.allowPrivate) return null;
    const range = classify(address);
    return range === 'public' ? null : new DhError('SOURCE_ADDRESS_REFUSED', { url, address, range });
  };

  /** `lookup` for http.request: resolve, judge every answer, hand back only checked addresses. */
  const guardedLookup = (url: string): LookupFunction => (hostname, opts, callback) => {
    resolve(hostname).then((answers) => {
      if (answers.length === 0) throw new DhError('SOURCE_FETCH_FAILED', { url, reason: `${hostname} has no address` });
      // Every answer must pass: a name with one public and one private answer is a rebinding setup.
      for (const a of answers) { const e = refuse(url, a.address); if (e) throw e; }
      const wanted = opts.family === 4 || opts.family === 6 ? answers.filter((a) => a.family === opts.family) : answers;
      const list = wanted.length > 0 ? wanted : answers;
      if (opts.all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, list);
      else callback(null, list[0].address, list[0].family);
    }).catch((err: Error) => callback(err as NodeJS.ErrnoException, '', 0));
  };

  function once(url: URL, req: SafeRequest, signal: AbortSignal): Promise<{ status: number; location?: string; body: Buffer }> {
    const href = url.toString();
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal)) { const e = refuse(href, literal); if (e) return Promise.reject(e); }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolvePromise, reject) => {
      const r = lib.request(url, {
        method: req.method ?? 'GET', headers: req.headers, signal, lookup: guardedLookup(href),
        // A fresh connection per request: an agent's pooled socket would skip the lookup check.
        agent: false,
      });
      r.on('socket', (socket) => {
        socket.once('connect', () => {
          // Belt and braces: judge the peer the kernel actually connected us to.
          const e = socket.remoteAddress ? refuse(href, socket.remoteAddress) : null;
          if (e) r.destroy(e);
        });
      });
      r.on('error', reject);
      r.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          return resolvePromise({ status, location: res.headers.location, body: Buffer.alloc(0) });
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > req.maxBytes) { res.destroy(); return reject(new DhError('SOURCE_TOO_LARGE', { source: href, limit: req.maxBytes })); }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > req.maxBytes) { res.destroy(); reject(new DhError('SOURCE_TOO_LARGE', { source: href, limit: req.maxBytes })); return; }
          chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => resolvePromise({ status, body: Buffer.concat(chunks) }));
      });
      r.end(req.body);
    });
  }

  return async function request(raw: string, req: SafeRequest): Promise<SafeResponse> {
    const field = req.field ?? 'url';
    let url = checkUrl(raw, field);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      let res;
      try {
        res = await once(url, req, signal);
      } catch (err) {
        if (err instanceof DhError) throw err;
        if (req.signal?.aborted) throw new DhError('CANCELLED');
        const reason = timeout.aborted ? `no complete answer within ${timeoutMs / 1000} s` : (err as Error).message;
        throw new DhError('SOURCE_FETCH_FAILED', { url: raw, reason });
      }
      if (res.location !== undefined) {
        if (req.followRedirects === false) throw new DhError('SOURCE_FETCH_FAILED', { url: raw, reason: `HTTP ${res.status} redirect not followed` });
        url = checkUrl(new URL(res.location, url).toString(), field);
        continue;
      }
      return { status: res.status, body: res.body, url: url.toString() };
    }
    throw new DhError('SOURCE_FETCH_FAILED', { url: raw, reason: `more than ${maxRedirects} redirects` });
  };
}

/** SourceFetcher for the pipeline: GET with redirects; 404/410 mark "not found". */
export function createSafeFetcher(options: SafeFetchOptions): SourceFetcher {
  const request = createSafeRequester(options);
  return {
    async fetch(url, { maxBytes, signal }) {
      const res = await request(url, { maxBytes, signal });
      if (res.status === 404 || res.status === 410) {
        throw Object.assign(new DhError('SOURCE_FETCH_FAILED', { url, reason: `HTTP ${res.status}` }), { notFound: true });
      }
      if (res.status < 200 || res.status >= 300) throw new DhError('SOURCE_FETCH_FAILED', { url, reason: `HTTP ${res.status}` });
      return new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.byteLength);
    },
  };
}
