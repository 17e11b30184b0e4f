import { document } from './openapi';
import { publicRoute } from './policies';

// No CDN is reachable from every place this runs, so the page carries its own small renderer and the document
// itself: tags → operations → parameters, body schema and responses. It fetches nothing.
const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;color:#1d2327}
h2{border-bottom:2px solid #ccd;padding-bottom:.2rem;margin-top:2rem}
details{border:1px solid #dde;border-radius:6px;margin:.4rem 0;background:#fafbfc}
summary{cursor:pointer;padding:.4rem .6rem;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}
.get{color:#1a7f37}.post{color:#0550ae}.put,.patch{color:#9a6700}.delete{color:#cf222e}
.lock{color:#777;font-size:.85em}
.op{padding:0 1rem 1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #dde;padding:.25rem .5rem;text-align:left;vertical-align:top}
pre{background:#f0f2f4;padding:.6rem;overflow:auto;font-size:.85em}
`;

const SCRIPT = `
const doc = JSON.parse(document.getElementById('openapi').textContent);
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
};
const resolve = (ref) => ref.slice(2).split('/').reduce((o, k) => o[k], doc);
const main = document.getElementById('api');
main.append(el('h1', {}, doc.info.title + ' ' + doc.info.version), el('p', {}, doc.info.description || ''));
main.append(el('p', {}, 'Servers: ' + (doc.servers || []).map((s) => s.url).join(', ') + ' · ', el('a', { href: 'openapi.json' }, 'openapi.json')));
for (const tag of doc.tags || []) {
  const section = el('section', { id: tag.name }, el('h2', {}, tag.name), el('p', {}, tag.description || ''));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!(op.tags || []).includes(tag.name)) continue;
      const body = el('div', { class: 'op' });
      for (const line of (op.description || '').split('\\n\\n')) body.append(el('p', {}, line));
      if ((op.parameters || []).length) {
        const table = el('table', {}, el('tr', {}, el('th', {}, 'name'), el('th', {}, 'in'), el('th', {}, 'required'), el('th', {}, 'schema')));
        for (const p of op.parameters) table.append(el('tr', {}, el('td', {}, p.name), el('td', {}, p.in), el('td', {}, p.required ? 'yes' : ''), el('td', {}, el('code', {}, JSON.stringify(p.schema)))));
        body.append(el('h4', {}, 'Parameters'), table);
      }
      const json = op.requestBody && op.requestBody.content['application/json'];
      if (json) body.append(el('h4', {}, 'Request body (application/json)'), el('pre', {}, JSON.stringify(json.schema, null, 2)));
      const responses = el('table', {}, el('tr', {}, el('th', {}, 'status'), el('th', {}, 'meaning')));
      for (const [status, response] of Object.entries(op.responses || {})) {
        responses.append(el('tr', {}, el('td', {}, status), el('td', {}, (response.$ref ? resolve(response.$ref) : response).description)));
      }
      body.append(el('h4', {}, 'Responses'), responses);
      const lock = (op.security || []).length ? el('span', { class: 'lock' }, ' bearer') : el('span', { class: 'lock' }, ' public');
      section.append(el('details', {}, el('summary', {}, el('span', { class: 'm ' + method }, method), ' ' + path, lock), body));
    }
  }
  main.append(section);
}
`;

/** A self-contained page; `<` in the embedded document is escaped so nothing in it can close the script tag. */
export function renderDocsPage(openApi: unknown): string {
  const embedded = JSON.stringify(openApi).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    '<title>Brigade API</title>',
    `<style>${STYLE}</style></head><body><main id="api"><noscript>This page needs JavaScript; the document is at openapi.json.</noscript></main>`,
    `<script type="application/json" id="openapi">${embedded}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

const page = renderDocsPage(document);

export const handler = publicRoute({ route: 'GET /docs' }, async () => ({
  rawBody: page,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  },
}));
