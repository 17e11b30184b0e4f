import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { protectedRoutes, publicRoutes } from '#shared/http';
import { EVERYONE } from '#shared/policies';

// A policy table of test routes, bound the way each domain binds its own.
const testPolicies = {
  'POST /things/{thingId}': { public: true, why: 'a test route that anyone may call' },
  'GET /bare': { public: true, why: 'a test route that takes no body' },
  'GET /me': { roles: EVERYONE },
} as const;
const httpRoute = protectedRoutes(testPolicies);
const publicRoute = publicRoutes(testPolicies);
import { ConflictError, TooManyRequestsError } from '#shared/errors';

function event(overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /things/{thingId}',
    rawPath: '/things/t1',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: { thingId: 't1' },
    requestContext: { http: { method: 'POST', path: '/things/t1' }, requestId: 'r1' } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
    ...overrides,
  };
}
const context = { awsRequestId: 'a1', getRemainingTimeInMillis: () => 3000 } as unknown as Context;

const route = publicRoute(
  {
    route: 'POST /things/{thingId}',
    params: z.object({ thingId: z.string().regex(/^t\d+$/) }),
    body: z.strictObject({ name: z.string().min(1), count: z.number().int().min(0) }),
    bodyLimit: 100,
  },
  async ({ params, body }) => {
    if (body.name === 'conflict') throw new ConflictError('already there');
    if (body.name === 'slow down') throw new TooManyRequestsError(2.2);
    if (body.name === 'crash') throw new Error('secret database password in stack');
    return { status: 201, body: { id: params.thingId, ...body } };
  },
);

const call = async (e: APIGatewayProxyEventV2) => {
  const result = await route(e, context);
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
};

describe('httpRoute', () => {
  it('parses, validates and serialises a good request', async () => {
    const res = await call(event({ body: JSON.stringify({ name: 'fridge', count: 2 }) }));
    expect(res.statusCode).toBe(201);
    expect(res.json).toEqual({ id: 't1', name: 'fridge', count: 2 });
    expect(res.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
  });

  it('decodes base64 bodies', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'b64', count: 1 })).toString('base64');
    const res = await call(event({ body, isBase64Encoded: true }));
    expect(res.statusCode).toBe(201);
  });

  it.each([
    ['malformed JSON', event({ body: '{"name":' }), 400, 'BAD_REQUEST'],
    ['missing body', event({ body: undefined }), 400, 'BAD_REQUEST'],
    ['wrong type', event({ body: JSON.stringify({ name: 'x', count: 'two' }) }), 400, 'VALIDATION_FAILED'],
    ['unknown field', event({ body: JSON.stringify({ name: 'x', count: 1, admin: true }) }), 400, 'VALIDATION_FAILED'],
    ['bad path param', event({ pathParameters: { thingId: 'x' }, body: JSON.stringify({ name: 'x', count: 1 }) }), 400, 'VALIDATION_FAILED'],
    ['too large', event({ body: JSON.stringify({ name: 'x'.repeat(200), count: 1 }) }), 413, 'PAYLOAD_TOO_LARGE'],
    ['not JSON', event({ headers: { 'content-type': 'text/plain' }, body: 'hi' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['conflict', event({ body: JSON.stringify({ name: 'conflict', count: 1 }) }), 409, 'CONFLICT'],
  ])('%s → %i %s', async (_name, e, status, code) => {
    const res = await call(e);
    expect(res.statusCode).toBe(status);
    expect(res.json.error.code).toBe(code);
    expect(typeof res.json.error.message).toBe('string');
  });

  it('429 carries Retry-After in whole seconds', async () => {
    const res = await call(event({ body: JSON.stringify({ name: 'slow down', count: 1 }) }));
    expect(res.statusCode).toBe(429);
    expect(res.headers?.['retry-after']).toBe('3');
  });

  it('an unexpected error is a generic 500 with the correlation id and no internals', async () => {
    const res = await call(event({ headers: { 'content-type': 'application/json', 'x-correlation-id': 'c-1' }, body: JSON.stringify({ name: 'crash', count: 1 }) }));
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error', correlationId: 'c-1' } });
    expect(res.body).not.toContain('password');
  });

  it('field errors say where and what', async () => {
    const res = await call(event({ body: JSON.stringify({ name: '', count: -1 }) }));
    expect(res.json.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'body', path: 'name' }),
        expect.objectContaining({ in: 'body', path: 'count' }),
      ]),
    );
  });

  it('refuses text holding control characters or half a surrogate pair, naming where; tab and line breaks pass', async () => {
    const send = (name: string) => route(event({ body: JSON.stringify({ name, count: 1 }) }), context);
    expect(JSON.parse((await send('a\tb\nc\r\nd 漢 😀')).body!).name).toBe('a\tb\nc\r\nd 漢 😀');
    for (const odd of ['\u0000', 'bell \u0007', '\u001b[31m', 'del \u007f', '\ud800', 'x\udc00']) {
      const res = await send(odd);
      expect({ odd, status: res.statusCode }).toEqual({ odd, status: 400 });
      expect(JSON.parse(res.body!).error.details).toEqual([{ in: 'body', path: 'name', message: expect.stringMatching(/control characters|surrogate/) }]);
    }
    // Keys too, and deep in arrays: the walk does not recurse, so nesting thousands deep is no stack overflow.
    const roomy = publicRoute({ route: 'POST /things/{thingId}', body: z.unknown(), bodyLimit: 100_000 }, async () => ({ status: 204 }));
    const deep = (inner: string) => roomy(event({ body: `${'['.repeat(5000)}${inner}${']'.repeat(5000)}` }), context);
    expect((await deep('"\u0001"')).statusCode).toBe(400);
    expect((await deep('"fine"')).statusCode).toBe(204);
    const key = await route(event({ body: '{"na\\u0002me":"x","count":1}' }), context);
    expect(JSON.parse(key.body!).error.details[0]).toMatchObject({ path: 'na\u0002me' });
  });

  it('rejects a body on a route that takes none', async () => {
    const bare = publicRoute({ route: 'GET /bare' }, async () => ({ body: { ok: true } }));
    const res = await bare(event({ body: '{}' }), context);
    expect(res.statusCode).toBe(400);
  });

  it('the fallback route never reads the body: its 404/405 wins over whatever a request carries', async () => {
    const fallback = publicRoute({ route: '$default' }, async () => ({ status: 404, body: { answered: true } }));
    for (const body of ['{"a":1}', 'not json', 'x'.repeat(200_000)]) {
      const res = await fallback(event({ body, headers: { 'content-type': 'text/plain' } }), context);
      expect({ status: res.statusCode, body: res.body }).toEqual({ status: 404, body: '{"answered":true}' });
    }
  });

  it('sets no CORS headers: API Gateway adds them from provider.httpApi.cors and ignores a function\'s', async () => {
    const res = await call(event({ headers: { 'content-type': 'application/json', origin: 'https://pos.example' }, body: JSON.stringify({ name: 'a', count: 1 }) }));
    expect(res.statusCode).toBe(201);
    expect(Object.keys(res.headers ?? {}).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('ignores a correlation id that could inject into logs or headers', async () => {
    const res = await call(event({ headers: { 'content-type': 'application/json', 'x-correlation-id': 'bad\nid' }, body: JSON.stringify({ name: 'a', count: 1 }) }));
    expect(res.headers?.['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('deny by default', () => {
  beforeAll(() => {
    Object.assign(process.env, {
      JWT_ISSUER: 'https://brigade.test',
      JWT_AUDIENCE: 'brigade-api',
      REVOCATIONS_TABLE: 'revocations',
    });
  });

  it('a protected route without a bearer token → 401 before anything else is looked at', async () => {
    const me = httpRoute({ route: 'GET /me', body: z.strictObject({ x: z.number() }) }, async () => ({ body: 'never' }));
    const res = await me(event({ headers: {}, body: 'not json at all' }), context);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['www-authenticate']).toBe('Bearer');
  });

  it.each(['Basic abc', 'Bearer', 'Bearer not-a-jwt', 'bearer a.b.c extra'])('malformed Authorization %p → 401', async (authorization) => {
    const me = httpRoute({ route: 'GET /me' }, async () => ({ body: 'never' }));
    const res = await me(event({ headers: { authorization }, body: undefined }), context);
    expect(res.statusCode).toBe(401);
  });

  it('a route with no policy answers 403 whatever the caller sends', async () => {
    const unlisted = httpRoute({ route: 'GET /not/in/policies' as never }, async () => ({ body: 'never' }));
    const res = await unlisted(event({ body: undefined }), context);
    expect(res.statusCode).toBe(403);
  });

  it('a public handler on a protected policy is refused', async () => {
    const sneaky = publicRoute({ route: 'GET /me' }, async () => ({ body: 'never' }));
    const res = await sneaky(event({ body: undefined }), context);
    expect(res.statusCode).toBe(403);
  });
});
