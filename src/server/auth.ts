// API keys -> tenants. Each key is its own tenant; the tenant id stored with tasks and files is a
// hash of the key, so the database never holds a usable key. With no keys configured there is a
// single tenant, and the service refuses to listen beyond loopback (see index.ts).
// GET /metrics is the operator's, not a tenant's: with API keys it takes its own token
// (DH_METRICS_TOKEN), so a scraper's credential cannot create tasks and a tenant cannot watch
// the others' traffic.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DhError } from '../core/errors.js';

export const LOCAL_TENANT = 'local';

export interface Auth {
  readonly enabled: boolean;
  /** The caller's tenant; throws UNAUTHENTICATED. */
  tenantOf(req: IncomingMessage): string;
  /** The API key of a tenant (it signs that tenant's webhooks), or null. */
  keyOf(tenant: string): string | null;
  /** Throws METRICS_UNAUTHENTICATED unless the caller may read /metrics. */
  checkMetrics(req: IncomingMessage): void;
}

export const tenantId = (key: string): string => `t${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

export function parseApiKeys(raw: string): string[] {
  return raw.split(',').map((k) => k.trim()).filter((k) => k.length > 0);
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The token of an `Authorization: Bearer <token>` header, or why there is none. */
function bearer(req: IncomingMessage): { token: string } | { reason: string } {
  const header = req.headers.authorization;
  if (!header) return { reason: 'no Authorization header' };
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? { token: m[1] } : { reason: 'the Authorization header is not "Bearer <key>"' };
}

export function createAuth(keys: readonly string[], metricsToken = ''): Auth {
  const byTenant = new Map(keys.map((k) => [tenantId(k), k]));
  const hashes = keys.map(digest);
  const metricsHash = metricsToken ? digest(metricsToken) : null;
  return {
    enabled: keys.length > 0,
    tenantOf(req) {
      if (keys.length === 0) return LOCAL_TENANT;
      const b = bearer(req);
      if ('reason' in b) throw new DhError('UNAUTHENTICATED', b);
      // Compare digests in constant time, so response timing does not leak key prefixes.
      const given = digest(b.token);
      const i = hashes.findIndex((h) => timingSafeEqual(h, given));
      if (i < 0) throw new DhError('UNAUTHENTICATED', { reason: 'the API key is not known' });
      return tenantId(keys[i]);
    },
    keyOf: (tenant) => byTenant.get(tenant) ?? null,
    checkMetrics(req) {
      // Without keys the service listens on loopback only, and so do its metrics.
      if (keys.length === 0) return;
      if (!metricsHash) throw new DhError('METRICS_UNAUTHENTICATED', { reason: 'metrics are closed: the service has API keys and DH_METRICS_TOKEN is not set' });
      const b = bearer(req);
      if ('reason' in b) throw new DhError('METRICS_UNAUTHENTICATED', b);
      if (!timingSafeEqual(metricsHash, digest(b.token))) throw new DhError('METRICS_UNAUTHENTICATED', { reason: 'the token is not DH_METRICS_TOKEN' });
    },
  };
}
