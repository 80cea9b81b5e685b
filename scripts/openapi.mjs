#!/usr/bin/env node
// Regenerates docs/openapi.json from the request schemas and the error catalogue (build first).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { buildOpenApi } = await import(path.join(ROOT, 'dist', 'src', 'server', 'openapi.js'));
fs.writeFileSync(path.join(ROOT, 'docs', 'openapi.json'), `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
process.stderr.write('wrote docs/openapi.json\n');
