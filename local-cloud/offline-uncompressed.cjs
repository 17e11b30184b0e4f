'use strict';
// Preloaded into serverless-offline's process only (`node --require`, see offline.ts), so AWS never sees it.
// hapi compresses every response of 1 KB or more that a client accepts compressed (fetch always offers gzip), so
// locally each order or menu came back gzipped: CPU spent in the local stack and in its client that API Gateway
// does not spend, since an HTTP API never compresses (a REST API only with minimumCompressionSize set). Every hapi
// server serverless-offline makes (HTTP API, WebSocket API, Lambda invoke endpoint) is made with compression off.
// Plain CommonJS because it loads before any TypeScript loader exists in that process.
const hapi = require('@hapi/hapi');

const createServer = hapi.Server;

/** hapi's Server is a factory (`new` returns the server it builds): the same, with `compression: false`. */
function UncompressedServer(options) {
  return createServer({ ...options, compression: false });
}

// serverless-offline's `import { Server } from '@hapi/hapi'` reads the CommonJS exports when it first loads, after
// this preload: it gets this factory.
hapi.Server = UncompressedServer;
hapi.server = UncompressedServer;

module.exports = { UncompressedServer };
