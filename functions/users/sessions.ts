// Sign-in, token refresh with rotation and reuse detection, sign-out and session management.
import { randomUUID } from 'node:crypto';
import { UnauthorizedError, NotFoundError, ValidationError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { logger } from '#shared/logger';
import { config, store, tokenSettings } from './config';
import { assertLoginAllowed, recordLoginFailure } from './login-throttle';
import { burnPasswordCheck, hashPassword, passwordWeakness, verifyPassword } from './passwords';
import { publicUser, successor, type SessionRecord, type UserRecord } from './schemas';
import { hashToken, issueAccessToken, newOpaqueToken } from './tokens';

// One message for unknown email, wrong password and deactivated account: nothing to enumerate.
const BAD_CREDENTIALS = 'Invalid email or password';

export interface ClientInfo {
  ip: string;
  userAgent?: string;
}

async function startSession(user: UserRecord, client: ClientInfo) {
  const now = new Date();
  const session: SessionRecord = {
    userId: user.userId,
    sessionId: randomUUID(),
    createdAt: now.toISOString(),
    lastUsedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + config.SESSION_TTL_HOURS * 3600,
    userAgent: client.userAgent?.slice(0, 200),
    ip: client.ip,
  };
  const refreshToken = newOpaqueToken();
  await store.createSession(session, hashToken(refreshToken));
  await revokeSessionsOverLimit(user.userId, session.sessionId);
  return tokenResponse(user, session.sessionId, refreshToken, session.expiresAt);
}

/**
 * Keeps a user at MAX_SESSIONS_PER_USER live sessions: a sign-in past it revokes the least recently used ones (a
 * tablet that signs in on every start would otherwise pile up a day of sessions, each listed by /me/sessions and
 * each revoked one by one at a password change). Never the new one. Sign-ins at the limit at the same moment may
 * each revoke one, leaving fewer than the limit, never more once the last has listed. A failure here is logged,
 * not the sign-in's: the session exists, and the next sign-in trims again.
 */
async function revokeSessionsOverLimit(userId: string, newSessionId: string): Promise<void> {
  try {
    const live = (await store.listSessions(userId)).filter(isLive);
    const over = live.length - config.MAX_SESSIONS_PER_USER;
    if (over <= 0) return;
    const leastRecentlyUsed = live
      .filter((s) => s.sessionId !== newSessionId)
      .sort((a, b) => a.lastUsedAt.localeCompare(b.lastUsedAt))
      .slice(0, over);
    await Promise.all(leastRecentlyUsed.map((s) => store.revokeSession(userId, s.sessionId, 'session-limit')));
    logger.info('least recently used sessions revoked at sign-in', { userId, revoked: leastRecentlyUsed.length, limit: config.MAX_SESSIONS_PER_USER });
  } catch (error) {
    logger.error('sessions over the limit not revoked; the next sign-in tries again', { userId, error: error as Error });
  }
}

async function tokenResponse(user: UserRecord, sessionId: string, refreshToken: string, sessionExpiresAt: number) {
  const { accessToken, expiresIn } = await issueAccessToken(tokenSettings, { userId: user.userId, role: user.role, sites: user.sites, sessionId });
  return {
    tokenType: 'Bearer' as const,
    accessToken,
    expiresIn,
    refreshToken,
    refreshTokenExpiresAt: new Date(sessionExpiresAt * 1000).toISOString(),
    sessionId,
    user: publicUser(user),
  };
}

export async function login(email: string, password: string, client: ClientInfo) {
  await assertLoginAllowed(email, client.ip);
  const user = await store.getUserByEmail(email);
  const valid = user?.status === 'active' ? await verifyPassword(password, user.passwordHash) : (await burnPasswordCheck(password), false);
  if (!user || !valid) {
    await recordLoginFailure(email, client.ip);
    logger.info('login failed', { reason: user ? 'bad password or inactive' : 'unknown account' });
    throw new UnauthorizedError(BAD_CREDENTIALS);
  }
  logger.info('login succeeded', { userId: user.userId });
  return startSession(user, client);
}

export async function refresh(refreshToken: string) {
  const hash = hashToken(refreshToken);
  const record = await store.getRefresh(hash);
  const invalid = new UnauthorizedError('Invalid or expired refresh token');
  if (!record) throw invalid;
  if (record.status === 'rotated') {
    // A spent token came back: either it was stolen or the client is confused. Kill the whole session.
    await store.revokeSession(record.userId, record.sessionId, 'refresh-token-reuse');
    logger.warn('refresh token reuse detected; session revoked', { userId: record.userId, sessionId: record.sessionId });
    throw invalid;
  }
  if (record.expiresAt <= Math.floor(Date.now() / 1000)) throw invalid;
  const user = await store.getUser(record.userId);
  if (!user || user.status !== 'active') throw invalid;
  const next = newOpaqueToken();
  if (!(await store.rotateRefresh(hash, hashToken(next), record))) {
    const now = await store.getRefresh(hash);
    if (now?.status === 'rotated') {
      await store.revokeSession(record.userId, record.sessionId, 'refresh-token-reuse');
      logger.warn('concurrent refresh token reuse; session revoked', { userId: record.userId, sessionId: record.sessionId });
    }
    throw invalid;
  }
  return tokenResponse(user, record.sessionId, next, record.expiresAt);
}

export async function logout(caller: Caller): Promise<void> {
  await store.revokeSession(caller.userId, caller.sessionId, 'logout');
}

function isLive(session: SessionRecord): boolean {
  return !session.revokedAt && session.expiresAt > Math.floor(Date.now() / 1000);
}

export async function listSessions(caller: Caller) {
  const sessions = (await store.listSessions(caller.userId)).filter(isLive);
  return sessions
    .sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt))
    .map((s) => ({
      sessionId: s.sessionId,
      current: s.sessionId === caller.sessionId,
      createdAt: s.createdAt,
      lastUsedAt: s.lastUsedAt,
      expiresAt: new Date(s.expiresAt * 1000).toISOString(),
      userAgent: s.userAgent,
      ip: s.ip,
    }));
}

export async function revokeSession(caller: Caller, sessionId: string): Promise<void> {
  const session = await store.getSession(caller.userId, sessionId);
  if (!session || !isLive(session)) throw new NotFoundError('Session not found');
  await store.revokeSession(caller.userId, sessionId, 'revoked-by-user');
}

export async function revokeAllSessions(userId: string, reason: string, except?: string): Promise<number> {
  const sessions = (await store.listSessions(userId)).filter((s) => isLive(s) && s.sessionId !== except);
  await Promise.all(sessions.map((s) => store.revokeSession(userId, s.sessionId, reason)));
  return sessions.length;
}

export async function changePassword(caller: Caller, currentPassword: string, newPassword: string, ip: string): Promise<void> {
  const user = await store.getUser(caller.userId);
  if (!user || user.status !== 'active') throw new UnauthorizedError();
  await assertLoginAllowed(user.email, ip);
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    await recordLoginFailure(user.email, ip);
    throw new ValidationError([{ in: 'body', path: 'currentPassword', message: 'is not your current password' }]);
  }
  const weakness = passwordWeakness(newPassword, user.email);
  if (weakness) throw new ValidationError([{ in: 'body', path: 'newPassword', message: weakness }]);
  // Outside the directory: a new version, no event.
  await store.replaceUser(user, successor(user, { passwordHash: await hashPassword(newPassword) }), []);
  const revoked = await revokeAllSessions(user.userId, 'password-changed', caller.sessionId);
  logger.info('password changed; other sessions revoked', { revoked });
}
