'use strict';
// Preloaded into serverless-offline's process only (`node --require`, see offline.ts), so AWS never sees it.
// For an HTTP API, serverless-offline 14 sets the CORS headers in its hapi onPreResponse extension, then hapi's
// route `cors` settings (made from the same provider.httpApi.cors) append `exposedHeaders` once more while the
// response is marshalled, after every extension has run: `access-control-expose-headers: a,b,a,b`. No hapi
// extension point comes later, so the lists are cleaned where Node writes the header. API Gateway sends each
// entry once. Plain CommonJS because it loads before any TypeScript loader exists in that process.
const { ServerResponse } = require('node:http');

const CORS_LIST_HEADERS = new Set(['access-control-expose-headers', 'access-control-allow-headers', 'access-control-allow-methods']);

/** "a,b, A,c" → "a,b,c": first spelling kept, header names and methods compared case-insensitively. */
function withoutDuplicateEntries(list) {
  const seen = new Set();
  const kept = [];
  for (const entry of list.split(',')) {
    const trimmed = entry.trim();
    if (!trimmed || seen.has(trimmed.toLowerCase())) continue;
    seen.add(trimmed.toLowerCase());
    kept.push(trimmed);
  }
  return kept.join(',');
}

const setHeader = ServerResponse.prototype.setHeader;
ServerResponse.prototype.setHeader = function setHeaderWithoutDuplicateCorsEntries(name, value) {
  const cleaned = typeof value === 'string' && CORS_LIST_HEADERS.has(String(name).toLowerCase()) ? withoutDuplicateEntries(value) : value;
  return setHeader.call(this, name, cleaned);
};

module.exports = { withoutDuplicateEntries };
