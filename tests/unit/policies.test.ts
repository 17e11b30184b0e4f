import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ACCESS_POLICIES_FILE, readPolicies, readRouteTable, renderAccessPolicies } from '../../scripts/route-table';
import { resolveService } from '../../local-cloud/service-definition';

// Handlers read their configuration at import. They get the environment the stage declares (provider + every
// function's, as `osls print` resolves it), not a hand list: a variable a handler needs that no function declares
// fails its import here. What the test process sets itself (LOG_LEVEL) stays.
beforeAll(async () => {
  const service = await resolveService('local', { ...process.env, BRIGADE_BUNDLER: 'none' });
  type Declares = { environment?: Record<string, unknown> };
  for (const declares of [service.provider, ...Object.values(service.functions)] as Declares[]) {
    for (const [name, value] of Object.entries(declares.environment ?? {})) {
      if (typeof value === 'string') process.env[name] ??= value;
    }
  }
}, 60_000);

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
