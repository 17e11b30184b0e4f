// The preload (offline-response-limit.cjs) on a real hapi server, the kind serverless-offline makes: an answer
// past Lambda's 6 MB is API Gateway's 500, one within it passes untouched.
// tests/integration/orders-bad-input.test.ts pages a menu that would pass it.
import type { Server } from '@hapi/hapi';

const { LAMBDA_RESPONSE_LIMIT_BYTES, ServerWithResponseLimit } = require('../offline-response-limit.cjs') as {
  LAMBDA_RESPONSE_LIMIT_BYTES: number;
  ServerWithResponseLimit: (options: object) => Server;
};

let server: Server;
const errors: string[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  server = ServerWithResponseLimit({ host: '127.0.0.1', port: 0 });
  // A JSON body of `size` bytes, as a function returns it: text with a content type.
  server.route({
    method: 'GET',
    path: '/text/{size}',
    handler: (request, h) => h.response(`"${'a'.repeat(Number(request.params.size) - 2)}"`).type('application/json'),
  });
  server.route({ method: 'GET', path: '/quotes/{count}', handler: (request, h) => h.response(JSON.stringify(Array(Number(request.params.count)).fill(''))).type('application/json') });
  server.route({ method: 'GET', path: '/binary/{size}', handler: (request, h) => h.response(Buffer.alloc(Number(request.params.size))) });
  await server.start();
});

afterAll(async () => {
  await server.stop();
  jest.restoreAllMocks();
});

const get = async (path: string) => {
  const res = await fetch(`${server.info.uri}${path}`);
  return { status: res.status, body: await res.text() };
};

it('an answer within 6 MB passes untouched', async () => {
  const res = await get(`/text/${LAMBDA_RESPONSE_LIMIT_BYTES - 1000}`);
  expect(res.status).toBe(200);
  expect(res.body).toHaveLength(LAMBDA_RESPONSE_LIMIT_BYTES - 1000);
});

it('an answer past 6 MB is a 500 with API Gateway’s body, and the log says why', async () => {
  const res = await get(`/text/${LAMBDA_RESPONSE_LIMIT_BYTES + 1}`);
  expect(res).toEqual({ status: 500, body: '{"message":"Internal Server Error"}' });
  expect(errors.at(-1)).toMatch(/GET \/text\/\d+: the function's answer is \d+ bytes; Lambda refuses more than 6291456/);
});

it('measures the body as Lambda does: escaped quotes count twice, a binary body as its base64', async () => {
  // 1.3 M empty strings: a 3.9 MB body, 6.5 MB once each quote is escaped inside Lambda's JSON.
  expect((await get('/quotes/1300000')).status).toBe(500);
  expect((await get('/quotes/600000')).status).toBe(200);
  // 4.8 MB of bytes are 6.4 MB of base64.
  expect((await get(`/binary/${4_800_000}`)).status).toBe(500);
  expect((await get(`/binary/${4_000_000}`)).status).toBe(200);
});
