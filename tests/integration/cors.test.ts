// The CORS headers a browser sees, on every kind of response, match serverless.yml's provider.httpApi.cors and
// name each entry once. Regression: locally, serverless-offline and hapi both wrote the exposed headers, so every
// response carried `access-control-expose-headers: x-correlation-id,retry-after,x-correlation-id,retry-after`.
// Responses are sent uncompressed, as an HTTP API sends them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { api, apiUrl } from './support/target';

interface HttpApiCors {
  allowedOrigins: string[];
  allowedHeaders: string[];
  allowedMethods: string[];
  exposedResponseHeaders: string[];
  maxAge: number;
}

const serverlessYml = parse(readFileSync(join(__dirname, '../../serverless.yml'), 'utf8'));

/** Resolves the two variable forms the CORS settings use: `${self:a.b}` and `${env:NAME, 'default'}`. */
function resolveVariables(value: string): string {
  return value.replace(/\$\{(self|env):([^,}]+)(?:,\s*'([^']*)')?\}/g, (whole, source: string, path: string, fallback?: string) => {
    if (source === 'env') return process.env[path.trim()] ?? fallback ?? '';
    const found = path.split('.').reduce((node, key) => node?.[key], serverlessYml);
    if (typeof found !== 'string') throw new Error(`cannot resolve ${whole} in serverless.yml`);
    return resolveVariables(found);
  });
}

const cors = serverlessYml.provider.httpApi.cors as HttpApiCors;
const allowedOrigins = cors.allowedOrigins.map(resolveVariables);
const origin = allowedOrigins.includes('*') ? 'https://pos.example' : allowedOrigins[0]!;

const entries = (value: string) => value.split(',').map((entry) => entry.trim().toLowerCase());
const lowerCased = (list: string[]) => list.map((entry) => entry.toLowerCase()).sort();

/** Every access-control-* header lists each entry once, and says what serverless.yml says. */
function expectCorsHeadersFromConfig(headers: Headers, required: string[]): void {
  const corsHeaders = [...headers.entries()].filter(([name]) => name.startsWith('access-control-'));
  expect(corsHeaders.map(([name]) => name)).toEqual(expect.arrayContaining(required));
  for (const [name, value] of corsHeaders) {
    expect({ name, entries: entries(value) }).toEqual({ name, entries: [...new Set(entries(value))] });
  }
  const expected: Record<string, string[]> = {
    'access-control-expose-headers': lowerCased(cors.exposedResponseHeaders),
    'access-control-allow-headers': lowerCased(cors.allowedHeaders),
    'access-control-allow-methods': lowerCased(cors.allowedMethods),
  };
  for (const [name, list] of Object.entries(expected)) {
    const value = headers.get(name);
    if (value !== null) expect({ name, entries: entries(value).sort() }).toEqual({ name, entries: list });
  }
  // API Gateway answers `*` for a wildcard; serverless-offline echoes the request's origin, which browsers treat alike.
  expect([origin, ...(allowedOrigins.includes('*') ? ['*'] : [])]).toContain(headers.get('access-control-allow-origin'));
  const maxAge = headers.get('access-control-max-age');
  if (maxAge !== null) expect(maxAge).toBe(String(cors.maxAge));
}

describe('CORS headers', () => {
  const onResponses = ['access-control-allow-origin', 'access-control-expose-headers'];

  it('on a success', async () => {
    const res = await api('GET', '/health', { headers: { origin } });
    expect(res.status).toBe(200);
    expectCorsHeadersFromConfig(res.headers, onResponses);
  });

  it('on a 4xx from a handler', async () => {
    const res = await api('POST', '/auth/login', { headers: { origin }, body: { email: 'not-an-email' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
    expectCorsHeadersFromConfig(res.headers, onResponses);
  });

  it('on the 404 fallback', async () => {
    const res = await api('GET', '/no/such/route', { headers: { origin } });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
    expectCorsHeadersFromConfig(res.headers, onResponses);
  });

  it('on a preflight', async () => {
    const res = await api('OPTIONS', '/sites/s1/orders', {
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,idempotency-key' },
    });
    expect([200, 204]).toContain(res.status);
    expectCorsHeadersFromConfig(res.headers, ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers']);
  });
});

describe('compression, as an HTTP API answers', () => {
  it('a large response is sent uncompressed, even to a client that accepts gzip', async () => {
    // An HTTP API never compresses; locally hapi would gzip anything of 1 KB or more (offline-uncompressed.cjs).
    const res = await fetch(`${apiUrl}/openapi.json`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body.length).toBeGreaterThan(1024);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(body));
  });
});
