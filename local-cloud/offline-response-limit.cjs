'use strict';
// Preloaded into serverless-offline's process only (`node --require`, see offline.ts), so AWS never sees it.
// Lambda refuses a synchronous function's answer past 6 MB ("Response payload size exceeded maximum allowed
// payload size") and API Gateway then answers the client 500 `{"message":"Internal Server Error"}`.
// serverless-offline sends any size, so a route whose answer grows with the data (a whole menu) worked locally
// and failed on AWS. Here an answer past the limit is that 500, with a line in the log saying why. The size is
// measured as Lambda measures it, near enough: the status, headers and body as one JSON document (a body's
// quotes count twice once escaped; a binary body counts as its base64).
// Plain CommonJS because it loads before any TypeScript loader exists in that process.
const hapi = require('@hapi/hapi');

const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

/** The bytes of the answer as a function returns it to Lambda: `{ statusCode, headers, body }`. */
function lambdaResponseBytes(response) {
  const source = response.source;
  const body = Buffer.isBuffer(source) ? source.toString('base64') : typeof source === 'string' ? source : JSON.stringify(source);
  return Buffer.byteLength(JSON.stringify({ statusCode: response.statusCode, headers: response.headers, body }));
}

function refuseOversizedAnswers(request, h) {
  const response = request.response;
  if (!response || response.isBoom || response.source === null || response.source === undefined) return h.continue;
  if (typeof response.source === 'object' && typeof response.source.pipe === 'function') return h.continue; // a stream
  const bytes = lambdaResponseBytes(response);
  if (bytes <= LAMBDA_RESPONSE_LIMIT_BYTES) return h.continue;
  console.error(
    `[local-cloud] ${request.method.toUpperCase()} ${request.path}: the function's answer is ${bytes} bytes; Lambda refuses more than ${LAMBDA_RESPONSE_LIMIT_BYTES}, and API Gateway answers 500`,
  );
  return h.response({ message: 'Internal Server Error' }).code(500).takeover();
}

const createServer = hapi.Server;

/** The same server, answering as API Gateway does when a function's answer passes Lambda's limit. */
function ServerWithResponseLimit(options) {
  const server = createServer(options);
  server.ext('onPreResponse', refuseOversizedAnswers);
  return server;
}

// serverless-offline's `import { Server } from '@hapi/hapi'` reads the CommonJS exports when it first loads, after
// the preloads: it gets this factory (wrapping the other preloads' factories, when they loaded first).
hapi.Server = ServerWithResponseLimit;
hapi.server = ServerWithResponseLimit;

module.exports = { LAMBDA_RESPONSE_LIMIT_BYTES, lambdaResponseBytes, ServerWithResponseLimit };
