// Verifies access tokens inside the Lambda, trusting nothing a gateway or serverless-offline could inject:
// ES256 only, iss/aud/exp/iat required, small explicit clock tolerance, public keys (JWKS) and a revocation check
// (deactivated users, revoked sessions, role changes) both read from the revocations table.
import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import * as z from 'zod';
import { batchGetAll } from './dynamodb';
import { UnauthorizedError } from './errors';
import { roleSchema, type Caller } from './identity';
import { logger } from './logger';
import { readPublicKeys } from './public-keys';

export const ACCESS_TOKEN_ALGORITHM = 'ES256';
export const CLOCK_TOLERANCE_SECONDS = 5;
// Issued tokens live 15 minutes; maxTokenAge bounds only now - iat, so a genuinely signed token whose `exp`
// lies hours after its `iat` must be refused on its declared lifetime too.
const MAX_TOKEN_LIFETIME_SECONDS = 16 * 60;
// An unknown kid reloads the JWKS, at most this often, so forged kids cannot turn into a flood of reads.
const JWKS_REFRESH_MIN_INTERVAL_MS = 5_000;

const claimsSchema = z.object({
  sub: z.string().min(1),
  sid: z.string().min(1),
  role: roleSchema,
  sites: z.array(z.string()),
  iat: z.number().int(),
  exp: z.number().int(),
});

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  revocationsTable: string;
}

export function accessTokenSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AccessTokenSettings {
  const read = (name: string) => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`Invalid configuration: ${name} is required for authenticated routes`);
    return value;
  };
  return {
    issuer: read('JWT_ISSUER'),
    audience: read('JWT_AUDIENCE'),
    revocationsTable: read('REVOCATIONS_TABLE'),
  };
}

// Public keys are loaded on first use and reloaded (at most every 5 s) when a token names an unknown kid,
// which is how a rotated-in key becomes known without a redeploy.
let keySet: { jwks: ReturnType<typeof createLocalJWKSet>; kids: Set<string>; loadedAt: number } | undefined;

async function loadKeys(table: string) {
  const document = await readPublicKeys(table);
  keySet = {
    jwks: createLocalJWKSet(document),
    kids: new Set(document.keys.map((k) => k.kid ?? '')),
    loadedAt: Date.now(),
  };
  return keySet;
}

async function keysFor(kid: string | undefined, table: string) {
  const current = keySet ?? (await loadKeys(table));
  if (kid && !current.kids.has(kid) && Date.now() - current.loadedAt > JWKS_REFRESH_MIN_INTERVAL_MS) {
    return (await loadKeys(table)).jwks;
  }
  return current.jwks;
}

export function bearerToken(headers: Record<string, string | undefined>): string {
  const header = headers.authorization;
  const match = header?.match(/^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/);
  if (!match) throw new UnauthorizedError();
  return match[1]!;
}

export async function verifyAccessToken(token: string, settings: AccessTokenSettings): Promise<Caller> {
  let payload: unknown;
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: string };
    const jwks = await keysFor(header.kid, settings.revocationsTable);
    ({ payload } = await jwtVerify(token, jwks, {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ['exp', 'iat', 'sub', 'sid'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS, // 15-minute tokens plus slack
    }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError || error instanceof SyntaxError) {
      logger.info('access token rejected', { reason: error instanceof joseErrors.JOSEError ? error.code : 'malformed' });
      throw new UnauthorizedError('Invalid or expired access token');
    }
    throw error;
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success || claims.data.exp - claims.data.iat > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new UnauthorizedError('Invalid or expired access token');
  }
  const caller: Caller = {
    userId: claims.data.sub,
    role: claims.data.role,
    sites: claims.data.sites,
    sessionId: claims.data.sid,
    issuedAt: claims.data.iat,
  };
  await assertNotRevoked(caller, settings.revocationsTable);
  return caller;
}

/**
 * One read per request: the session, if revoked, is dead; the user, if deactivated or changed, invalidates
 * every token issued at or before that moment. Positive answers are remembered for the container's life.
 */
const knownRevoked = new Set<string>();

async function assertNotRevoked(caller: Caller, table: string): Promise<void> {
  const revoked = await revokedSessions(caller.userId, [{ sessionId: caller.sessionId, issuedAt: caller.issuedAt }], table);
  const reason = revoked.get(caller.sessionId);
  if (reason === 'session') throw new UnauthorizedError('Session has been revoked');
  if (reason === 'user') throw new UnauthorizedError('Access token is no longer valid');
}

export interface SessionRef {
  sessionId: string;
  issuedAt: number;
}

export type RevocationReason = 'session' | 'user';

/**
 * Which of a user's sessions no longer count, and why: the session was revoked (logout), or the user was
 * deactivated or changed after the session's token was issued. Also used where a token was checked once and
 * its session lives on (an open WebSocket).
 */
export async function revokedSessions(userId: string, sessions: SessionRef[], table: string): Promise<Map<string, RevocationReason>> {
  return (await revokedSessionsOfUsers(new Map([[userId, sessions]]), table)).get(userId) ?? new Map();
}

/**
 * revokedSessions for several users at once: one BatchGetItem for every user's record and every session's, so
 * pushing one event to many recipients checks them all in one round trip. Keys DynamoDB leaves unprocessed
 * (throttling) are read again with back-off rather than failing the request. Users with no revoked session are
 * absent from the answer.
 */
export async function revokedSessionsOfUsers(
  sessionsByUser: ReadonlyMap<string, readonly SessionRef[]>,
  table: string,
): Promise<Map<string, Map<string, RevocationReason>>> {
  const revoked = new Map<string, Map<string, RevocationReason>>();
  const mark = (userId: string, sessionId: string, reason: RevocationReason) => {
    const ofUser = revoked.get(userId) ?? new Map<string, RevocationReason>();
    revoked.set(userId, ofUser.set(sessionId, reason));
  };
  const unknown = new Map<string, SessionRef[]>();
  for (const [userId, sessions] of sessionsByUser) {
    for (const session of sessions) {
      if (knownRevoked.has(`SESSION#${session.sessionId}`)) mark(userId, session.sessionId, 'session');
      else unknown.set(userId, [...(unknown.get(userId) ?? []), session]);
    }
  }
  if (unknown.size === 0) return revoked;
  const keys = [...unknown].flatMap(([userId, sessions]) => [{ pk: `USER#${userId}` }, ...sessions.map((s) => ({ pk: `SESSION#${s.sessionId}` }))]);
  const items = new Map((await batchGetAll(table, keys, { consistentRead: true })).map((item) => [item.pk as string, item]));
  for (const [userId, sessions] of unknown) {
    const revokedBefore = items.get(`USER#${userId}`)?.revokedBefore as number | undefined;
    for (const session of sessions) {
      const sessionKey = `SESSION#${session.sessionId}`;
      if (items.has(sessionKey)) {
        knownRevoked.add(sessionKey);
        mark(userId, session.sessionId, 'session');
      } else if (revokedBefore !== undefined && session.issuedAt <= revokedBefore) {
        mark(userId, session.sessionId, 'user');
      }
    }
  }
  return revoked;
}
