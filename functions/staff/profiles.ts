// Staff profiles' use cases: who may see whose, and the directory and history checks of an edit. Staff see only
// their own profile (another person's, like a missing one, is a 404: nobody learns who has a profile); managers and
// owners see every profile of their sites. Wages are in the profile, so they are seen by managers and the person only;
// what leaves the domain is the hourly cost per position (staff.pay-rates-changed), when a write changes it.
import { isDeepStrictEqual } from 'node:util';
import { VersionConflictError } from '#shared/dynamodb';
import { NotFoundError, UnprocessableError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { directoryStore, profileStore } from './config';
import { payRatesChanged } from './events';
import { payrollPack } from './payroll-packs';
import { assertHistoryKept, payRatesOf, whyNoProfileAt } from './profile-rules';
import type { ProfileRecord, PutProfile } from './schemas';

const notFound = () => new NotFoundError('Staff profile not found');

/** Staff act on their own records only; a manager or owner (past the site check) on anyone's at the site. */
export function mayActFor(caller: Caller, userId: string): boolean {
  return caller.role !== 'staff' || caller.userId === userId;
}

export async function getProfile(caller: Caller, siteId: string, userId: string): Promise<ProfileRecord> {
  if (!mayActFor(caller, userId)) throw notFound();
  const profile = await profileStore.get(siteId, userId);
  if (!profile) throw notFound();
  return profile;
}

export async function listProfiles(caller: Caller, siteId: string, limit: number, cursor: string | undefined): Promise<{ profiles: ProfileRecord[]; nextCursor?: string }> {
  if (caller.role === 'staff') {
    // Their own only: no cursor to follow, whatever was sent.
    const own = await profileStore.get(siteId, caller.userId);
    return { profiles: own ? [own] : [] };
  }
  return profileStore.page(siteId, limit, cursor);
}

/** Creates or edits a profile: the person must be an active member of the site in staff's copy of the directory. */
export async function putProfile(caller: Caller, siteId: string, userId: string, request: PutProfile, correlationId: string): Promise<{ profile: ProfileRecord; created: boolean }> {
  const [user, stored] = await Promise.all([directoryStore.user(userId), profileStore.get(siteId, userId, { consistent: true })]);
  if (!user) throw new NotFoundError('No such user in the directory (a user registered moments ago may take a few seconds to arrive)');
  const refusal = whyNoProfileAt(user, siteId);
  if (refusal) throw new UnprocessableError(`The user ${refusal}`, { field: 'userId' });
  const pack = payrollPack(request.payPack);
  const { expectedVersion, ...fields } = request;
  if (expectedVersion !== undefined) {
    if (!stored) throw notFound();
    // Stale first: the history an edit must keep is the version it was made from, not one written since.
    if (stored.version !== expectedVersion) throw new VersionConflictError('staff profile', { expectedVersion });
    assertHistoryKept(stored.positions, fields.positions);
  }
  // A create where a profile exists, or an edit of a version that moved on, fails its condition: 409 (profile-store.ts).
  const now = new Date().toISOString();
  const profile: ProfileRecord = {
    siteId,
    userId,
    name: user.name,
    ...fields,
    version: (expectedVersion ?? 0) + 1,
    createdAt: expectedVersion !== undefined && stored ? stored.createdAt : now,
    updatedAt: now,
    updatedBy: caller.userId,
  };
  // Only a change of what analytics sees is published (a new name, rest day or retired position is not); a create
  // always is. The stored profile is the version read, which the write's condition holds to.
  const rates = payRatesOf(profile, pack);
  const unchanged = expectedVersion !== undefined && stored !== undefined && isDeepStrictEqual(rates, payRatesOf(stored, payrollPack(stored.payPack)));
  await profileStore.put(profile, unchanged ? [] : [payRatesChanged(profile, rates, correlationId)]);
  return { profile, created: expectedVersion === undefined };
}
