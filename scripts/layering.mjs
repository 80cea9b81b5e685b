// The layering rule of src/core/ports.ts, enforced: the pipeline's stages import core (and the
// render specification, which is core's data) and the stages below them, never the adapters,
// the service, the worker, the stores or the CLI. Infrastructure reaches a stage only through
// the ports it is handed. Prints each offending import; exits 1 when there is one.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');

// Each stage may import these folders besides its own. The order is the pipeline's:
// ingest -> analyze -> animate -> render -> encode, and pipeline wires them all.
const BASE = ['core', 'spec'];
export const ALLOWED = {
  core: [],
  spec: ['core'],
  encode: [...BASE],
  ingest: [...BASE, 'encode'],
  analyze: [...BASE],
  animate: [...BASE, 'analyze'],
  render: [...BASE, 'analyze', 'animate'],
  pipeline: [...BASE, 'ingest', 'analyze', 'animate', 'render', 'encode'],
};

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Offending imports as "file: imports target". */
export function layeringViolations() {
  const out = [];
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    const dir = path.join(SRC, layer);
    if (!fs.existsSync(dir)) continue;
    for (const file of files(dir)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2];
        const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
        if (target === layer || target.startsWith('..')) continue;
        if (!allowed.includes(target)) out.push(`${path.relative(ROOT, file)}: imports ${spec} (${layer} may import ${[layer, ...allowed].join(', ')})`);
      }
    }
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const v = layeringViolations();
  for (const line of v) process.stderr.write(`${line}\n`);
  process.exit(v.length ? 1 : 0);
}
