// The committed OpenAPI document must be exactly what the schemas and catalogue generate, and
// must document every error code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ERRORS } from '../../src/core/errors.js';
import { buildOpenApi } from '../../src/server/openapi.js';
import { CreateParam } from '../../src/server/schemas.js';
import { spawnSync } from 'node:child_process';
import { SPEC_OPTIONS, specOptionTable } from '../../src/spec/index.js';
import { CLI, ROOT } from '../helpers.js';

test('docs/openapi.json matches the generated document (run `node scripts/openapi.mjs` after changing schemas or errors)', () => {
  const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'openapi.json'), 'utf8'));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(buildOpenApi())));
});

test('docs/api.md carries the option table made from the spec\'s definitions (run `node scripts/openapi.mjs` after changing an option)', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');
  const table = specOptionTable();
  assert.ok(doc.includes(`<!-- spec-options:start -->\n${table}\n<!-- spec-options:end -->`), 'docs/api.md\'s option table differs from specOptionTable()');
  for (const o of SPEC_OPTIONS) assert.ok(table.includes(`\`${o.name}\``), o.name);
});

test('every spec option is a field of the API\'s param with the same schema, and a CLI flag where it has one', () => {
  for (const o of SPEC_OPTIONS) assert.equal(CreateParam.shape[o.name as keyof typeof CreateParam.shape], o.schema, o.name);
  const r = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  for (const o of SPEC_OPTIONS) if (o.cli) assert.ok(r.stdout.includes(o.cli.flag), `dh --help shows ${o.cli.flag}`);
});

test('the document lists every catalogue error with a unique code and its meaning', () => {
  const listed = (buildOpenApi()['x-error-catalogue'] as { id: string; code: number; meaning: string }[]);
  assert.deepEqual(listed.map((e) => e.id).sort(), Object.keys(ERRORS).sort());
  assert.equal(new Set(listed.map((e) => e.code)).size, listed.length);
  for (const e of listed) assert.ok(e.meaning.length > 10, e.id);
});

test('the request schema is the one the document shows: the spec\'s fields, duration bounded', () => {
  const doc = buildOpenApi() as { components: { schemas: { CreateParam: { properties: Record<string, { minimum?: number; maximum?: number }>; required: string[] } } } };
  const p = doc.components.schemas.CreateParam;
  for (const f of ['imageUrl', 'audioUrl', 'duration', 'resizeMode', 'prompt', 'watermark', 'isNewAvatar', 'avatarId']) assert.ok(p.properties[f], f);
  assert.deepEqual([p.properties.duration.minimum, p.properties.duration.maximum], [1, 180]);
  assert.deepEqual(p.required, ['duration']);
  assert.equal(CreateParam.safeParse({ duration: 181 }).success, false);
});
