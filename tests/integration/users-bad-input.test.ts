// Every users route with a path or query parameter, fed what a client should not send (odd ids, odd page sizes,
// foreign or crafted cursors): each answer is a 4xx with a JSON error, never a 5xx. Member cursors are bound to
// the site whose members they page; a real next page still works.
import { policies } from '../../functions/users/policies';
import { badQuery, misanswered, ODD_CURSORS, ODD_LIMITS, oddIdProbes, type Probe } from './support/bad-input';
import { bearer, createSite, createUser, theOwner, type TestUser } from './support/identity';
import { api } from './support/target';

jest.setTimeout(120_000);

let siteId: string;
let otherSite: string;
let members: TestUser[];
let owner: TestUser;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  [siteId, otherSite, owner] = await Promise.all([createSite(), createSite(), theOwner()]);
  members = await Promise.all([createUser('staff', [siteId]), createUser('staff', [siteId]), createUser('manager', [siteId])]);
}, 120_000);

async function pageOfMembers(site: string, query: string) {
  const res = await api('GET', `/users?siteId=${site}&${query}`, { headers: bearer(owner) });
  expect({ query, status: res.status }).toEqual({ query, status: 200 });
  return res.json as { users: Array<{ userId: string }>; nextCursor?: string };
}

it('odd path ids on every route are a 4xx with a JSON error, never a 5xx', async () => {
  const routes = Object.keys(policies).filter((route) => route.includes('{'));
  expect(routes.length).toBeGreaterThanOrEqual(6);
  // Only the odd parameter reaches a route; the valid ones are never used (no session of ours is revoked).
  const probes = routes.flatMap((route) => oddIdProbes(route, { siteId, userId: members[0]!.userId, sessionId: 'no-such-session' }));
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});

it('odd site ids and page sizes in the member list query are a 4xx', async () => {
  const probes: Probe[] = [
    // The owner belongs to every site, so these ids reach validation (anyone else gets the 403 of a non-member).
    ...['', 'Not-A-Site', 'a'.repeat(64), 'a%00b', '..', 'caf%C3%A9', `${siteId}%20`].map((site) => ({ what: `siteId=${site.slice(0, 20)}`, method: 'GET', path: `/users?siteId=${site}` })),
    { what: 'no siteId', method: 'GET', path: '/users' },
    ...ODD_LIMITS.map((limit) => badQuery(`limit=${limit.slice(0, 20)}`, `/users?siteId=${siteId}&limit=${limit}`)),
  ];
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});

describe('member cursors', () => {
  it('a real next-page cursor pages through every member, one at a time', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await pageOfMembers(siteId, `limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.users.map((user) => user.userId));
      cursor = page.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual(members.map((member) => member.userId).sort());
  });

  it('a raw user id (the cursor of old), another site’s, a tampered, empty or crafted cursor is a 400', async () => {
    const { nextCursor } = await pageOfMembers(siteId, 'limit=1');
    const decoded = JSON.parse(Buffer.from(nextCursor!, 'base64url').toString('utf8'));
    const cases: Array<[string, string]> = [
      ...Object.entries(ODD_CURSORS).map(([what, odd]): [string, string] => [what, `/users?siteId=${siteId}&cursor=${odd}`]),
      ['a raw user id', `/users?siteId=${siteId}&cursor=${members[0]!.userId}`],
      ['another site’s cursor', `/users?siteId=${otherSite}&cursor=${nextCursor}`],
      ['a cursor moved to another site', `/users?siteId=${siteId}&cursor=${b64({ ...decoded, k: { pk: `SITE#${otherSite}`, sk: decoded.k.sk } })}`],
    ];
    expect(await misanswered(cases.map(([what, path]) => badQuery(what, path)), bearer(owner))).toEqual([]);
  });
});

it('a manager who would take a user past 50 sites (with sites the manager does not see) gets a 422, and nothing changes', async () => {
  const [x, y, ...others] = await Promise.all(Array.from({ length: 50 }, () => createSite()));
  const manager = await createUser('manager', [siteId, x!, y!]);
  // 48 sites the manager does not manage, plus one they share.
  const worker = await createUser('staff', [siteId, ...others]);
  const res = await api('PATCH', `/users/${worker.userId}`, { body: { sites: [siteId, x, y] }, headers: bearer(manager) });
  expect({ status: res.status, message: res.json?.error?.message }).toEqual({ status: 422, message: expect.stringContaining('50 sites at most: this would make 51') });
  const held = await api('GET', `/users/${worker.userId}`, { headers: bearer(owner) });
  expect([...held.json.sites].sort()).toEqual([siteId, ...others].sort());
  // Within the limit it is allowed: the same manager takes the user off their site and onto theirs.
  const moved = await api('PATCH', `/users/${worker.userId}`, { body: { sites: [x, y] }, headers: bearer(manager) });
  expect(moved.status).toBe(200);
  expect(moved.json.sites).toHaveLength(50);
});
