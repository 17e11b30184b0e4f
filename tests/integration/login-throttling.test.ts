// Brute-force limits on login (OWASP API2/API4): per account and per client IP, in fixed windows. Every test
// here uses fresh accounts and its own loopback source address, so nobody else gets locked out.
import { createSite, createUser, type TestUser } from './support/identity';
import { apiFrom, awaitRoomInThrottleWindow, type ApiResponse } from './support/source-address';
import { isLocal, itLocal, uniqueId } from './support/target';

// The defaults of functions/users/config.ts unless the stack was started with others.
const MAX_PER_ACCOUNT = Number(process.env.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 5);
const MAX_PER_IP = Number(process.env.LOGIN_MAX_FAILURES_PER_IP ?? 50);
const WINDOW_SECONDS = Number(process.env.LOGIN_WINDOW_SECONDS ?? 900);

const ACCOUNT_CLIENT = '127.0.0.8';
const ACCOUNT_OTHER_CLIENT = '127.0.0.11';
const IP_CLIENT = '127.0.0.9';
const IP_OTHER_CLIENT = '127.0.0.10';

const loginFrom = (address: string, email: string, password: string) => apiFrom(address, 'POST', '/auth/login', { body: { email, password } });

function expectThrottled(res: ApiResponse) {
  expect(res.status).toBe(429);
  expect(res.json).toEqual({ error: { code: 'TOO_MANY_REQUESTS', message: 'Too many failed sign-in attempts; try again later' } });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
}

let siteId: string;
beforeAll(async () => {
  siteId = await createSite();
});

itLocal('the throttle sees the socket address the tests choose', 'needs loopback source addresses the server can see', async () => {
  const user = await createUser('staff', [siteId]);
  const session = await loginFrom(IP_OTHER_CLIENT, user.email, user.password);
  expect(session.status).toBe(200);
  const sessions = await apiFrom(IP_OTHER_CLIENT, 'GET', '/me/sessions', { headers: { authorization: `Bearer ${session.json.accessToken}` } });
  const mine = sessions.json.sessions.find((s: { sessionId: string }) => s.sessionId === session.json.sessionId);
  expect(mine.ip).toMatch(new RegExp(`(^|:)${IP_OTHER_CLIENT.replace(/\./g, '\\.')}$`));
});

describe('per account', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser('staff', [siteId]);
  }, 60_000);

  it(`${MAX_PER_ACCOUNT} bad passwords → 401 each; the next attempt → 429 with Retry-After, even with the right password`, async () => {
    await awaitRoomInThrottleWindow(60, WINDOW_SECONDS);
    for (let attempt = 1; attempt <= MAX_PER_ACCOUNT; attempt++) {
      const res = await loginFrom(ACCOUNT_CLIENT, user.email, `wrong password ${attempt}`);
      expect({ attempt, status: res.status }).toEqual({ attempt, status: 401 });
    }
    expectThrottled(await loginFrom(ACCOUNT_CLIENT, user.email, 'wrong password again'));
    expectThrottled(await loginFrom(ACCOUNT_CLIENT, user.email, user.password));
    // The lock is on the account, wherever the next attempt comes from; the email's case does not dodge it.
    expectThrottled(await loginFrom(ACCOUNT_OTHER_CLIENT, user.email, user.password));
    expectThrottled(await loginFrom(ACCOUNT_OTHER_CLIENT, user.email.toUpperCase(), user.password));
  }, 120_000);

  it('another account is not affected by that lockout', async () => {
    const other = await createUser('staff', [siteId]);
    expect((await loginFrom(ACCOUNT_CLIENT, other.email, other.password)).status).toBe(200);
  }, 60_000);
});

describe('per client IP', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser('staff', [siteId]);
  }, 60_000);

  const localOnly = isLocal ? it : it.skip;
  localOnly(
    `${MAX_PER_IP} failures across different accounts from one address → the next attempt from it → 429; another address is unaffected${isLocal ? '' : ' (local only: needs loopback source addresses the server can see)'}`,
    async () => {
      await awaitRoomInThrottleWindow(90, WINDOW_SECONDS);
      // Few at a time: each failure costs a full password hash; the count is only read before each attempt,
      // so batches that together stay within the limit all get 401.
      const BATCH = 5;
      for (let sent = 0; sent < MAX_PER_IP; sent += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, MAX_PER_IP - sent) }, () =>
          loginFrom(IP_CLIENT, `${uniqueId('nobody')}@tests.example`, 'not a real password'),
        );
        for (const res of await Promise.all(batch)) expect(res.status).toBe(401);
      }
      expectThrottled(await loginFrom(IP_CLIENT, `${uniqueId('nobody')}@tests.example`, 'not a real password'));
      expectThrottled(await loginFrom(IP_CLIENT, user.email, user.password));

      expect((await loginFrom(IP_OTHER_CLIENT, user.email, user.password)).status).toBe(200);
      expect((await loginFrom(IP_OTHER_CLIENT, `${uniqueId('nobody')}@tests.example`, 'not a real password')).status).toBe(401);
    },
    420_000,
  );
});
