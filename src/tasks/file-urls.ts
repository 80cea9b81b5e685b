// The URLs the service hands out for its files: `<base>/files/<key>?sig=<hmac>`. The signature
// (HMAC-SHA256 of the key, truncated to 128 bits) makes a URL a capability, so a browser's
// <video> can stream it without an API key, while keys stay unguessable across tenants.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const FILES_PREFIX = '/files/';

export interface FileUrls {
  /** Absolute signed URL for a media key. */
  urlFor(key: string): string;
  /** Signed path without the origin (for Location headers and relative use). */
  pathFor(key: string): string;
  verify(key: string, sig: string | null): boolean;
  /** The media key a URL of this service points at (relative or with our origin), else null. */
  keyOf(url: string): string | null;
}

export function createFileUrls(secret: Uint8Array, baseUrl: string): FileUrls {
  const base = new URL(baseUrl);
  const sign = (key: string) => createHmac('sha256', secret).update(key).digest('base64url').slice(0, 22);
  const pathFor = (key: string) => `${FILES_PREFIX}${key}?sig=${sign(key)}`;
  return {
    pathFor,
    urlFor: (key) => new URL(pathFor(key), base).toString(),
    verify(key, sig) {
      if (!sig) return false;
      const want = Buffer.from(sign(key));
      const got = Buffer.from(sig);
      return got.length === want.length && timingSafeEqual(got, want);
    },
    keyOf(raw) {
      let url: URL;
      try {
        url = new URL(raw, base);
      } catch {
        return null;
      }
      if (url.origin !== base.origin || !url.pathname.startsWith(FILES_PREFIX)) return null;
      const key = decodeURIComponent(url.pathname.slice(FILES_PREFIX.length));
      return key.length > 0 ? key : null;
    },
  };
}
