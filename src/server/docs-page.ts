// GET /docs: a self-contained reference page rendered from the OpenAPI document (no CDN scripts;
// the service may run without internet access).
const esc = (s: unknown): string => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

type Doc = { info: { title: string; description: string }; paths: Record<string, Record<string, { summary?: string; description?: string; requestBody?: unknown; parameters?: unknown[] }>>; components: { schemas: Record<string, unknown> }; 'x-error-catalogue': { id: string; code: number; http: number; retryable: boolean; meaning: string }[] };

export function renderDocsPage(doc: Record<string, unknown>): string {
  const d = doc as unknown as Doc;
  const ops = Object.entries(d.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => `
<section><h3><code>${m.toUpperCase()} ${esc(p)}</code></h3><p>${esc(op.summary)}</p>${op.description ? `<p>${esc(op.description)}</p>` : ''}
${op.parameters ? `<details><summary>parameters</summary><pre>${esc(JSON.stringify(op.parameters, null, 2))}</pre></details>` : ''}
${op.requestBody ? `<details><summary>request body</summary><pre>${esc(JSON.stringify(op.requestBody, null, 2))}</pre></details>` : ''}</section>`)).join('\n');
  const errors = d['x-error-catalogue'].map((e) => `<tr><td>${e.code}</td><td><code>${e.id}</code></td><td>${e.http}</td><td>${e.retryable ? 'yes' : 'no'}</td><td>${esc(e.meaning)}</td></tr>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(d.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em}pre{background:#f4f4f4;padding:.8em;overflow:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}</style></head>
<body><h1>${esc(d.info.title)}</h1><p>${esc(d.info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>
<h2>Endpoints</h2>${ops}
<h2>The create endpoint's <code>param</code> object</h2><pre>${esc(JSON.stringify(d.components.schemas.CreateParam, null, 2))}</pre>
<h2>Error codes</h2><table><tr><th>code</th><th>id</th><th>HTTP</th><th>retry helps</th><th>meaning</th></tr>${errors}</table>
</body></html>`;
}
