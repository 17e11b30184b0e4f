import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ACCESS_POLICIES_FILE, readPolicies, readRouteTable, renderAccessPolicies } from '../../scripts/route-table';

// Handlers read their configuration at import; these values only have to be well-formed.
Object.assign(process.env, {
  TABLE_NAME: 't',
  REVOCATIONS_TABLE: 'r',
  EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:events',
  JWT_ISSUER: 'urn:brigade:test',
  JWT_AUDIENCE: 'brigade-api',
  JWKS_PARAMETER_NAME: '/brigade/test/auth/jwks',
  SIGNING_KEYS_SECRET_NAME: 'brigade/test/auth/signing-keys',
  STATUS_TABLES: 't',
  STATUS_TOPICS: 'arn:aws:sns:us-east-1:000000000000:events',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:alerts',
  DEVICE_POLICY_NAME: 'brigade-test-device',
  EMAIL_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:notification-email',
  WEBSOCKET_API_ENDPOINT: 'http://127.0.0.1:3001',
  STAGE: 'test',
});

const routes = readRouteTable();
const policies = readPolicies();

describe('policy table', () => {
  it('has a policy for every route (deny by default otherwise)', () => {
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((key) => !(key in policies));
    expect(missing).toEqual([]);
  });

  it('names no route that does not exist', () => {
    const known = new Set(routes.map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(policies).filter((key) => !known.has(key))).toEqual([]);
  });

  it('keeps each route\'s policy in the domain that serves it', () => {
    expect(routes.filter((r) => policies[`${r.method} ${r.path}`]?.domain !== r.domain).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('the review table docs/access-policies.md is current (run `npm run routes` after changing a policy)', () => {
    expect(readFileSync(ACCESS_POLICIES_FILE, 'utf8')).toBe(renderAccessPolicies());
  });

  it('gives every public route a reason', () => {
    for (const [route, policy] of Object.entries(policies)) {
      if ('public' in policy && policy.public) expect({ route, why: policy.why.length > 10 }).toEqual({ route, why: true });
    }
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: the wired handler declares this same route', async (key, route) => {
    const functions = parse(readFileSync(join(__dirname, '../../functions', route.domain, 'functions.yml'), 'utf8')) as Record<string, { handler: string }>;
    const [file, exported] = functions[route.function]!.handler.split(/\.(?=[^.]+$)/) as [string, string];
    const module = (await import(join(__dirname, '../..', `${file}.ts`))) as Record<string, { declaration?: { route: string } }>;
    expect(module[exported]?.declaration?.route).toBe(key);
  });
});
