// Invitations, registration and user administration.
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '#shared/errors';
import { canAccessSite, type Caller } from '#shared/identity';
import { logger } from '#shared/logger';
import { config, store } from './config';
import { userChangeEvents, userEvent } from './events';
import { hashPassword, passwordWeakness } from './passwords';
import { assertMayGrant, assertMayManage, assertMayView } from './rules';
import { MAX_SITES_PER_USER, publicUser, successor, type InviteRequest, type UserRecord, type UserUpdate } from './schemas';
import { revokeAllSessions } from './sessions';
import { INVITE_UNUSABLE } from './store';
import { hashToken, newOpaqueToken } from './tokens';

async function assertSitesExist(sites: string[]): Promise<void> {
  const missing = [];
  for (const siteId of sites) if (!(await store.getSite(siteId))) missing.push(siteId);
  if (missing.length > 0) throw new UnprocessableError(`Unknown site: ${missing.join(', ')}`);
}

/** The token is shown once, to the inviter, who passes it on; only its hash is stored. */
export async function invite(caller: Caller, request: InviteRequest) {
  const sites = [...new Set(request.sites)];
  assertMayGrant(caller, request.role, sites);
  await assertSitesExist(sites);
  const token = newOpaqueToken();
  const expiresAt = Math.floor(Date.now() / 1000) + config.INVITE_TTL_HOURS * 3600;
  await store.putInvite(hashToken(token), { email: request.email, role: request.role, sites, invitedBy: caller.userId, status: 'pending', expiresAt });
  logger.info('invitation created', { role: request.role, sites });
  return { inviteToken: token, email: request.email, role: request.role, sites, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

export async function register(inviteToken: string, name: string, password: string, correlationId: string) {
  const hash = hashToken(inviteToken);
  const pending = await store.getInvite(hash);
  // Used, expired and unknown invitations, and an email already registered, all answer alike (409).
  if (!pending || pending.status !== 'pending' || pending.expiresAt <= Math.floor(Date.now() / 1000)) {
    throw new ConflictError(INVITE_UNUSABLE);
  }
  const weakness = passwordWeakness(password, pending.email);
  if (weakness) throw new ValidationError([{ in: 'body', path: 'password', message: weakness }]);
  // Only the attempt holding the email's claim hashes; every other one is refused at once.
  const attemptId = randomUUID();
  if (!(await store.reserveEmail(pending.email, attemptId, 60))) throw new ConflictError(INVITE_UNUSABLE);
  const at = new Date();
  const now = at.toISOString();
  const user: UserRecord = {
    userId: randomUUID(),
    email: pending.email,
    name,
    role: pending.role,
    sites: pending.sites,
    status: 'active',
    passwordHash: await hashPassword(password),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  try {
    await store.createUser(user, [userEvent('user.registered', user, { correlationId, at })], hash, attemptId);
  } catch (error) {
    await store.releaseEmail(pending.email, attemptId);
    throw error;
  }
  logger.info('user registered', { userId: user.userId, role: user.role });
  return publicUser(user);
}

async function existingUser(userId: string): Promise<UserRecord> {
  const user = await store.getUser(userId);
  if (!user) throw new NotFoundError('User not found');
  return user;
}

export async function me(caller: Caller) {
  return publicUser(await existingUser(caller.userId));
}

export async function getUser(caller: Caller, userId: string) {
  const user = await existingUser(userId);
  assertMayView(caller, user);
  return publicUser(user);
}

export async function listUsers(siteId: string, limit: number, cursor?: string) {
  return store.listMembers(siteId, limit, cursor);
}

export async function updateUser(caller: Caller, userId: string, update: UserUpdate, correlationId: string) {
  const user = await existingUser(userId);
  assertMayManage(caller, user);
  const role = update.role ?? user.role;
  let sites = user.sites;
  if (update.sites) {
    const requested = [...new Set(update.sites)];
    // Managers change only their own sites' membership; the user's other sites stay as they were.
    const untouchable = user.sites.filter((site) => !canAccessSite(caller, site));
    assertMayGrant(caller, role, requested);
    await assertSitesExist(requested);
    sites = [...new Set([...untouchable, ...requested])];
    if (sites.length > MAX_SITES_PER_USER) {
      throw new UnprocessableError(`A user works at ${MAX_SITES_PER_USER} sites at most: this would make ${sites.length}, ${untouchable.length} of them sites you do not manage`);
    }
  } else if (update.role) {
    assertMayGrant(caller, role, user.sites.filter((site) => canAccessSite(caller, site)));
  }
  const next = successor(user, { name: update.name ?? user.name, role, sites });
  await store.replaceUser(user, next, userChangeEvents(user, next, { correlationId }));
  if (role !== user.role || sites.join() !== user.sites.join()) await store.invalidateUserTokens(user.userId, 'access-changed');
  logger.info('user updated', { target: user.userId, fields: Object.keys(update) });
  return publicUser(next);
}

export async function deactivateUser(caller: Caller, userId: string, correlationId: string) {
  const user = await existingUser(userId);
  assertMayManage(caller, user);
  if (user.status === 'deactivated') return publicUser(user);
  const next = successor(user, { status: 'deactivated' });
  await store.replaceUser(user, next, userChangeEvents(user, next, { correlationId }));
  await store.invalidateUserTokens(user.userId, 'deactivated');
  await revokeAllSessions(user.userId, 'deactivated');
  logger.info('user deactivated', { target: user.userId });
  return publicUser(next);
}
