// The HTTP service: listens, refuses to expose an unauthenticated service beyond loopback, and
// shuts down cleanly (a render in flight stays "processing" and resumes on the next start).
import http from 'node:http';
import { DhError } from '../core/errors.js';
import type { AddressInfo } from 'node:net';
import type { Config } from '../core/config.js';
import { classifyAddress } from '../net/address-rules.js';
import { createApp, type App, type AppOverrides } from './app.js';
import { redactUrl } from './backends.js';

export interface RunningServer {
  readonly url: string;
  readonly app: App;
  /** Lines worth showing at start (auth mode, recovered tasks). */
  readonly notices: readonly string[];
  close(): Promise<void>;
}

const isLoopbackHost = (host: string): boolean => host === 'localhost' || classifyAddress(host) === 'loopback';

export async function startServer(config: Config, overrides: AppOverrides = {}): Promise<RunningServer> {
  const notices: string[] = [];
  let host = config.host;
  if (!config.apiKeys.trim()) {
    if (!isLoopbackHost(host)) {
      notices.push(`no API keys configured (DH_API_KEYS): refusing to listen on ${host}; listening on 127.0.0.1 only`);
      host = '127.0.0.1';
    } else {
      notices.push('no API keys configured (DH_API_KEYS): no authentication, listening on loopback only');
    }
  }
  // Listening comes first, to learn the service's own URL for the file URLs it hands out; until
  // the app is ready, requests are asked to come back.
  const starting: http.RequestListener = (_req, res) => { res.writeHead(503, { 'retry-after': '1' }); res.end(); };
  const server = http.createServer(starting);
  server.requestTimeout = 10 * 60_000; // big uploads on slow links
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new DhError('PORT_IN_USE', { host, port: config.port, reason: err.code === 'EADDRINUSE' ? 'it is already in use' : err.message }, { cause: err })));
    server.listen(config.port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  // A wildcard bind is reachable on loopback; other names need DH_PUBLIC_URL.
  const shown = addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address === '::' ? '::1' : addr.address;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${addr.port}/`;
  let app: App;
  try {
    app = await createApp(config, config.publicUrl || url, overrides, server);
  } catch (err) {
    server.close();
    throw err;
  }
  if (config.databaseUrl) notices.push(`tasks, avatars and file records in PostgreSQL at ${redactUrl(config.databaseUrl)}`);
  server.off('request', starting).on('request', app.handle);
  const { recovered } = await app.start();
  if (recovered > 0) notices.push(`resuming ${recovered} unfinished task(s) from the previous run`);
  return {
    url,
    app,
    notices,
    close: async () => {
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      await app.close();
    },
  };
}
