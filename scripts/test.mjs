#!/usr/bin/env node
// Runs the whole test suite with Node's own test runner over the compiled tests.
// Integration tests use real ffmpeg, sharp and the face model; they are few and short.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.js') ? [p] : [];
  }).sort();
}

// No import cycles: the stages depend on core, the entry points on the stages, never back.
const madge = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'madge'), ['--circular', '--extensions', 'ts', '--ts-config', 'tsconfig.json', 'src'], { cwd: ROOT, stdio: 'inherit' });
if (madge.status !== 0) {
  process.stderr.write('import cycles found (see above)\n');
  process.exit(1);
}

// Stages import core and the stages below them, never adapters, server, worker, stores or CLI
// (the rule stated in src/core/ports.ts): infrastructure reaches them only through ports.
const { layeringViolations, ALLOWED } = await import('./layering.mjs');
const violations = layeringViolations();
if (violations.length > 0) {
  for (const v of violations) process.stderr.write(`${v}\n`);
  process.stderr.write(`layering broken: ${violations.length} import(s) above reach past their layer (allowed: ${Object.entries(ALLOWED).map(([k, v]) => `${k} -> ${v.join('/') || 'nothing'}`).join('; ')}). Pass the adapter in through a port (src/core/ports.ts) instead.\n`);
  process.exit(1);
}

const filter = process.argv.slice(2);
// Only compiled tests whose TypeScript source still exists: a deleted test must not linger in dist/.
const hasSource = (f) => fs.existsSync(path.join(ROOT, path.relative(path.join(ROOT, 'dist'), f)).replace(/\.js$/, '.ts'));
const files = testFiles(path.join(ROOT, 'dist', 'test')).filter(hasSource).filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
if (files.length === 0) {
  process.stderr.write('no test files found\n');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { cwd: ROOT, stdio: 'inherit' });
// The scale-out suites run against real servers that scripts/test-servers.mjs starts (.ci/run
// wraps this script in it); without them they are skipped, and the run says so last.
const absent = [['DH_TEST_DATABASE_URL', 'PostgreSQL'], ['DH_TEST_REDIS_URL', 'Redis'], ['DH_TEST_S3_ENDPOINT', 'S3']].filter(([v]) => !process.env[v]).map(([, name]) => name);
if (absent.length > 0) process.stderr.write(`\nskipped: the suites that need ${absent.join(', ')} (no test server; npm test starts them)\n`);
process.exit(r.status ?? 1);
