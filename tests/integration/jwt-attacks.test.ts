// Attacks on the access token (OWASP API2, broken authentication). Each forged or dead token must get 401 on a
// protected route. Forgeries that need a genuine signature use the local stage's real private key, so the
// only thing wrong with them is the one thing each test changes; the positive control proves that.
import { exportSPKI, generateKeyPair, importJWK, type CryptoKey, type JWTPayload } from 'jose';
import { api, describeLocal } from './support/target';
import { bearer, createSite, createUser, theOwner, type TestUser } from './support/identity';
import {
  AUDIENCE,
  ISSUER,
  claimsOf,
  genuineClaims,
  genuineSigningKey,
  kidOf,
  nowSeconds,
  sign,
  unsigned,
  type SigningKey,
} from './support/tokens';

const me = (token?: string) => api('GET', '/me', { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

function expectUnauthorized(res: Awaited<ReturnType<typeof api>>) {
  expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status: 401, code: 'UNAUTHORIZED' });
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
}

let siteId: string;
let staff: TestUser;
beforeAll(async () => {
  siteId = await createSite();
  staff = await createUser('staff', [siteId]);
});

describe('access tokens that are not tokens', () => {
  it('no Authorization header → 401', async () => {
    expectUnauthorized(await me());
  });

  it('a header that is not a bearer JWT → 401', async () => {
    expectUnauthorized(await api('GET', '/me', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }));
    expectUnauthorized(await api('GET', '/me', { headers: { authorization: 'Bearer not-a-jwt' } }));
    expectUnauthorized(await api('GET', '/me', { headers: { authorization: staff.accessToken } }));
  });

  it('alg "none" with genuine claims and no signature → 401', async () => {
    const claims = claimsOf(staff.accessToken);
    expectUnauthorized(await me(unsigned({ alg: 'none', typ: 'JWT' }, claims)));
    expectUnauthorized(await me(unsigned({ alg: 'none', typ: 'JWT', kid: kidOf(staff.accessToken) }, claims)));
  });

  it('the real token with its payload tampered (role → owner), original signature kept → 401', async () => {
    const [header, , signature] = staff.accessToken.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claimsOf(staff.accessToken), role: 'owner' })).toString('base64url');
    expectUnauthorized(await me(`${header}.${payload}.${signature}`));
    expectUnauthorized(await api('GET', '/users', { headers: { authorization: `Bearer ${header}.${payload}.${signature}` } }));
  });
});

describe('forgeries without the private key', () => {
  it('HS256 "signed" with the public key (algorithm confusion) → 401', async () => {
    const jwks = (await api('GET', '/.well-known/jwks.json')).json as { keys: Array<Record<string, string>> };
    const kid = kidOf(staff.accessToken);
    const jwk = jwks.keys.find((k) => k.kid === kid)!;
    expect(jwk).toBeDefined();
    const publicKey = (await importJWK({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, 'ES256', { extractable: true })) as CryptoKey;
    const pem = await exportSPKI(publicKey);
    const claims = genuineClaims(claimsOf(staff.accessToken));
    // Every form a confused verifier might have used as the HMAC secret.
    const secrets = [pem, pem.trim(), JSON.stringify(jwk), jwk.x!, `${jwk.x}${jwk.y}`, Buffer.concat([Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')])];
    for (const secret of secrets) {
      const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : new Uint8Array(secret);
      expectUnauthorized(await me(await sign(claims, key, { alg: 'HS256', kid })));
    }
  });

  it('a valid ES256 signature by another key under the genuine kid → 401', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    expectUnauthorized(await me(await sign(genuineClaims(claimsOf(staff.accessToken)), privateKey, { alg: 'ES256', kid: kidOf(staff.accessToken) })));
  });

  it('a valid ES256 signature by another key under an unknown kid → 401', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    expectUnauthorized(await me(await sign(genuineClaims(claimsOf(staff.accessToken)), privateKey, { alg: 'ES256', kid: 'attacker-key' })));
  });
});

describeLocal('forgeries signed with the genuine key (local signing key from Secrets Manager)', () => {
  let key: SigningKey;
  let real: ReturnType<typeof claimsOf>;
  const mint = (claims: JWTPayload) => sign(claims, key.privateKey, { alg: 'ES256', kid: key.kid });

  beforeAll(async () => {
    key = await genuineSigningKey();
    real = claimsOf(staff.accessToken);
  });

  it('positive control: genuine claims of a real session, minted here → 200 (the harness forges correctly)', async () => {
    expect(real).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: staff.userId, sid: staff.sessionId });
    expect(kidOf(staff.accessToken)).toBe(key.kid);
    const res = await me(await mint(genuineClaims(real)));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ userId: staff.userId, email: staff.email, role: 'staff' });
  });

  it('expired beyond the 5 s clock tolerance → 401', async () => {
    const now = nowSeconds();
    expectUnauthorized(await me(await mint({ ...genuineClaims(real, now - 600), exp: now - 30 })));
  });

  it('not yet valid (nbf in the future) → 401', async () => {
    expectUnauthorized(await me(await mint({ ...genuineClaims(real), nbf: nowSeconds() + 120 })));
  });

  it('issued in the future (iat ahead of the clock) → 401', async () => {
    const now = nowSeconds();
    expectUnauthorized(await me(await mint({ ...genuineClaims(real), iat: now + 120, exp: now + 600 })));
  });

  it('wrong issuer, or none → 401', async () => {
    expectUnauthorized(await me(await mint({ ...genuineClaims(real), iss: 'urn:brigade:prod' })));
    expectUnauthorized(await me(await mint({ ...genuineClaims(real), iss: undefined })));
  });

  it('wrong audience, or none → 401', async () => {
    expectUnauthorized(await me(await mint({ ...genuineClaims(real), aud: 'another-api' })));
    expectUnauthorized(await me(await mint({ ...genuineClaims(real), aud: undefined })));
  });

  it('missing sid, sub, exp or iat → 401', async () => {
    for (const claim of ['sid', 'sub', 'exp', 'iat']) {
      expectUnauthorized(await me(await mint({ ...genuineClaims(real), [claim]: undefined })));
    }
  });

  it('a role that does not exist → 401', async () => {
    expectUnauthorized(await me(await mint({ ...genuineClaims(real), role: 'superuser' })));
  });

  it('a genuine signature over a 2-hour lifetime (longer than any token the API issues) → 401', async () => {
    const now = nowSeconds();
    expectUnauthorized(await me(await mint({ ...genuineClaims(real, now), exp: now + 2 * 3600 })));
  });

  it('an old iat with a fresh exp (older than the 16-minute maximum age) → 401', async () => {
    const now = nowSeconds();
    expectUnauthorized(await me(await mint({ ...genuineClaims(real, now - 3600), exp: now + 300 })));
  });

  it('the signing algorithm pinned: genuine key, header alg ES384 → 401', async () => {
    const token = await mint(genuineClaims(real));
    const [, payload, signature] = token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'ES384', kid: key.kid, typ: 'JWT' })).toString('base64url');
    expectUnauthorized(await me(`${header}.${payload}.${signature}`));
  });
});

describe('tokens of users and sessions that are no longer valid', () => {
  it('deactivated user: the still-unexpired access token → 401 at once, the refresh token too', async () => {
    const victim = await createUser('staff', [siteId]);
    expect((await me(victim.accessToken)).status).toBe(200);
    const deactivated = await api('POST', `/users/${victim.userId}/deactivate`, { headers: bearer(await theOwner()) });
    expect(deactivated.status).toBe(200);
    expect(deactivated.json.status).toBe('deactivated');
    expectUnauthorized(await me(victim.accessToken));
    expectUnauthorized(await api('GET', `/sites/${siteId}`, { headers: bearer(victim) }));
    const refreshed = await api('POST', '/auth/refresh', { body: { refreshToken: victim.refreshToken } });
    expect(refreshed.status).toBe(401);
  });

  it('revoked session (logout): the same access token → 401 at once, its refresh token → 401 at once', async () => {
    const user = await createUser('staff', [siteId]);
    expect((await api('POST', '/auth/logout', { headers: bearer(user) })).status).toBe(204);
    expectUnauthorized(await me(user.accessToken));
    const refreshed = await api('POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } });
    expect(refreshed.status).toBe(401);
    expect(refreshed.json.error.code).toBe('UNAUTHORIZED');
  });
});

describeLocal('a genuinely signed token cannot outlive what revoked it', () => {
  it('re-minting a logged-out session (fresh iat, genuine key) → still 401', async () => {
    const key = await genuineSigningKey();
    const user = await createUser('staff', [siteId]);
    expect((await api('POST', '/auth/logout', { headers: bearer(user) })).status).toBe(204);
    expectUnauthorized(await me(await sign(genuineClaims(claimsOf(user.accessToken)), key.privateKey, { alg: 'ES256', kid: key.kid })));
  });
});
