import { api, isLocal, stage, tableName } from './support/target';
import { bearer, createSite, createUser, theOwner, type TestUser } from './support/identity';

describe('gateway', () => {
  it('GET /health answers without dependencies', async () => {
    const res = await api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', service: 'brigade' });
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('GET /status checks every table, topic, the data plane and the broker live', async () => {
    const res = await api('GET', '/status', { headers: bearer(await theOwner()) });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('ok');
    const kinds = res.json.checks.map((c: { kind: string }) => c.kind);
    expect(kinds).toEqual(expect.arrayContaining(['table', 'topic', 'iot-data-plane', ...(isLocal ? ['mqtt-broker'] : [])]));
    // Derived from the stage's resources (tests/unit/config.test.ts), so these are checked too.
    const names = res.json.checks.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining([tableName('notifications'), tableName('revocations'), `brigade-${stage}-notification-email`]));
    for (const check of res.json.checks) {
      expect(check).toMatchObject({ status: 'up', latencyMs: expect.any(Number) });
    }
  });

  it('echoes a valid x-correlation-id and generates one otherwise', async () => {
    const given = await api('GET', '/health', { headers: { 'x-correlation-id': 'trace-123' } });
    expect(given.headers.get('x-correlation-id')).toBe('trace-123');
    const a = await api('GET', '/health');
    const b = await api('GET', '/health');
    expect(a.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers.get('x-correlation-id')).not.toBe(b.headers.get('x-correlation-id'));
  });

  it('unknown route → 404 JSON, never HTML', async () => {
    const res = await api('GET', '/no/such/route');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.json).toEqual({ error: { code: 'NOT_FOUND', message: 'No route for GET /no/such/route' } });
  });

  it('wrong method on a known route → 405 JSON with Allow', async () => {
    const res = await api('DELETE', '/health');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(res.json.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('regression: an unknown path or a wrong method carrying a body still answers 404 / 405 (was 400 "takes no body")', async () => {
    const bodies = [{ body: { any: 'json' } }, { rawBody: 'not json', headers: { 'content-type': 'text/plain' } }, { body: { big: 'x'.repeat(100_000) } }];
    for (const options of bodies) {
      const unknown = await api('POST', '/no/such/route', options);
      expect({ status: unknown.status, code: unknown.json?.error?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      const wrongMethod = await api('PUT', '/health', options);
      expect({ status: wrongMethod.status, code: wrongMethod.json?.error?.code, allow: wrongMethod.headers.get('allow') }).toEqual({
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        allow: 'GET',
      });
    }
  });

  it('answers CORS preflight for known routes', async () => {
    const res = await api('OPTIONS', '/sites/s1/orders', {
      headers: { origin: 'https://pos.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'idempotency-key' },
    });
    expect([200, 204]).toContain(res.status);
    expect(res.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/pos\.example)$/);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
  });
});

// Through a real route with a body, an Idempotency-Key and a path parameter: POST /sites/{siteId}/orders.
describe('handler kit: bad input gets a clear JSON error', () => {
  let path: string;
  let key: Record<string, string>;
  let staff: TestUser;
  const order = { channel: { type: 'takeaway' }, lines: [{ itemId: 'burger', quantity: 1 }] };
  beforeAll(async () => {
    const siteId = await createSite();
    staff = await createUser('staff', [siteId]);
    path = `/sites/${siteId}/orders`;
    key = { 'idempotency-key': 'kit-test-0001', ...bearer(staff) };
  });

  it('malformed JSON → 400', async () => {
    const res = await api('POST', path, { rawBody: '{"channel":', headers: { ...key, 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: 'BAD_REQUEST', message: 'Request body is not valid JSON' } });
  });

  it('schema violation → 400 with field details', async () => {
    const res = await api('POST', path, { body: { ...order, lines: [] }, headers: key });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
    expect(res.json.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'lines' })]);
  });

  it('unknown fields are rejected (strict bodies)', async () => {
    const res = await api('POST', path, { body: { ...order, role: 'owner' }, headers: key });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.error.details)).toContain('role');
  });

  it('invalid path parameter → 400', async () => {
    const res = await api('GET', '/sites/bad%20site/orders/x', { headers: bearer(await theOwner()) });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0]).toMatchObject({ in: 'params', path: 'siteId' });
  });

  it('body over the route limit → 413', async () => {
    const res = await api('POST', path, { body: { ...order, comment: 'x'.repeat(40_000) }, headers: key });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('non-JSON content type → 415', async () => {
    const res = await api('POST', path, { rawBody: 'channel=takeaway', headers: { ...key, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
  });

  it('missing Idempotency-Key on a POST → 400', async () => {
    const res = await api('POST', path, { body: order, headers: bearer(staff) });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/Idempotency-Key/);
  });
});
