// Sessions: refresh-token rotation and reuse detection, logout, listing and revoking sessions, the limit of live
// sessions per user, password change, the absolute session lifetime, and a login that tells nobody whether an
// email exists.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import { api, dynamo, itLocal, tableName, uniqueId } from './support/target';
import { bearer, createSite, createUser, login, type TestUser } from './support/identity';
import { apiFrom } from './support/source-address';
import { claimsOf } from './support/tokens';

// Deliberately failed sign-ins come from their own loopback address (see support/source-address.ts).
const FAILING_CLIENT = '127.0.0.7';

const refresh = (refreshToken: string) => api('POST', '/auth/refresh', { body: { refreshToken } });
const me = (accessToken: string) => api('GET', '/me', { headers: { authorization: `Bearer ${accessToken}` } });
const statusOf = async (pending: Promise<{ status: number }>) => (await pending).status;

let siteId: string;
beforeAll(async () => {
  siteId = await createSite();
});

describe('refresh tokens', () => {
  let user: TestUser;
  let rotated: { accessToken: string; refreshToken: string };
  beforeAll(async () => {
    user = await createUser('staff', [siteId]);
  }, 60_000);

  it('a refresh returns a new refresh token and a working access token for the same session', async () => {
    const res = await refresh(user.refreshToken);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ tokenType: 'Bearer', sessionId: user.sessionId, expiresIn: 900, user: { userId: user.userId } });
    expect(res.json.refreshToken).not.toBe(user.refreshToken);
    expect(claimsOf(res.json.accessToken).sid).toBe(user.sessionId);
    expect((await me(res.json.accessToken)).status).toBe(200);
    rotated = res.json;
  });

  it('reusing the spent refresh token → 401, and the whole session is revoked', async () => {
    const reused = await refresh(user.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.json).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Invalid or expired refresh token' } });
    // The thief's copy and the rightful newest tokens die together.
    expect(await statusOf(refresh(rotated.refreshToken))).toBe(401);
    expect(await statusOf(me(rotated.accessToken))).toBe(401);
    expect(await statusOf(me(user.accessToken))).toBe(401);
  });

  it('another session of the same user is untouched by that revocation', async () => {
    const other = await login(user.email, user.password);
    expect(await statusOf(me(other.accessToken))).toBe(200);
    expect(await statusOf(refresh(other.refreshToken))).toBe(200);
  });

  it('two concurrent refreshes with one token never both succeed', async () => {
    const session = await login(user.email, user.password);
    const statuses = (await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)])).map((r) => r.status).sort();
    expect(statuses).not.toEqual([200, 200]);
  });

  it('garbage → 401 when shaped like a token, 400 when not even that', async () => {
    const unknown = await refresh(createHash('sha256').update(uniqueId('nope')).digest('base64url'));
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Invalid or expired refresh token' } });
    expect(await statusOf(refresh(user.accessToken))).toBe(400);
    expect(await statusOf(refresh('garbage'))).toBe(400);
    expect(await statusOf(api('POST', '/auth/refresh', { body: { refreshToken: 'x'.repeat(43), extra: 1 } }))).toBe(400);
  });
});

describe('logout and session management', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser('manager', [siteId]);
  }, 60_000);

  it('GET /me/sessions lists live sessions, marking the caller’s as current, with no token material', async () => {
    const second = await login(user.email, user.password);
    const res = await api('GET', '/me/sessions', { headers: bearer(user) });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.json.sessions.map((s: { sessionId: string }) => [s.sessionId, s]));
    expect(byId[user.sessionId]).toMatchObject({ current: true, createdAt: expect.any(String), expiresAt: expect.any(String) });
    expect(byId[second.sessionId]).toMatchObject({ current: false });
    expect(res.json.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(res.text).not.toContain(user.refreshToken);
    expect(res.text).not.toMatch(/refresh|hash/i);
  });

  it('DELETE /me/sessions/{id} revokes that session only; a second time → 404', async () => {
    const other = await login(user.email, user.password);
    expect(await statusOf(api('DELETE', `/me/sessions/${other.sessionId}`, { headers: bearer(user) }))).toBe(204);
    expect(await statusOf(me(other.accessToken))).toBe(401);
    expect(await statusOf(refresh(other.refreshToken))).toBe(401);
    expect(await statusOf(me(user.accessToken))).toBe(200);
    const listed = await api('GET', '/me/sessions', { headers: bearer(user) });
    expect(listed.json.sessions.map((s: { sessionId: string }) => s.sessionId)).not.toContain(other.sessionId);
    const again = await api('DELETE', `/me/sessions/${other.sessionId}`, { headers: bearer(user) });
    expect(again.status).toBe(404);
    expect(await statusOf(api('DELETE', `/me/sessions/${uniqueId('nosuch')}`, { headers: bearer(user) }))).toBe(404);
  });

  it('logout revokes the current session: its access and refresh tokens → 401', async () => {
    const session = await login(user.email, user.password);
    expect(await statusOf(api('POST', '/auth/logout', { headers: bearer(session) }))).toBe(204);
    expect(await statusOf(me(session.accessToken))).toBe(401);
    expect(await statusOf(refresh(session.refreshToken))).toBe(401);
    expect(await statusOf(api('POST', '/auth/logout', { headers: bearer(session) }))).toBe(401);
    expect(await statusOf(me(user.accessToken))).toBe(200);
  });

  it('DELETE /me/sessions signs out everywhere, the current session included', async () => {
    const other = await login(user.email, user.password);
    expect(await statusOf(api('DELETE', '/me/sessions', { headers: bearer(user) }))).toBe(204);
    for (const session of [user, other]) {
      expect(await statusOf(me(session.accessToken))).toBe(401);
      expect(await statusOf(refresh(session.refreshToken))).toBe(401);
    }
  });
});

describe('at most 50 live sessions per user (MAX_SESSIONS_PER_USER)', () => {
  const LIMIT = 50;
  const sessionIds = async (session: { accessToken: string }) => {
    const res = await api('GET', '/me/sessions', { headers: bearer(session) });
    expect(res.status).toBe(200);
    return (res.json.sessions as Array<{ sessionId: string }>).map((s) => s.sessionId);
  };

  it('a sign-in past the limit revokes the least recently used sessions, never the new one', async () => {
    const user = await createUser('staff', [siteId]); // its first session
    const oldest = await login(user.email, user.password);
    const secondOldest = await login(user.email, user.password);
    for (let made = 3; made < LIMIT; made += 8) {
      await Promise.all(Array.from({ length: Math.min(8, LIMIT - made) }, () => login(user.email, user.password)));
    }
    expect(await sessionIds(user)).toHaveLength(LIMIT);
    // The first session is used again (a refresh), so it is no longer the least recently used.
    const refreshed = await refresh(user.refreshToken);
    expect(refreshed.status).toBe(200);

    const newer = await login(user.email, user.password);
    const newest = await login(user.email, user.password);
    const listed = await sessionIds(newest);
    expect(listed).toHaveLength(LIMIT);
    expect(listed).toEqual(expect.arrayContaining([user.sessionId, newer.sessionId, newest.sessionId]));
    expect(listed).not.toContain(oldest.sessionId);
    expect(listed).not.toContain(secondOldest.sessionId);
    for (const evicted of [oldest, secondOldest]) {
      expect(await statusOf(me(evicted.accessToken))).toBe(401);
      expect(await statusOf(refresh(evicted.refreshToken))).toBe(401);
    }
    expect(await statusOf(me(refreshed.json.accessToken))).toBe(200);
    expect(await statusOf(me(newest.accessToken))).toBe(200);
  }, 120_000);
});

describe('password change', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser('staff', [siteId]);
  }, 60_000);

  const changePassword = (session: { accessToken: string }, body: object) =>
    apiFrom(FAILING_CLIENT, 'POST', '/me/password', { body, headers: bearer(session) });

  it('a wrong current password or a weak new one → 400 naming the field, and nothing changes', async () => {
    const wrong = await changePassword(user, { currentPassword: 'not my password at all', newPassword: `fresh ${uniqueId('pw')}` });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'currentPassword' })]);
    const weak = await changePassword(user, { currentPassword: user.password, newPassword: 'Password2024!' });
    expect(weak.status).toBe(400);
    expect(weak.json.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'newPassword' })]);
    expect(await statusOf(me(user.accessToken))).toBe(200);
  });

  it('revokes every other session but keeps the current one; only the new password signs in', async () => {
    const other = await login(user.email, user.password);
    const newPassword = `fresh ${uniqueId('pw')}`;
    expect((await changePassword(user, { currentPassword: user.password, newPassword })).status).toBe(204);

    expect(await statusOf(me(other.accessToken))).toBe(401);
    expect(await statusOf(refresh(other.refreshToken))).toBe(401);
    expect(await statusOf(me(user.accessToken))).toBe(200);
    expect(await statusOf(refresh(user.refreshToken))).toBe(200);

    const old = await apiFrom(FAILING_CLIENT, 'POST', '/auth/login', { body: { email: user.email, password: user.password } });
    expect(old.status).toBe(401);
    expect((await login(user.email, newPassword)).user.userId).toBe(user.userId);
  });
});

describe('absolute session lifetime (24 h)', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser('staff', [siteId]);
  }, 60_000);

  const DAY_MS = 24 * 3600 * 1000;
  const refreshKey = (token: string) => ({ pk: `REFRESH#${createHash('sha256').update(token).digest('base64url')}`, sk: 'REFRESH' });
  const expire = (Key: Record<string, string>) =>
    dynamo.send(
      new UpdateCommand({ TableName: tableName('users'), Key, UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 } }),
    );

  it('a session ends 24 h after sign-in, and refreshing does not extend it', async () => {
    const signIn = await api('POST', '/auth/login', { body: { email: user.email, password: user.password } });
    expect(signIn.status).toBe(200);
    expect(Math.abs(Date.parse(signIn.json.refreshTokenExpiresAt) - (Date.now() + DAY_MS))).toBeLessThan(120_000);
    const first = await refresh(signIn.json.refreshToken);
    const second = await refresh(first.json.refreshToken);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json.refreshTokenExpiresAt).toBe(signIn.json.refreshTokenExpiresAt);
  });

  itLocal('a session past its lifetime: refresh → 401 and it is no longer listed', 'edits the session record in the users table', async () => {
    const session = await login(user.email, user.password);
    await expire({ pk: `USER#${user.userId}`, sk: `SESSION#${session.sessionId}` });
    const res = await refresh(session.refreshToken);
    expect(res.status).toBe(401);
    const listed = await api('GET', '/me/sessions', { headers: bearer(user) });
    expect(listed.json.sessions.map((s: { sessionId: string }) => s.sessionId)).not.toContain(session.sessionId);
  });

  itLocal('a refresh token past its lifetime → 401', 'edits the refresh-token record in the users table', async () => {
    const session = await login(user.email, user.password);
    await expire(refreshKey(session.refreshToken));
    expect(await statusOf(refresh(session.refreshToken))).toBe(401);
  });
});

describe('login does not reveal whether an account exists', () => {
  it('unknown email and wrong password answer with the same status, body and headers', async () => {
    const user = await createUser('staff', [siteId]);
    const strip = (res: Awaited<ReturnType<typeof apiFrom>>) => ({
      status: res.status,
      body: res.json,
      headers: Object.keys(res.headers).filter((h) => !['date', 'x-correlation-id', 'content-length'].includes(h)).sort(),
    });
    const unknown = await apiFrom(FAILING_CLIENT, 'POST', '/auth/login', { body: { email: `${uniqueId('ghost')}@tests.example`, password: 'some password 123' } });
    const wrong = await apiFrom(FAILING_CLIENT, 'POST', '/auth/login', { body: { email: user.email, password: 'some password 123' } });
    expect(strip(unknown)).toEqual(strip(wrong));
    expect(strip(unknown)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'Invalid email or password' } } });
  });
});
