#!/usr/bin/env node
// Real servers for the scale-out tests: PostgreSQL, Redis and an S3 server (OpenStack Swift with
// its s3api middleware, which checks request signatures as AWS does; the npm s3rver does not).
//
// Usage:
//   node scripts/test-servers.mjs [--require] [--no-install] [--only pg,redis,s3] -- <command> [args...]
//     Installs what is missing from Debian (as root, with apt-get), starts each server on a free
//     loopback port in one temporary directory, runs <command> with the settings below in its
//     environment, then stops the servers by pid, removes the directory and exits with the
//     command's status. Example: node scripts/test-servers.mjs -- node scripts/test.mjs store
//   node scripts/test-servers.mjs [--only ...] --shell
//     Starts them, prints `export ...` lines, and keeps them up until Ctrl-C (for a dev shell:
//     run it in one terminal, paste the exports into another).
//
// Exported to the command:
//   DH_TEST_DATABASE_URL  postgres://dh:<password>@127.0.0.1:<port>/postgres  (password auth is
//                         real: scram-sha-256; the user may CREATE DATABASE, so each test can have
//                         a fresh one)
//   DH_TEST_REDIS_URL     redis://127.0.0.1:<port>
//   DH_TEST_S3_ENDPOINT   http://127.0.0.1:<port>   (path-style addressing: forcePathStyle)
//   DH_TEST_S3_REGION     us-east-1
//   DH_TEST_S3_BUCKET     dh-test (not created: the adapter creates its bucket when missing)
//   DH_TEST_S3_ACCESS_KEY test:tester
//   DH_TEST_S3_SECRET_KEY testing
//   DH_TEST_S3_LIMITED_ACCESS_KEY, DH_TEST_S3_LIMITED_SECRET_KEY  a valid key with no rights on
//                         the buckets (a non-admin tempauth user): for "missing permission" errors
//   DH_TEST_SERVERS       the servers that are up, e.g. "pg,redis,s3"
//
// A server that cannot be installed or started is skipped with a line on stderr (its variables
// are not set and the tests that need it say they skipped), unless --require is given or the
// environment has CI set: then it is an error and the command does not run. Start-up on this
// machine (2 cores): PostgreSQL ~1 s (initdb included), Redis ~0.1 s, Swift ~3-4 s, in parallel,
// so about 3.5 s in all when idle (40 s when other jobs load the cores many times over).
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const opts = dash >= 0 ? argv.slice(0, dash) : argv;
const command = dash >= 0 ? argv.slice(dash + 1) : [];
const flag = (name) => opts.includes(name);
const onlyArg = opts.find((o, i) => opts[i - 1] === '--only') ?? 'pg,redis,s3';
const wanted = new Set(onlyArg.split(',').map((s) => s.trim()).filter(Boolean));
const required = flag('--require') || Boolean(process.env.CI);
const install = !flag('--no-install');
const shell = flag('--shell');
if (!shell && command.length === 0) {
  process.stderr.write('usage: node scripts/test-servers.mjs [--require] [--no-install] [--only pg,redis,s3] (-- <command> [args...] | --shell)\n');
  process.exit(2);
}

const log = (line) => process.stderr.write(`test-servers: ${line}\n`);
const isRoot = process.getuid?.() === 0;
const PG_BIN = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find((d) => fs.existsSync(path.join(d, 'initdb')));
const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null;
/** spawnSync without blocking the other servers' start-up. */
const run = (file, args, o = {}) => new Promise((resolve) => {
  const c = spawn(file, args, { ...o, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  c.stdout.on('data', (d) => { stdout += d; });
  c.stderr.on('data', (d) => { stderr += d; });
  c.on('error', (error) => resolve({ status: null, stdout, stderr, error }));
  c.on('close', (status) => resolve({ status, stdout, stderr }));
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Debian packages each server needs, and whether it is there already. */
const NEEDS = {
  pg: { packages: ['postgresql'], present: () => Boolean(PG_BIN ?? findPgBin()) },
  redis: { packages: ['redis-server'], present: () => Boolean(which('redis-server')) },
  s3: { packages: ['swift-proxy', 'swift-account', 'swift-container', 'swift-object'], present: () => ['swift-proxy-server', 'swift-account-server', 'swift-container-server', 'swift-object-server', 'swift-ring-builder'].every(which) },
};
function findPgBin() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const v = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)).find((d) => fs.existsSync(path.join(root, d, 'bin', 'initdb')));
  return v ? path.join(root, v, 'bin') : null;
}

function installMissing() {
  const missing = [...wanted].filter((s) => NEEDS[s] && !NEEDS[s].present());
  if (missing.length === 0 || !install) return;
  if (!isRoot || !which('apt-get')) {
    log(`cannot install ${missing.join(', ')} (needs root and apt-get)`);
    return;
  }
  const packages = missing.flatMap((s) => NEEDS[s].packages);
  log(`installing ${packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) {
    // A fresh machine's package lists may be stale or absent.
    spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  }
  if (r.status !== 0) log(`apt-get install failed (status ${r.status})`);
}

/**
 * Ports handed out in this run: a port is free only until its server binds it, and the servers
 * start side by side, so the system could give one that was just closed to a second server.
 */
const handedOut = new Set();

async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const s = net.createServer();
      s.unref();
      s.on('error', reject);
      s.listen(0, '127.0.0.1', () => { const { port: p } = s.address(); s.close(() => resolve(p)); });
    });
    if (!handedOut.has(port)) { handedOut.add(port); return port; }
  }
}

async function waitFor(what, check, child, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited during start-up (status ${child.exitCode ?? child.signalCode}); see its log`);
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}
const tcpOpen = (port) => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1');
  s.on('connect', () => { s.destroy(); resolve(true); });
  s.on('error', () => resolve(false));
});
async function httpGet(url, headers = {}) {
  const ac = new AbortController();
  const t = setTimeout(() => ac.abort(), 2000);
  try {
    const r = await fetch(url, { signal: ac.signal, headers });
    return { status: r.status, text: await r.text() };
  } finally { clearTimeout(t); }
}

const started = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-test-servers-'));
fs.chmodSync(dir, 0o755);

/** Spawns a server whose pid is the server itself (no shell between), logging to a file. */
function startProcess(name, file, args, o = {}) {
  const logFile = path.join(dir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(file, args, { stdio: ['ignore', out, out], ...o });
  fs.closeSync(out);
  child.on('error', (e) => log(`${name}: ${e.message}`));
  started.push({ name, child, logFile });
  return child;
}

/** PostgreSQL runs as a non-root user; root hands a data dir to the "postgres" account. */
function pgAccount() {
  if (!isRoot) return {};
  const id = (flagName) => Number(spawnSync('id', [flagName, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  let uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) {
    spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'inherit' });
    uid = id('-u');
  }
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('no non-root "postgres" account to run PostgreSQL as');
  return { uid, gid: id('-g') };
}

async function startPg() {
  const bin = PG_BIN ?? findPgBin();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian package postgresql)');
  const account = pgAccount();
  const home = path.join(dir, 'pg');
  fs.mkdirSync(home);
  const password = crypto.randomBytes(12).toString('hex');
  fs.writeFileSync(path.join(home, 'pw'), password);
  if (account.uid) fs.chownSync(home, account.uid, account.gid);
  const as = { ...account, cwd: home, env: { ...process.env, LC_ALL: 'C' } };
  const init = await run(path.join(bin, 'initdb'), ['-D', path.join(home, 'data'), '-U', 'dh', '--auth=scram-sha-256', `--pwfile=${path.join(home, 'pw')}`, '-E', 'UTF8', '--no-sync'], as);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
  const port = await freePort();
  // fsync off: the data dies with the run anyway, and the tests create many databases.
  const child = startProcess('postgres', path.join(bin, 'postgres'), ['-D', path.join(home, 'data'), '-p', String(port), '-k', home,
    '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'], as);
  await waitFor('postgres', async () => {
    const r = await run(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]);
    return r.status === 0;
  }, child);
  return { DH_TEST_DATABASE_URL: `postgres://dh:${password}@127.0.0.1:${port}/postgres` };
}

async function startRedis() {
  const bin = which('redis-server');
  if (!bin) throw new Error('redis-server is not installed (Debian package redis-server)');
  const home = path.join(dir, 'redis');
  fs.mkdirSync(home);
  const port = await freePort();
  const child = startProcess('redis', bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', home, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes']);
  await waitFor('redis', () => tcpOpen(port), child);
  return { DH_TEST_REDIS_URL: `redis://127.0.0.1:${port}` };
}

async function startSwift() {
  for (const b of ['swift-ring-builder', 'swift-proxy-server', 'swift-account-server', 'swift-container-server', 'swift-object-server']) {
    if (!which(b)) throw new Error(`${b} is not installed (Debian packages swift-proxy swift-account swift-container swift-object)`);
  }
  // Swift reads its hash prefix and storage policies from /etc/swift/swift.conf (Debian's
  // package installs one); rings and server settings live in this run's directory.
  if (!fs.existsSync('/etc/swift/swift.conf')) throw new Error('/etc/swift/swift.conf is missing (it comes with the swift package)');
  const home = path.join(dir, 'swift');
  const devices = path.join(home, 'devices');
  fs.mkdirSync(path.join(devices, 'd1'), { recursive: true });
  const [proxy, account, container, object, memcache] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const user = os.userInfo().username;
  const ring = async (kind, port) => {
    const builder = path.join(home, `${kind}.builder`);
    for (const args of [[builder, 'create', '2', '1', '1'], [builder, 'add', `r1z1-127.0.0.1:${port}/d1`, '1'], [builder, 'rebalance']]) {
      const r = await run('swift-ring-builder', args);
      // rebalance exits 1 with a warning on a one-device ring; the ring is written all the same.
      if (r.status !== 0 && !(args[1] === 'rebalance' && r.status === 1)) throw new Error(`swift-ring-builder ${args.slice(1).join(' ')}: ${r.stdout}${r.stderr}`);
    }
    if (!fs.existsSync(path.join(home, `${kind}.ring.gz`))) throw new Error(`swift-ring-builder wrote no ${kind} ring`);
  };
  await Promise.all([ring('account', account), ring('container', container), ring('object', object)]);
  const common = (port) => `[DEFAULT]\nbind_ip = 127.0.0.1\nbind_port = ${port}\nworkers = 0\nuser = ${user}\nswift_dir = ${home}\ndevices = ${devices}\nmount_check = false\nlog_level = WARNING\n`;
  const storage = (kind, port) => {
    const conf = path.join(home, `${kind}-server.conf`);
    fs.writeFileSync(conf, `${common(port)}\n[pipeline:main]\npipeline = ${kind}-server\n\n[app:${kind}-server]\nuse = egg:swift#${kind}\n`);
    return conf;
  };
  const proxyConf = path.join(home, 'proxy-server.conf');
  // s3api turns S3 requests into Swift ones and hands tempauth a signature check; tempauth's
  // user "test:tester" with key "testing" is the S3 access key and secret. tempauth keeps its
  // tokens in memcache; none runs, so every request is checked afresh (the cache answers misses).
  fs.writeFileSync(proxyConf, `${common(proxy)}
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${memcache}
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
s3_acl = false
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
user_test_reader = reading
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
`);
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  const children = [
    startProcess('swift-account', 'swift-account-server', [storage('account', account)], { env }),
    startProcess('swift-container', 'swift-container-server', [storage('container', container)], { env }),
    startProcess('swift-object', 'swift-object-server', [storage('object', object)], { env }),
  ];
  const proxyChild = startProcess('swift-proxy', 'swift-proxy-server', [proxyConf], { env });
  await Promise.all(children.map((c, i) => waitFor(['swift-account', 'swift-container', 'swift-object'][i], () => tcpOpen([account, container, object][i]), c)));
  await waitFor('swift-proxy', async () => (await httpGet(`http://127.0.0.1:${proxy}/healthcheck`)).text === 'OK', proxyChild);
  // A storage server that could not bind its port has exited, though something may answer there.
  const gone = children.findIndex((c) => c.exitCode !== null || c.signalCode !== null);
  if (gone >= 0) throw new Error(`${['swift-account', 'swift-container', 'swift-object'][gone]} exited during start-up; see its log`);
  // A request signed with the wrong secret must be refused: proof that s3api is in the pipeline
  // and that signatures are checked.
  const forged = await httpGet(`http://127.0.0.1:${proxy}/`, { date: new Date().toUTCString(), authorization: 'AWS test:tester:bm90LXRoZS1zaWduYXR1cmU=' });
  if (forged.status !== 403 || !forged.text.includes('SignatureDoesNotMatch')) throw new Error(`s3api answered a forged signature with ${forged.status}: ${forged.text.slice(0, 200)}`);
  return {
    DH_TEST_S3_ENDPOINT: `http://127.0.0.1:${proxy}`, DH_TEST_S3_REGION: 'us-east-1', DH_TEST_S3_BUCKET: 'dh-test',
    DH_TEST_S3_ACCESS_KEY: 'test:tester', DH_TEST_S3_SECRET_KEY: 'testing',
    DH_TEST_S3_LIMITED_ACCESS_KEY: 'test:reader', DH_TEST_S3_LIMITED_SECRET_KEY: 'reading',
  };
}

let stopping = null;
async function stopAll() {
  stopping ??= (async () => {
    await Promise.all(started.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      const exited = new Promise((r) => child.once('exit', r));
      try { process.kill(child.pid, 'SIGTERM'); } catch { return; }
      const timer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
      await exited;
      clearTimeout(timer);
    }));
    fs.rmSync(dir, { recursive: true, force: true });
  })();
  return stopping;
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { void stopAll().then(() => process.exit(130)); });

async function main() {
  installMissing();
  const starters = { pg: startPg, redis: startRedis, s3: startSwift };
  const env = {};
  const up = [];
  const failed = [];
  const t0 = Date.now();
  await Promise.all([...wanted].map(async (name) => {
    const start = starters[name];
    if (!start) { failed.push(`${name}: unknown server (pg, redis, s3)`); return; }
    const t = Date.now();
    try {
      Object.assign(env, await start());
      up.push(name);
      log(`${name} up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } catch (e) {
      const tail = started.filter((s) => s.name.startsWith(name === 's3' ? 'swift' : name === 'pg' ? 'postgres' : name))
        .map((s) => { try { return fs.readFileSync(s.logFile, 'utf8').split('\n').slice(-8).join('\n'); } catch { return ''; } }).join('\n');
      failed.push(`${name}: ${e.message}${tail.trim() ? `\n${tail}` : ''}`);
    }
  }));
  log(`servers ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${up.sort().join(', ') || 'none'}`);
  if (failed.length) {
    for (const f of failed) log(`${required ? 'FAILED' : 'skipped'} ${f}`);
    if (required) { await stopAll(); process.exit(1); }
  }
  env.DH_TEST_SERVERS = up.sort().join(',');
  if (shell) {
    for (const [k, v] of Object.entries(env)) process.stdout.write(`export ${k}='${v}'\n`);
    log('up until Ctrl-C');
    await new Promise(() => {});
  }
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, ...env, ...(required ? { DH_TEST_REQUIRE_SERVERS: '1' } : {}) } });
  const code = await new Promise((resolve) => {
    child.on('error', (e) => { log(`${command[0]}: ${e.message}`); resolve(127); });
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 + (os.constants.signals[sig] ?? 0) : 1)));
  });
  await stopAll();
  process.exit(code);
}

main().catch(async (e) => { log(e.stack ?? String(e)); await stopAll(); process.exit(1); });
