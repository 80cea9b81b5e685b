// Serves the built web console (dist/console, made by `vite build` in scripts/setup.mjs) at `/`.
// index.html is revalidated on every load so a new build shows at once; the hashed assets under
// /assets/ never change and are cached for a year. A Content-Security-Policy keeps the page to
// this origin: it loads no fonts, scripts or images from other sites.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'console');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * A handler for GET/HEAD of the console's files: answers true when it served the request, false
 * when the path is not one of them (the caller then answers 404 as before).
 */
export function createConsoleStatic(root = CONSOLE_DIR): (req: IncomingMessage, res: ServerResponse) => boolean {
  const base = path.resolve(root);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://console.invalid').pathname);
    } catch {
      return false;
    }
    if (pathname === '/' || pathname === '/index.html') pathname = '/index.html';
    // Only the built files: top-level ones (favicon) and assets/; no dot-files, no "..".
    if (!/^\/(assets\/)?[\w.-]+$/.test(pathname) || pathname.includes('..') || /\/\./.test(pathname)) return false;
    const file = path.join(base, pathname);
    if (!file.startsWith(base + path.sep)) return false;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      if (pathname !== '/index.html') return false;
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('The web console is not built yet: run `npm run setup` (it runs the Vite build into dist/console).\n');
      return true;
    }
    if (!stat.isFile()) return false;
    const hashed = pathname.startsWith('/assets/');
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers: Record<string, string | number> = {
      'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
      'last-modified': stat.mtime.toUTCString(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (pathname === '/index.html') {
      headers['content-security-policy'] = CONSOLE_CSP;
      headers['x-frame-options'] = 'DENY';
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    headers['content-length'] = stat.size;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') { res.end(); return true; }
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
    return true;
  };
}
