// Downloads an input URL with a timeout, a size limit and a bounded number of redirects.
// The task service swaps in a fetcher that also refuses private addresses.
import { DhError } from '../core/errors.js';
import type { SourceFetcher } from '../core/ports.js';

export const FETCH_LIMITS = Object.freeze({ timeoutMs: 30_000, maxRedirects: 5 });

export function createHttpFetcher(): SourceFetcher {
  return {
    async fetch(url, { maxBytes, signal }) {
      const timeout = AbortSignal.timeout(FETCH_LIMITS.timeoutMs);
      const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let current = url;
      for (let hop = 0; hop <= FETCH_LIMITS.maxRedirects; hop++) {
        let res: Response;
        try {
          res = await fetch(current, { redirect: 'manual', signal: both });
        } catch (err) {
          if (signal?.aborted) throw new DhError('CANCELLED');
          const reason = timeout.aborted ? `no answer within ${FETCH_LIMITS.timeoutMs / 1000} s` : ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
          throw new DhError('SOURCE_FETCH_FAILED', { url, reason });
        }
        if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
          current = new URL(res.headers.get('location')!, current).toString();
          if (!/^https?:/i.test(current)) throw new DhError('SOURCE_FETCH_FAILED', { url, reason: `redirect to a non-http URL (${current})` });
          continue;
        }
        if (res.status === 404 || res.status === 410) throw Object.assign(new DhError('SOURCE_FETCH_FAILED', { url, reason: `HTTP ${res.status}` }), { notFound: true });
        if (!res.ok || !res.body) throw new DhError('SOURCE_FETCH_FAILED', { url, reason: `HTTP ${res.status}` });
        const declared = Number(res.headers.get('content-length') ?? 0);
        if (declared > maxBytes) throw new DhError('SOURCE_TOO_LARGE', { source: url, limit: maxBytes });
        const chunks: Uint8Array[] = [];
        let size = 0;
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.length;
          if (size > maxBytes) throw new DhError('SOURCE_TOO_LARGE', { source: url, limit: maxBytes });
          chunks.push(chunk);
        }
        return Buffer.concat(chunks);
      }
      throw new DhError('SOURCE_FETCH_FAILED', { url, reason: `more than ${FETCH_LIMITS.maxRedirects} redirects` });
    },
  };
}
