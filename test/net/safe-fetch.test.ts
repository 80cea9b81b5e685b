// End-to-end refusals with real sockets, all on loopback: 127.0.0.2 plays a public host,
// 127.0.0.3 a private one. Names resolve through a stub, so no DNS and no traffic leaves the host.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSafeFetcher, createSafeRequester, type ResolvedAddress } from '../../src/adapters/safe-fetch.js';
import { DhError } from '../../src/core/errors.js';
import { classifyAddress } from '../../src/net/address-rules.js';

const PUBLIC_STANDIN = '127.0.0.2';
const classify = (ip: string) => (ip === PUBLIC_STANDIN ? 'public' : classifyAddress(ip));

let publicPort = 0;
let privatePort = 0;
const hits: string[] = [];
const servers: http.Server[] = [];

async function listen(host: string, handler: http.RequestListener): Promise<number> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, host, resolve));
  return (s.address() as AddressInfo).port;
}

const DNS: Record<string, string[]> = {
  'cdn.test': [PUBLIC_STANDIN],
  'intranet.test': ['127.0.0.3'],
  'mixed.test': [PUBLIC_STANDIN, '127.0.0.3'],
  'metadata.test': ['169.254.169.254'],
  'v6.test': ['::1'],
};
let rebind = 0;
async function resolve(host: string): Promise<ResolvedAddress[]> {
  // A rebinding name: public on the first answer, private on every later one.
  if (host === 'rebind.test') return [{ address: rebind++ === 0 ? PUBLIC_STANDIN : '127.0.0.3', family: 4 }];
  const list = DNS[host];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
}

before(async () => {
  publicPort = await listen(PUBLIC_STANDIN, (req, res) => {
    hits.push(`public ${req.url}`);
    if (req.url === '/to-private') { res.writeHead(302, { location: `http://intranet.test:${privatePort}/secret` }); res.end(); return; }
    if (req.url === '/to-literal') { res.writeHead(301, { location: `http://127.0.0.3:${privatePort}/secret` }); res.end(); return; }
    if (req.url === '/to-file') { res.writeHead(302, { location: 'file:///etc/passwd' }); res.end(); return; }
    if (req.url === '/loop') { res.writeHead(302, { location: '/loop' }); res.end(); return; }
    if (req.url === '/to-public') { res.writeHead(302, { location: `http://cdn.test:${publicPort}/ok` }); res.end(); return; }
    if (req.url === '/big') { res.end(Buffer.alloc(5000)); return; }
    if (req.url === '/missing') { res.writeHead(404); res.end(); return; }
    if (req.url === '/slow') { setTimeout(() => res.end('late'), 2000).unref(); return; }
    res.end('hello');
  });
  privatePort = await listen('127.0.0.3', (req, res) => { hits.push(`private ${req.url}`); res.end('secret'); });
});
after(() => { for (const s of servers) s.closeAllConnections(), s.close(); });

const fetcher = createSafeFetcher({ allowPrivate: false, resolve, classify, timeoutMs: 1000, maxRedirects: 3 });
const get = (url: string, maxBytes = 1 << 20) => fetcher.fetch(url, { maxBytes });

async function refused(url: string, id: string, range?: string): Promise<void> {
  const before = hits.filter((h) => h.startsWith('private')).length;
  await assert.rejects(get(url), (e: unknown) => {
    assert.ok(e instanceof DhError, String(e));
    assert.equal(e.id, id, e.message);
    if (range) assert.equal(e.details.range, range);
    return true;
  });
  assert.equal(hits.filter((h) => h.startsWith('private')).length, before, 'the private server was never reached');
}

test('a public host is fetched, also through a redirect to another public URL', async () => {
  assert.equal(Buffer.from(await get(`http://cdn.test:${publicPort}/ok`)).toString(), 'hello');
  assert.equal(Buffer.from(await get(`http://cdn.test:${publicPort}/to-public`)).toString(), 'hello');
});

test('names resolving to private, loopback, link-local or mixed answers are refused before connecting', async () => {
  await refused(`http://intranet.test:${privatePort}/secret`, 'SOURCE_ADDRESS_REFUSED', 'loopback');
  await refused(`http://mixed.test:${privatePort}/secret`, 'SOURCE_ADDRESS_REFUSED', 'loopback');
  await refused(`http://metadata.test:${privatePort}/latest/meta-data`, 'SOURCE_ADDRESS_REFUSED', 'link-local');
  await refused(`http://v6.test:${privatePort}/`, 'SOURCE_ADDRESS_REFUSED', 'loopback');
});

test('IP literals are judged without DNS: 127.0.0.3, 127.0.0.1, [::1], mapped IPv4', async () => {
  await refused(`http://127.0.0.3:${privatePort}/secret`, 'SOURCE_ADDRESS_REFUSED', 'loopback');
  await refused(`http://127.0.0.1:${privatePort}/secret`, 'SOURCE_ADDRESS_REFUSED', 'loopback');
  await refused(`http://[::1]:${privatePort}/`, 'SOURCE_ADDRESS_REFUSED', 'loopback');
  await refused(`http://[::ffff:127.0.0.3]:${privatePort}/`, 'SOURCE_ADDRESS_REFUSED', 'loopback');
  await refused(`http://0x7f000003:${privatePort}/`, 'SOURCE_ADDRESS_REFUSED', 'loopback');
});

test('every redirect hop is checked: to a private name, to a private literal, to file:', async () => {
  await refused(`http://cdn.test:${publicPort}/to-private`, 'SOURCE_ADDRESS_REFUSED');
  await refused(`http://cdn.test:${publicPort}/to-literal`, 'SOURCE_ADDRESS_REFUSED');
  await refused(`http://cdn.test:${publicPort}/to-file`, 'SOURCE_URL_REFUSED');
  await refused(`http://cdn.test:${publicPort}/loop`, 'SOURCE_FETCH_FAILED');
});

test('DNS rebinding: the address connected to is the one that was checked', async () => {
  rebind = 0;
  assert.equal(Buffer.from(await get(`http://rebind.test:${publicPort}/ok`)).toString(), 'hello');
  await refused(`http://rebind.test:${privatePort}/secret`, 'SOURCE_ADDRESS_REFUSED');
});

test('schemes, credentials, size, timeouts and 404 give their catalogue errors', async () => {
  await refused('file:///etc/passwd', 'SOURCE_URL_REFUSED');
  await refused('ftp://cdn.test/x', 'SOURCE_URL_REFUSED');
  await refused(`http://user:pw@cdn.test:${publicPort}/ok`, 'SOURCE_URL_REFUSED');
  await refused('not a url', 'SOURCE_URL_REFUSED');
  await assert.rejects(get(`http://cdn.test:${publicPort}/big`, 1000), { id: 'SOURCE_TOO_LARGE' });
  await assert.rejects(get(`http://cdn.test:${publicPort}/slow`), { id: 'SOURCE_FETCH_FAILED' });
  await assert.rejects(get(`http://cdn.test:${publicPort}/missing`), (e: unknown) => (e as { notFound?: boolean }).notFound === true);
  await assert.rejects(get(`http://nowhere.test:${publicPort}/`), { id: 'SOURCE_FETCH_FAILED' });
});

test('allowPrivate lets loopback through (trusted deployments, tests)', async () => {
  const open = createSafeFetcher({ allowPrivate: true, resolve, timeoutMs: 1000 });
  assert.equal(Buffer.from(await open.fetch(`http://intranet.test:${privatePort}/secret`, { maxBytes: 100 })).toString(), 'secret');
});

test('POST requests do not follow redirects', async () => {
  const request = createSafeRequester({ allowPrivate: false, resolve, classify, timeoutMs: 1000 });
  const hitsBefore = hits.length;
  await assert.rejects(request(`http://cdn.test:${publicPort}/to-public`, { method: 'POST', body: Buffer.from('{}'), maxBytes: 100, followRedirects: false }), { id: 'SOURCE_FETCH_FAILED' });
  assert.equal(hits.length, hitsBefore + 1);
});
