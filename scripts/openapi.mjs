#!/usr/bin/env node
// Regenerates docs/openapi.json from the request schemas and the error catalogue, and the render
// specification's option table in docs/api.md (build first).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildOpenApi } = await import(path.join(ROOT, 'dist', 'src', 'server', 'openapi.js'));
fs.writeFileSync(path.join(ROOT, 'docs', 'openapi.json'), `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
process.stderr.write('wrote docs/openapi.json\n');

// The option table of docs/api.md, from the same definitions.
const { specOptionTable } = await import(path.join(ROOT, 'dist', 'src', 'spec', 'index.js'));
const doc = path.join(ROOT, 'docs', 'api.md');
const text = fs.readFileSync(doc, 'utf8');
const table = /(<!-- spec-options:start -->\n)[\s\S]*?(<!-- spec-options:end -->)/;
if (!table.test(text)) throw new Error('docs/api.md lost its <!-- spec-options:start/end --> markers');
fs.writeFileSync(doc, text.replace(table, (_, start, end) => `${start}${specOptionTable()}\n${end}`));
process.stderr.write('wrote the option table in docs/api.md\n');
