// Every route that takes a body, fed JSON that is not an object (or not JSON at all): a 4xx with a JSON error,
// never a 5xx. Routes come from the generated route table, so a new route is covered the moment it is added.
// Found by a fuzz pass: a body of `0` or `false` was a 500 on every such route, and `null` signed the caller out of
// `POST /auth/logout`: serverless-offline handed such bodies over parsed, where API Gateway hands over text
// (local-cloud/offline-request-body.cjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { misanswered, type Probe } from './support/bad-input';
import { bearer, createSite, theOwner, type TestUser } from './support/identity';
import { api } from './support/target';

const routeTable = JSON.parse(readFileSync(join(__dirname, '../../functions/gateway/route-table.json'), 'utf8')) as Array<{ method: string; path: string }>;
const WITH_BODIES = new Set(['POST', 'PUT', 'PATCH']);

const ODD_BODIES: Record<string, string> = {
  'the number 0': '0',
  'the number 1e400': '1e400',
  false: 'false',
  true: 'true',
  null: 'null',
  'a string': '"text"',
  'a string holding an object': JSON.stringify(JSON.stringify({ name: 'x' })),
  'an array': '[]',
  'an array of objects': '[{"name":"x"}]',
  'truncated JSON': '{"name":',
  'arrays nested 20,000 deep': `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  'objects nested 5,000 deep': `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
};

let siteId: string;
let owner: TestUser;

beforeAll(async () => {
  [siteId, owner] = await Promise.all([createSite(), theOwner()]);
}, 60_000);

it('a body that is not a JSON object is a 4xx with a JSON error on every route that takes one, never a 5xx', async () => {
  const routes = routeTable.filter((route) => WITH_BODIES.has(route.method));
  expect(routes.length).toBeGreaterThan(50);
  const probes = routes.flatMap(({ method, path: template }): Probe[] => {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'siteId' ? siteId : `no-such-${name}`));
    return Object.entries(ODD_BODIES).map(([what, body]) => ({ what: `${method} ${template} with ${what}`, method, path, body }));
  });
  expect(await misanswered(probes, { ...bearer(owner), 'idempotency-key': 'odd-bodies' })).toEqual([]);
}, 180_000);

it('an expectedVersion no record can have is a 400 naming it on every route that takes one (2^53 − 1 was a 500 on four)', async () => {
  const openapi = JSON.parse(readFileSync(join(__dirname, '../../functions/gateway/openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
  };
  const takesVersion = (schema: unknown): boolean => JSON.stringify(schema ?? {}).includes('"expectedVersion"');
  const routes = Object.entries(openapi.paths).flatMap(([template, operations]) =>
    Object.entries(operations)
      .filter(([method, operation]) => WITH_BODIES.has(method.toUpperCase()) && takesVersion(operation.requestBody?.content['application/json']?.schema))
      .map(([method]) => ({ method: method.toUpperCase(), template })),
  );
  expect(routes.length).toBeGreaterThanOrEqual(15);
  const wrong: string[] = [];
  // Ids of the right shape (none exists) and the discriminators of union bodies, so validation reaches the version.
  const WELL_FORMED_IDS: Record<string, string> = { siteId, shiftId: '2026-03-28-0123456789ab' };
  const DISCRIMINATORS: Record<string, object> = { discount: { type: 'percent' }, split: { mode: 'none' } };
  for (const { method, template } of routes) {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => WELL_FORMED_IDS[name] ?? `no-such-${name}`);
    const body = { ...DISCRIMINATORS[template.split('/').at(-1)!], expectedVersion: Number.MAX_SAFE_INTEGER };
    const res = await api(method, path, { body, headers: { ...bearer(owner), 'idempotency-key': 'huge-version' } });
    const named = (res.json?.error?.details as Array<{ path: string }> | undefined)?.some((d) => d.path === 'expectedVersion');
    if (res.status !== 400 || !named) wrong.push(`${method} ${template}: ${res.status} ${res.text.slice(0, 200)}`);
  }
  expect(wrong).toEqual([]);
});

it('text holding a control character or half a surrogate pair is a 400 naming it on every route that takes a body', async () => {
  const routes = routeTable.filter((route) => WITH_BODIES.has(route.method));
  const wrong: string[] = [];
  // Raw JSON text: the escapes are what a client sends.
  // Path ids of the right shape (none exists), so every route reaches its body.
  const WELL_FORMED_IDS: Record<string, string> = {
    siteId,
    shiftId: '2026-03-28-0123456789ab',
    notificationId: '0000000aa-0123456789abcdef',
    incidentId: 'abcdefghi-01234567',
    date: '2030-01-01',
    periodFrom: '2030-01-01',
  };
  const bodies = ['{"note":"bell \\u0007"}', '{"lines":[{"notes":"\\u001b[31mred"}]}', '{"name":"half \\ud83d"}'];
  const queue = routes.flatMap(({ method, path: template }) => bodies.map((rawBody) => ({ method, template, rawBody })));
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let probe = queue.shift(); probe; probe = queue.shift()) {
        const path = probe.template.replace(/\{(\w+)\}/g, (_, name: string) => WELL_FORMED_IDS[name] ?? `no-such-${name}`);
        const res = await api(probe.method, path, { rawBody: probe.rawBody, headers: { ...bearer(owner), 'content-type': 'application/json', 'idempotency-key': 'odd-text-1' } });
        const named = (res.json?.error?.details as Array<{ message: string }> | undefined)?.some((d) => /control characters|surrogate pair/.test(d.message));
        if (res.status !== 400 || !named) wrong.push(`${probe.method} ${probe.template} ${probe.rawBody}: ${res.status} ${res.text.slice(0, 160)}`);
      }
    }),
  );
  expect(wrong).toEqual([]);
}, 180_000);
