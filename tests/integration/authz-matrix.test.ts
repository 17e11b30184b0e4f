// The route × role × object matrix (OWASP API1 BOLA, API3 property-level authorization, API5 BFLA).
// Routes come from the generated route table and their rules from the policy table, so a new route is covered
// the moment it is added; then explicit cases for the object checks that only the users domain can make.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy } from '../../functions/shared/policies';
import { readPolicies } from '../../scripts/route-table';
import { api, uniqueId } from './support/target';
import { bearer, createSite, createUser, type Role, type TestUser } from './support/identity';
import { publishAlert, publishOrderReady, waitForNotification } from './support/notifications';

const ROLES: readonly Role[] = ['owner', 'manager', 'staff'];
const routeTable = JSON.parse(readFileSync(join(__dirname, '../../functions/gateway/route-table.json'), 'utf8')) as Array<{ method: string; path: string }>;
const routeKeys = routeTable.map((r) => `${r.method} ${r.path}`);
const policyTable: Record<string, Policy> = readPolicies();
type ProtectedPolicy = Exclude<Policy, { public: true }>;
const protectedRoutes = routeKeys
  .filter((key) => policyTable[key] && policyTable[key].public !== true)
  .map((key) => [key, policyTable[key] as ProtectedPolicy] as const);
const publicRoutes = routeKeys.filter((key) => policyTable[key]?.public === true);

/** `METHOD /path/{param}` → a concrete request: {siteId} is the given site, any other id a random one. */
function request(route: string, siteId: string) {
  const [method, template] = route.split(' ') as [string, string];
  let path = template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'siteId' ? siteId : `x${uniqueId('id').replace(/-/g, '')}`.slice(0, 40)));
  if ((policyTable[route] as ProtectedPolicy).site === 'query') path += `?siteId=${siteId}`;
  return { method, path };
}

function call(route: string, siteId: string, user?: TestUser) {
  const { method, path } = request(route, siteId);
  return api(method, path, { headers: user ? bearer(user) : {} });
}

const FORBIDDEN = { status: 403, code: 'FORBIDDEN' };
const outcome = (res: Awaited<ReturnType<typeof api>>) => ({ status: res.status, code: res.json?.error?.code });

let siteA: string;
let siteB: string;
const users = {} as Record<Role, TestUser>;

beforeAll(async () => {
  [siteA, siteB] = await Promise.all([createSite(), createSite()]);
  const made = await Promise.all(ROLES.map((role) => createUser(role, [siteA])));
  ROLES.forEach((role, i) => (users[role] = made[i]!));
}, 120_000);

describe('the policy table covers exactly the routes that exist', () => {
  it('every route in the route table has a policy', () => {
    expect(routeKeys.filter((key) => !policyTable[key])).toEqual([]);
  });

  it('every policy names a route that exists', () => {
    expect(Object.keys(policyTable).filter((key) => !routeKeys.includes(key))).toEqual([]);
  });

  it('a protected policy names at least one role, and `site` only where the path or query can carry it', () => {
    for (const [route, policy] of protectedRoutes) {
      expect({ route, roles: policy.roles.length > 0 }).toEqual({ route, roles: true });
      if (policy.site === 'path') expect({ route, hasSiteParam: route.includes('{siteId}') }).toEqual({ route, hasSiteParam: true });
    }
  });
});

describe('public routes answer without a token', () => {
  it.each(publicRoutes)('%s → not 401/403', async (route) => {
    const [method, path] = route.split(' ') as [string, string];
    const res = await api(method, path);
    expect([401, 403]).not.toContain(res.status);
  });
});

describe.each(protectedRoutes)('%s', (route, policy) => {
  it('no token → 401 JSON', async () => {
    const res = await call(route, siteA);
    expect(outcome(res)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  const refused = ROLES.filter((role) => !policy.roles.includes(role));
  if (refused.length > 0) {
    it(`roles outside the policy (${refused.join(', ')}) → 403`, async () => {
      for (const role of refused) expect({ role, ...outcome(await call(route, siteA, users[role])) }).toEqual({ role, ...FORBIDDEN });
    });
  }

  if (policy.site) {
    const members = policy.roles.filter((role) => role !== 'owner');
    if (members.length > 0) {
      it(`${members.join(', ')} of site A naming site B (${policy.site}) → 403; naming site A → past the site check`, async () => {
        for (const role of members) {
          expect({ role, ...outcome(await call(route, siteB, users[role])) }).toEqual({ role, ...FORBIDDEN });
          const own = await call(route, siteA, users[role]);
          expect({ role, refused: [401, 403].includes(own.status) }).toEqual({ role, refused: false });
        }
      });
    }
    if (policy.roles.includes('owner')) {
      it('owners belong to every site: site B → past the site check', async () => {
        const res = await call(route, siteB, users.owner);
        expect([401, 403]).not.toContain(res.status);
      });
    }
  }
});

describe('object-level checks (BOLA, BFLA, property level)', () => {
  let staffA2: TestUser;
  let staffB: TestUser;
  let managerA2: TestUser;
  beforeAll(async () => {
    [staffA2, staffB, managerA2] = await Promise.all([createUser('staff', [siteA]), createUser('staff', [siteB]), createUser('manager', [siteA])]);
  }, 120_000);

  it('staff read themselves (200) but not a colleague of the same site (404, not 403)', async () => {
    const self = await api('GET', `/users/${users.staff.userId}`, { headers: bearer(users.staff) });
    expect(self.status).toBe(200);
    expect(self.json).toMatchObject({ userId: users.staff.userId, role: 'staff' });
    const other = await api('GET', `/users/${staffA2.userId}`, { headers: bearer(users.staff) });
    expect(outcome(other)).toEqual({ status: 404, code: 'NOT_FOUND' });
    const missing = await api('GET', `/users/no-such-user`, { headers: bearer(users.staff) });
    expect(other.json).toEqual(missing.json);
  });

  it('a manager of A sees staff of A, but staff of B only is 404', async () => {
    expect((await api('GET', `/users/${staffA2.userId}`, { headers: bearer(users.manager) })).status).toBe(200);
    expect(outcome(await api('GET', `/users/${staffB.userId}`, { headers: bearer(users.manager) }))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('a manager of A cannot list the users of site B (403); owners can', async () => {
    expect(outcome(await api('GET', `/users?siteId=${siteB}`, { headers: bearer(users.manager) }))).toEqual(FORBIDDEN);
    const own = await api('GET', `/users?siteId=${siteA}`, { headers: bearer(users.manager) });
    expect(own.status).toBe(200);
    const byOwner = await api('GET', `/users?siteId=${siteB}`, { headers: bearer(users.owner) });
    expect(byOwner.status).toBe(200);
    expect(byOwner.json.users.map((u: { userId: string }) => u.userId)).toContain(staffB.userId);
  });

  it('a manager cannot change or deactivate a manager or an owner (403), nor themselves', async () => {
    for (const target of [managerA2, users.owner, users.manager]) {
      const patched = await api('PATCH', `/users/${target.userId}`, { body: { name: 'Renamed' }, headers: bearer(users.manager) });
      expect({ target: target.role, ...outcome(patched) }).toEqual({ target: target.role, ...FORBIDDEN });
    }
    expect(outcome(await api('POST', `/users/${users.owner.userId}/deactivate`, { headers: bearer(users.manager) }))).toEqual(FORBIDDEN);
    expect(outcome(await api('POST', `/users/${managerA2.userId}/deactivate`, { headers: bearer(users.manager) }))).toEqual(FORBIDDEN);
    expect((await api('GET', '/me', { headers: bearer(managerA2) })).json.name).not.toBe('Renamed');
  });

  it('a manager cannot promote staff to manager, nor move them to a site the manager is not in (403)', async () => {
    const promote = await api('PATCH', `/users/${staffA2.userId}`, { body: { role: 'manager' }, headers: bearer(users.manager) });
    expect(outcome(promote)).toEqual(FORBIDDEN);
    const move = await api('PATCH', `/users/${staffA2.userId}`, { body: { sites: [siteB] }, headers: bearer(users.manager) });
    expect(outcome(move)).toEqual(FORBIDDEN);
    const unchanged = await api('GET', `/users/${staffA2.userId}`, { headers: bearer(users.owner) });
    expect(unchanged.json).toMatchObject({ role: 'staff', sites: [siteA] });
  });

  it('a manager invites staff to their own site (201) but not a manager (403), nor staff to site B (403)', async () => {
    const invite = (body: object) => api('POST', '/invites', { body: { email: `${uniqueId('inv')}@tests.example`, ...body }, headers: bearer(users.manager) });
    expect((await invite({ role: 'staff', sites: [siteA] })).status).toBe(201);
    expect(outcome(await invite({ role: 'manager', sites: [siteA] }))).toEqual(FORBIDDEN);
    expect(outcome(await invite({ role: 'owner', sites: [] }))).toEqual(FORBIDDEN);
    expect(outcome(await invite({ role: 'staff', sites: [siteB] }))).toEqual(FORBIDDEN);
    expect(outcome(await invite({ role: 'staff', sites: [siteA, siteB] }))).toEqual(FORBIDDEN);
  });

  it('staff cannot raise their own role (403 by policy) and it stays staff', async () => {
    const res = await api('PATCH', `/users/${users.staff.userId}`, { body: { role: 'owner' }, headers: bearer(users.staff) });
    expect(outcome(res)).toEqual(FORBIDDEN);
    expect((await api('GET', '/me', { headers: bearer(users.staff) })).json.role).toBe('staff');
  });

  it('user bodies are strict: status or passwordHash in a PATCH → 400, even from an owner', async () => {
    for (const body of [{ status: 'active' }, { passwordHash: 'x' }, { name: 'Ok', email: 'new@tests.example' }]) {
      const res = await api('PATCH', `/users/${staffA2.userId}`, { body, headers: bearer(users.owner) });
      expect({ body, ...outcome(res) }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('no response carries a password hash: GET /me, GET /users/{id}, login, list users', async () => {
    const responses = [
      await api('GET', '/me', { headers: bearer(users.staff) }),
      await api('GET', `/users/${users.staff.userId}`, { headers: bearer(users.manager) }),
      await api('POST', '/auth/login', { body: { email: users.staff.email, password: users.staff.password } }),
      await api('GET', `/users?siteId=${siteA}`, { headers: bearer(users.owner) }),
      await api('GET', `/users?siteId=${siteA}`, { headers: bearer(users.manager) }),
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/passwordHash|scrypt\$/i);
    }
    expect(responses[3]!.json.users.length).toBeGreaterThanOrEqual(3);
  });

  it("revoking someone else's session → 404, and their session keeps working", async () => {
    const res = await api('DELETE', `/me/sessions/${staffA2.sessionId}`, { headers: bearer(users.staff) });
    expect(outcome(res)).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await api('GET', '/me', { headers: bearer(staffA2) })).status).toBe(200);
    const theirs = await api('GET', '/me/sessions', { headers: bearer(staffA2) });
    expect(theirs.json.sessions.map((s: { sessionId: string }) => s.sessionId)).toContain(staffA2.sessionId);
  });

  it('an owner invited with site A only still reaches every site', async () => {
    expect((await api('GET', `/sites/${siteB}`, { headers: bearer(users.owner) })).status).toBe(200);
  });
});

describe('notifications belong to their user alone (BOLA): every role against every other role’s notification', () => {
  // One notification each: a critical alert for site A reaches its manager and every owner; an order ready
  // reaches the staff member who placed it. Then each role tries to read, mark and acknowledge the others'.
  const theirs = {} as Record<Role, string>;
  beforeAll(async () => {
    const incidentId = uniqueId('bola');
    const [alert, ready] = await Promise.all([
      publishAlert({ siteId: siteA, type: 'iot.excursion-started', severity: 'critical', data: { incidentId } }),
      publishOrderReady({ siteId: siteA, serverId: users.staff.userId }),
    ]);
    for (const role of ROLES) {
      const eventId = role === 'staff' ? ready.id : alert.id;
      theirs[role] = (await waitForNotification(users[role], (n) => n.eventId === eventId, 20_000, `${role}'s notification`)).notificationId;
    }
  }, 60_000);

  it.each(ROLES)('%s’s notification: 404 for the other roles on read, mark read and acknowledge; 200 for its user', async (victim) => {
    const routes = [
      ['GET', `/me/notifications/${theirs[victim]}`],
      ['POST', `/me/notifications/${theirs[victim]}/read`],
      ['POST', `/me/notifications/${theirs[victim]}/acknowledge`],
    ] as const;
    for (const attacker of ROLES.filter((role) => role !== victim)) {
      for (const [method, path] of routes) {
        const res = await api(method, path, { headers: bearer(users[attacker]) });
        expect({ attacker, method, path, ...outcome(res) }).toEqual({ attacker, method, path, status: 404, code: 'NOT_FOUND' });
      }
      const listed = await api('GET', '/me/notifications?limit=100', { headers: bearer(users[attacker]) });
      expect(listed.json.notifications.map((n: { notificationId: string }) => n.notificationId)).not.toContain(theirs[victim]);
    }
    const own = await api('GET', `/me/notifications/${theirs[victim]}`, { headers: bearer(users[victim]) });
    expect({ status: own.status, read: own.json.read }).toEqual({ status: 200, read: false });
  });
});
