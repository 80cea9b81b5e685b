// Task-finished notifications to a client's callbackUrl. The body is signed with HMAC-SHA256 so
// the receiver can check it came from us (same scheme as GitHub's X-Hub-Signature-256), and
// delivery is retried with exponential backoff, a bounded number of times.
import { createHmac } from 'node:crypto';
import type { SafeRequest, SafeResponse } from '../adapters/safe-fetch.js';
import { DhError } from '../core/errors.js';

export const SIGNATURE_HEADER = 'x-dh-signature';

export const signBody = (secret: string, body: string | Uint8Array): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface WebhookOptions {
  readonly request: (url: string, req: SafeRequest) => Promise<SafeResponse>;
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export const WEBHOOK_DEFAULTS = Object.freeze({ attempts: 5, baseDelayMs: 2000 });

/** Resolves with the number of attempts used, or rejects after the last failed one. */
export async function deliverWebhook(url: string, payload: unknown, secret: string | null, opts: WebhookOptions): Promise<number> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'image-digital-human-webhook/1' };
  if (secret) headers[SIGNATURE_HEADER] = signBody(secret, body);
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms).unref()));
  let last = '';
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    try {
      const res = await opts.request(url, { method: 'POST', headers, body: Buffer.from(body), maxBytes: 64 * 1024, followRedirects: false, field: 'callbackUrl' });
      if (res.status >= 200 && res.status < 300) return attempt;
      last = `HTTP ${res.status}`;
      // A client error other than timeout/rate limit will not change on retry.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) break;
    } catch (err) {
      last = (err as Error).message;
      if (err instanceof DhError && !err.retryable) break;
    }
    if (attempt < opts.attempts) await sleep(opts.baseDelayMs * 2 ** (attempt - 1));
  }
  opts.log?.(`webhook ${url} failed: ${last}`);
  throw new Error(`webhook ${url} failed: ${last}`);
}
