// Registration by invitation: one account per email however many race for it, one-time invitations that do
// not say why they cannot be used, password strength rules, strict bodies.
import { api, uniqueId } from './support/target';
import { bearer, createSite, inviteToken, login, theOwner } from './support/identity';
import { apiFrom } from './support/source-address';

// Deliberately failed sign-ins come from their own loopback address (see support/source-address.ts).
const FAILING_CLIENT = '127.0.0.12';
const UNUSABLE = { error: { code: 'CONFLICT', message: 'This invitation cannot be used' } };

const register = (body: Record<string, unknown>) => api('POST', '/auth/register', { body });
const strongPassword = () => `orchard lantern ${uniqueId('pw')}`;

let siteId: string;
beforeAll(async () => {
  siteId = await createSite();
});

describe('one account per email', () => {
  it('50 invitations for one email registered concurrently → exactly one 201, 49 × 409, one user who can sign in', async () => {
    const email = `${uniqueId('race')}@tests.example`;
    const tokens = await Promise.all(Array.from({ length: 50 }, () => inviteToken('staff', [siteId], email)));
    const attempts = tokens.map((token) => ({ inviteToken: token, name: 'Racer', password: strongPassword() }));

    const results = await Promise.all(attempts.map((attempt) => register(attempt)));

    const created = results.flatMap((res, i) => (res.status === 201 ? [{ res, attempt: attempts[i]! }] : []));
    const statuses = results.map((r) => r.status);
    expect({ created: created.length, conflicts: statuses.filter((s) => s === 409).length }).toEqual({ created: 1, conflicts: 49 });
    for (const res of results) if (res.status === 409) expect(res.json).toEqual(UNUSABLE);

    const winner = created[0]!;
    expect(winner.res.json).toMatchObject({ email, role: 'staff', sites: [siteId], status: 'active' });
    const session = await login(email, winner.attempt.password);
    expect(session.user.userId).toBe(winner.res.json.userId);

    const members = await api('GET', `/users?siteId=${siteId}`, { headers: bearer(await theOwner()) });
    expect(members.json.users.filter((u: { email: string }) => u.email === email)).toHaveLength(1);

    const loser = attempts.find((a) => a !== winner.attempt)!;
    expect((await apiFrom(FAILING_CLIENT, 'POST', '/auth/login', { body: { email, password: loser.password } })).status).toBe(401);
    // A losing invitation is still unusable afterwards: the email is taken.
    const retry = await register({ ...loser, password: strongPassword() });
    expect({ status: retry.status, body: retry.json }).toEqual({ status: 409, body: UNUSABLE });
  }, 300_000);
});

describe('invitations are one-time and say nothing about why they fail', () => {
  it('a used invitation → 409; an unknown one → 409 with the same body', async () => {
    const token = await inviteToken('staff', [siteId], `${uniqueId('once')}@tests.example`);
    expect((await register({ inviteToken: token, name: 'Once', password: strongPassword() })).status).toBe(201);

    const used = await register({ inviteToken: token, name: 'Twice', password: strongPassword() });
    const unknown = await register({ inviteToken: `${uniqueId('never-issued')}-${'x'.repeat(20)}`, name: 'Nobody', password: strongPassword() });
    expect({ status: used.status, body: used.json }).toEqual({ status: 409, body: UNUSABLE });
    expect({ status: unknown.status, body: unknown.json }).toEqual({ status: 409, body: UNUSABLE });
  }, 60_000);
});

describe('password strength and strict bodies', () => {
  const local = uniqueId('marguerite').replace(/-/g, '');
  const email = `${local}@tests.example`;
  let token: string;
  beforeAll(async () => {
    token = await inviteToken('staff', [siteId], email);
  });

  it.each([
    ['a common password', 'password1234', 'is too common'],
    ['a common word dressed up with digits and symbols', 'Password2024!', 'is a common word with digits or symbols'],
    ['the email’s local part', `My${local}!2`, 'contains your email address'],
    ['fewer than 12 characters', 'Sh0rt!pw', 'must be at least 12 characters'],
  ])('%s → 400 with the field named', async (_, password, message) => {
    const res = await register({ inviteToken: token, name: 'Weak', password });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ in: 'body', path: 'password', message }] });
  });

  it('unknown fields in the body → 400, however harmless or tempting', async () => {
    for (const extra of [{ role: 'owner' }, { sites: ['demo-bistro'] }, { email: 'other@tests.example' }, { nickname: 'x' }]) {
      const res = await register({ inviteToken: token, name: 'Strict', password: strongPassword(), ...extra });
      expect({ extra, status: res.status, code: res.json?.error?.code }).toEqual({ extra, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('refused attempts did not use up the invitation: a strong password then registers, as staff', async () => {
    const password = strongPassword();
    const res = await register({ inviteToken: token, name: 'Finally', password });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ email, role: 'staff', sites: [siteId] });
    expect(res.text).not.toMatch(/passwordHash|scrypt\$/);
  }, 60_000);
});
