// The .http subset the examples use (examples/http-file.ts), and the runner's pass/fail rule (examples/runner.ts)
// against a local HTTP server of this test.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpFileError, jsonPath, parseHttpFile, resolveTemplate, type RecordedResponse, type ResolveContext } from '../../examples/http-file';
import { runHttpText } from '../../examples/runner';

const EXAMPLES = join(__dirname, '../../examples');

describe('parseHttpFile', () => {
  const text = [
    '# A file comment, not a request.',
    '@baseUrl = http://127.0.0.1:3000',
    '@token = {{login.response.body.$.accessToken}}',
    '',
    '###',
    '# Sign in.',
    '# @name login',
    'POST {{baseUrl}}/auth/login HTTP/1.1',
    'Content-Type: application/json',
    '',
    '{',
    '  "email": "a@b.example"',
    '}',
    '',
    '### second',
    '// Refused without a token.',
    '# @expect 401 403',
    'GET {{baseUrl}}/status',
    '',
    '###',
    '# @retry-until $.items[0].id',
    'GET {{baseUrl}}/items',
    'Authorization: Bearer {{token}}',
  ].join('\n');

  it('reads variables, named requests, descriptions, headers, bodies and directives', () => {
    const file = parseHttpFile(text);
    expect([...file.variables]).toEqual([
      ['baseUrl', 'http://127.0.0.1:3000'],
      ['token', '{{login.response.body.$.accessToken}}'],
    ]);
    expect(file.requests).toEqual([
      {
        line: 8,
        name: 'login',
        description: 'Sign in.',
        expect: [],
        retryUntil: undefined,
        method: 'POST',
        url: '{{baseUrl}}/auth/login',
        headers: [['Content-Type', 'application/json']],
        body: '{\n  "email": "a@b.example"\n}',
      },
      { line: 18, name: undefined, description: 'Refused without a token.', expect: [401, 403], retryUntil: undefined, method: 'GET', url: '{{baseUrl}}/status', headers: [] },
      {
        line: 22,
        name: undefined,
        description: undefined,
        expect: [],
        retryUntil: '$.items[0].id',
        method: 'GET',
        url: '{{baseUrl}}/items',
        headers: [['Authorization', 'Bearer {{token}}']],
      },
    ]);
  });

  it('refuses what it does not understand, naming the line', () => {
    expect(() => parseHttpFile('###\nFETCH /x')).toThrow(/line 2: expected "METHOD url"/);
    expect(() => parseHttpFile('###\n# @expect teapot\nGET /x')).toThrow(/line 2: @expect takes HTTP statuses/);
    expect(() => parseHttpFile('###\n# @timeout 5\nGET /x')).toThrow(/unknown directive @timeout/);
    expect(() => parseHttpFile('###\n# @retry-until items\nGET /x')).toThrow(/JSON path starting with \$/);
    expect(() => parseHttpFile('###\n# @name lonely\n')).toThrow(/directives without a request/);
    expect(() => parseHttpFile('###\nGET /x\nnot a header\n')).toThrow(/line 3: expected a "Name: value" header/);
  });

  it('parses every example file', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.http'));
    expect(files.sort()).toEqual(['gateway.http', 'inventory.http', 'iot.http', 'notifications.http', 'orders.http', 'staff.http', 'users.http']);
    for (const file of files) {
      const parsed = parseHttpFile(readFileSync(join(EXAMPLES, file), 'utf8'));
      expect({ file, baseUrl: parsed.variables.get('baseUrl') }).toEqual({ file, baseUrl: 'http://127.0.0.1:3000' });
      // Every request says what it shows, except the steps of a sequence introduced by the one before.
      expect(parsed.requests.filter((r) => r.description).length).toBeGreaterThan(parsed.requests.length - 2);
    }
  });
});

describe('resolveTemplate', () => {
  const login: RecordedResponse = {
    status: 200,
    headers: new Headers({ location: '/orders/o1' }),
    text: '{"accessToken":"t0k","user":{"sites":["demo-bistro"]},"totals":{"balance":1234}}',
    json: { accessToken: 't0k', user: { sites: ['demo-bistro'] }, totals: { balance: 1234 } },
  };
  const context = (env: Record<string, string> = {}): ResolveContext => ({
    variables: new Map([
      ['baseUrl', 'http://h:1'],
      ['auth', 'Bearer {{login.response.body.$.accessToken}}'],
      ['loop', '{{loop}}'],
    ]),
    responses: new Map([['login', login]]),
    env,
  });

  it('resolves file variables through other variables and named responses', () => {
    expect(resolveTemplate('{{baseUrl}}/me {{ auth }}', context())).toBe('http://h:1/me Bearer t0k');
    expect(resolveTemplate("{{login.response.body.$.user.sites[0]}} {{login.response.body.$['user'].sites}}", context())).toBe(
      'demo-bistro ["demo-bistro"]',
    );
    expect(resolveTemplate('{ "amount": {{login.response.body.$.totals.balance}} }', context())).toBe('{ "amount": 1234 }');
    expect(resolveTemplate('{{login.response.headers.Location}}', context())).toBe('/orders/o1');
    expect(resolveTemplate('{{login.response.body.*}}', context())).toBe(login.text);
  });

  it('system variables: fresh uuids and numbers each time, the environment', () => {
    const [a, b] = [resolveTemplate('{{$guid}}', context()), resolveTemplate('{{$random.uuid}}', context())];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b).not.toBe(a);
    expect(resolveTemplate('{{$uuid}}', context())).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(resolveTemplate('{{$timestamp}}', context()))).toBeCloseTo(Date.now() / 1000, -1);
    const n = Number(resolveTemplate('{{$randomInt 10 12}}', context()));
    expect([10, 11]).toContain(n);
    expect(resolveTemplate('{{$processEnv SECRET}}', context({ SECRET: 's3' }))).toBe('s3');
  });

  it('fails on anything it cannot resolve instead of sending it as is', () => {
    expect(() => resolveTemplate('{{nope}}', context())).toThrow(HttpFileError);
    expect(() => resolveTemplate('{{other.response.body.$.x}}', context())).toThrow(/no response of a request named "other"/);
    expect(() => resolveTemplate('{{login.response.body.$.missing}}', context())).toThrow(/nothing at \$.missing/);
    expect(() => resolveTemplate('{{login.response.headers.Etag}}', context())).toThrow(/no Etag header/);
    expect(() => resolveTemplate('{{$processEnv UNSET_FOR_SURE}}', context())).toThrow(/UNSET_FOR_SURE is not set/);
    expect(() => resolveTemplate('{{$randomInt 5 5}}', context())).toThrow(/min < max/);
    expect(() => resolveTemplate('{{$datetime iso8601}}', context())).toThrow(/unsupported system variable/);
    expect(() => resolveTemplate('{{loop}}', context())).toThrow(/deeper than/);
  });
});

describe('jsonPath', () => {
  it('follows keys and indexes, undefined where nothing is', () => {
    const value = { a: [{ b: 1 }, { b: null }], 'odd key': true };
    expect(jsonPath(value, '$')).toBe(value);
    expect(jsonPath(value, '$.a[1].b')).toBeNull();
    expect(jsonPath(value, "$['odd key']")).toBe(true);
    expect(jsonPath(value, '$.a[2].b')).toBeUndefined();
    expect(jsonPath(value, '$.a.b')).toBeUndefined();
    expect(jsonPath(undefined, '$.a')).toBeUndefined();
    expect(() => jsonPath(value, 'a.b')).toThrow(/starts with \$/);
    expect(() => jsonPath(value, '$.a[*]')).toThrow(/unsupported JSON path step/);
  });
});

describe('runHttpText', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];
  let inboxCalls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (req.url === '/login') return json(200, { accessToken: 'abc' });
        if (req.url === '/orders') return json(201, { orderId: 'o-1', totals: { balance: 995 } });
        if (req.url === '/inbox') return json(200, { notifications: ++inboxCalls < 3 ? [] : [{ id: 'n1' }] });
        if (req.url === '/missing') return json(404, { error: { code: 'NOT_FOUND' } });
        return json(500, { error: { code: 'INTERNAL' } });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
    inboxCalls = 0;
  });

  const file = [
    '@baseUrl = http://127.0.0.1:1',
    '###',
    '# @name login',
    'POST {{baseUrl}}/login',
    'Content-Type: application/json',
    '',
    '{ "password": "{{$processEnv PW}}" }',
    '###',
    '# @name order',
    'POST {{baseUrl}}/orders',
    'Authorization: Bearer {{login.response.body.$.accessToken}}',
    'Idempotency-Key: {{$guid}}',
    '',
    '{ "amount": {{order0}} }',
    '###',
    '# @expect 404',
    'GET {{baseUrl}}/missing',
    '###',
    '# @retry-until $.notifications[0].id',
    'GET {{baseUrl}}/inbox',
  ].join('\n');

  it('sends each request in order with resolved variables, overrides and headers, and passes', async () => {
    const lines: string[] = [];
    const run = await runHttpText(file, { baseUrl, variables: { order0: '7' }, env: { PW: 'pw' }, log: (l) => lines.push(l), retryTimeoutMs: 5_000 });
    expect(run.passed).toBe(true);
    expect(lines).toEqual(['POST /login → 200', 'POST /orders → 201', 'GET /missing → 404', 'GET /inbox → 200']);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /login', 'POST /orders', 'GET /missing', 'GET /inbox', 'GET /inbox', 'GET /inbox']);
    expect(JSON.parse(seen[0]!.body)).toEqual({ password: 'pw' });
    expect(seen[1]!.headers).toMatchObject({ authorization: 'Bearer abc', 'idempotency-key': expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(JSON.parse(seen[1]!.body)).toEqual({ amount: 7 });
    expect((run.responses.get('order')!.json as any).orderId).toBe('o-1');
  });

  it('fails, and stops the file, on a non-2xx that was not expected', async () => {
    const lines: string[] = [];
    const text = `###\nGET ${baseUrl}/boom\n###\nGET ${baseUrl}/login`;
    const run = await runHttpText(text, { log: (l) => lines.push(l) });
    expect(run.passed).toBe(false);
    expect(run.outcomes).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET \/boom → 500\n {4}✗ expected a 2xx: \{"error"/);
    expect(seen).toHaveLength(1);
  });

  it('fails when an expected error does not come, even on a 2xx', async () => {
    const run = await runHttpText(`###\n# @expect 401\nGET ${baseUrl}/login`);
    expect(run.outcomes[0]).toMatchObject({ status: 200, passed: false, problem: expect.stringMatching(/^expected 401:/) });
  });

  it('fails on an unresolvable template before sending anything', async () => {
    const run = await runHttpText(`###\nGET ${baseUrl}/login\nAuthorization: Bearer {{nobody.response.body.$.token}}`);
    expect(run.outcomes[0]).toMatchObject({ passed: false, problem: expect.stringMatching(/line 2: .*no response of a request named "nobody"/) });
    expect(seen).toHaveLength(0);
  });

  it('gives up a @retry-until after its timeout', async () => {
    const run = await runHttpText(`###\n# @retry-until $.never\nGET ${baseUrl}/login`, { retryTimeoutMs: 600 });
    expect(run.outcomes[0]).toMatchObject({ status: 200, passed: false, problem: expect.stringMatching(/^nothing at \$.never after 0.6 s/) });
    expect(seen.length).toBeGreaterThan(1);
  });

  it('reports an unreachable server as a failure, not a crash', async () => {
    const run = await runHttpText('###\nGET http://127.0.0.1:1/health');
    expect(run.outcomes[0]).toMatchObject({ passed: false, problem: expect.stringMatching(/^no response from http:\/\/127.0.0.1:1/) });
  });
});
