'use strict';
// Preloaded into serverless-offline's process only (`node --require`, see offline.ts), so AWS never sees it.
// API Gateway hands a function the request body as text, whatever it holds. serverless-offline 14 parses a JSON
// body itself and builds the event from the parsed value, falling back to the text only when that value is an
// object or an array: a body of `0` or `false` reached the function as a number or a boolean (a 500), `null` as no
// body at all (`POST /auth/logout` with the body `null` signed the caller out, where API Gateway's text "null" is a
// 400), and a JSON string as the string's content (the body `"{\"name\":\"x\"}"` arrived as an object's JSON).
// Here a JSON body that parses to anything but an object or an array is kept as a String object of its text:
// truthy and not a string, so serverless-offline falls back to the text, as API Gateway sends it.
// Plain CommonJS because it loads before any TypeScript loader exists in that process.
const hapi = require('@hapi/hapi');

/**
 * `request.payload` as an accessor: a value other than an object or an array, assigned once serverless-offline
 * has kept the text (`request.rawPayload`), is stored as that text, boxed.
 */
function keepPrimitiveBodiesAsText(request) {
  let payload = request.payload;
  Object.defineProperty(request, 'payload', {
    configurable: true,
    enumerable: true,
    get: () => payload,
    set: (value) => {
      const text = request.rawPayload;
      // A String object, not a string: what makes serverless-offline use the text.
      const parsedToAPrimitive = value !== undefined && (value === null || typeof value !== 'object');
      payload = parsedToAPrimitive && typeof text === 'string' && text !== '' ? new String(text) : value;
    },
  });
}

const createServer = hapi.Server;

/** The same server, with the accessor put on every request before its handler runs. */
function ServerWithTextBodies(options) {
  const server = createServer(options);
  server.ext('onPreHandler', (request, h) => {
    keepPrimitiveBodiesAsText(request);
    return h.continue;
  });
  return server;
}

// serverless-offline's `import { Server } from '@hapi/hapi'` reads the CommonJS exports when it first loads, after
// the preloads: it gets this factory (wrapping offline-uncompressed.cjs's, when that one loaded first).
hapi.Server = ServerWithTextBodies;
hapi.server = ServerWithTextBodies;

module.exports = { keepPrimitiveBodiesAsText };
