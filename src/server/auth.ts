// API keys -> tenants. Each key is its own tenant; the tenant id stored with tasks and files is a
// hash of the key, so the database never holds a usable key. With no keys configured there is a
// single tenant, and the service refuses to listen beyond loopback (see index.ts).
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
}

export const tenantId = (key: string): string => `t${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

export function parseApiKeys(raw: string): string[] {
  return raw.split(',').map((k) => k.trim()).filter((k) => k.length > 0);
}

export function createAuth(keys: readonly string[]): Auth {
  const byTenant = new Map(keys.map((k) => [tenantId(k), k]));
  const hashes = keys.map((k) => createHash('sha256').update(k).digest());
  return {
    enabled: keys.length > 0,
    tenantOf(req) {
      if (keys.length === 0) return LOCAL_TENANT;
      const header = req.headers.authorization;
      if (!header) throw new DhError('UNAUTHENTICATED', { reason: 'no Authorization header' });
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) throw new DhError('UNAUTHENTICATED', { reason: 'the Authorization header is not "Bearer <key>"' });
      // Compare digests in constant time, so response timing does not leak key prefixes.
      const given = createHash('sha256').update(m[1]).digest();
      const i = hashes.findIndex((h) => timingSafeEqual(h, given));
      if (i < 0) throw new DhError('UNAUTHENTICATED', { reason: 'the API key is not known' });
      return tenantId(keys[i]);
    },
    keyOf: (tenant) => byTenant.get(tenant) ?? null,
  };
}
