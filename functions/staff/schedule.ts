// The schedule's use cases on one shift: create, edit, delete (managers), claim an open shift, propose a swap
// (staff) and decide it (managers). Each reads, decides by the pure rules (schedule-rules.ts) and writes on condition
// of the versions read; a lost race is read and decided again, so of two claims of one open shift the second sees it
// taken (409), and of two assignments to one person checked at once the second sees the first.
//
//   draft ──publish──▶ published ──edit──▶ published, `republish` (the next publish of its days tells its person)
//
// A published shift stays published when edited (staff keep seeing it) and cannot be deleted: make it open instead.
import { randomBytes } from 'node:crypto';
import { conditionFailedAt, isConditionFailure, retryOnConflict } from '#shared/dynamodb';
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { addDays } from '#shared/time';
import { availabilityStore, directoryStore, profileStore, settingsStore, shiftStore, timeOffStore } from './config';
import { payrollPack } from './payroll-packs';
import {
  conflictsOf,
  flagsAllowed,
  headcountOn,
  plannedMinutes,
  shiftInstants,
  weeklyCaps,
  workweekStart,
  type Conflict,
  type PlannedShift,
} from './schedule-rules';
import type { CreateShift, EditShift } from './schedule-schemas';
import type { StaffSettingsRecord } from './settings';
import type { ShiftRecord } from './shift-store';

const shiftNotFound = () => new NotFoundError('Shift not found');

export const planned = (shift: ShiftRecord): PlannedShift => ({
  shiftId: shift.shiftId,
  ...(shift.userId ? { userId: shift.userId } : {}),
  date: shift.date,
  start: Date.parse(shift.start),
  end: Date.parse(shift.end),
  breakMinutes: shift.breakMinutes,
});

/** The person's profile at the site with `positionId` active, or a 422 naming the field. */
async function assertWorks(siteId: string, userId: string, positionId: string, field = 'userId') {
  const profile = await profileStore.get(siteId, userId);
  if (!profile) throw new UnprocessableError(`${userId} has no staff profile at this site`, { field });
  if (!profile.positions.some((p) => p.positionId === positionId && p.active)) {
    throw new UnprocessableError(`${userId} does not work as ${positionId} (not an active position of their profile)`, { field: field === 'userId' ? 'positionId' : field });
  }
  return profile;
}

/**
 * What the schedule rules say about giving `shift` to `userId`: the flags it keeps, or a 409/422. Also returns the
 * version of the person's guard, read before their shifts, for the write's condition.
 */
export async function checkAssignment(shift: PlannedShift, userId: string, positionId: string, override: boolean, site: { siteId: string; timeZone: string; settings: StaffSettingsRecord }, field = 'userId') {
  const profile = await assertWorks(site.siteId, userId, positionId, field);
  const guard = await shiftStore.guardVersion(site.siteId, userId);
  const weekStart = workweekStart(shift.date, site.settings.workweekStartsOn);
  // The workweek (the cap) and two days either side of it: a shift lasts at most a day and the rest asked at most a
  // day, so every neighbour that can overlap or cut the rest short starts in there.
  const [around, daysOff, availability] = await Promise.all([
    shiftStore.shiftsOn(site.siteId, addDays(weekStart, -2), addDays(weekStart, 8), { consistent: true }),
    timeOffStore.approvedDaysOff(site.siteId, userId, shift.date, addDays(shift.date, 1)),
    availabilityStore.get(site.siteId, userId),
  ]);
  const conflicts = conflictsOf(shift, {
    shifts: around.filter((other) => other.userId === userId).map(planned),
    daysOff: new Set(daysOff.map((day) => day.date)),
    availability: availability.days,
    caps: weeklyCaps(payrollPack(profile.payPack), profile.employment, headcountOn(site.settings, addDays(weekStart, 6))),
    minRestMinutes: site.settings.minRestMinutes,
    workweekStartsOn: site.settings.workweekStartsOn,
    timeZone: site.timeZone,
  });
  return { flags: flagsAllowed(conflicts, override, field), guard };
}

export async function siteContext(siteId: string) {
  const [timeZone, settings] = await Promise.all([directoryStore.timeZoneOf(siteId), settingsStore.get(siteId)]);
  return { siteId, timeZone, settings };
}

/** Places the shift's times in the site's zone; the break must leave some of it worked. */
function placed(date: string, body: Pick<CreateShift, 'start' | 'end' | 'breakMinutes'>, timeZone: string) {
  const { start, end } = shiftInstants(date, body, timeZone);
  if (plannedMinutes({ start, end, breakMinutes: body.breakMinutes }) <= 0) throw new UnprocessableError('The break is as long as the shift', { field: 'breakMinutes' });
  return { start, end };
}

/** The flags and guard of a shift given to a person, or none for an open one. */
async function assignmentOf(shift: PlannedShift, body: Pick<CreateShift, 'userId' | 'positionId' | 'override'>, site: Awaited<ReturnType<typeof siteContext>>) {
  if (!body.userId) return { flags: [] as Conflict[], guard: undefined };
  return checkAssignment(shift, body.userId, body.positionId, body.override, site);
}

function recordOf(base: Pick<ShiftRecord, 'siteId' | 'shiftId' | 'date' | 'status' | 'version' | 'createdAt'>, body: CreateShift | EditShift, times: { start: number; end: number }, flags: Conflict[], by: string): ShiftRecord {
  const now = new Date().toISOString();
  return {
    ...base,
    start: new Date(times.start).toISOString(),
    end: new Date(times.end).toISOString(),
    positionId: body.positionId,
    ...(body.userId ? { userId: body.userId } : {}),
    breakMinutes: body.breakMinutes,
    ...(body.note ? { note: body.note } : {}),
    flags,
    ...(body.override && flags.some((f) => f.kind !== 'short-rest') ? { override: true } : {}),
    updatedAt: now,
    updatedBy: by,
  };
}

/**
 * A new draft shift. `idSuffix` fixes the id's random part (a copy's is derived from the shift it copies): a shift of
 * that id already there is then a 409 ("already there"), not a second one.
 */
export async function createShift(caller: Caller, siteId: string, body: CreateShift, idSuffix?: string): Promise<ShiftRecord> {
  const site = await siteContext(siteId);
  const times = placed(body.date, body, site.timeZone);
  const shiftId = `${body.date}-${idSuffix ?? randomBytes(6).toString('hex')}`;
  return retryOnConflict(async () => {
    const { flags, guard } = await assignmentOf({ shiftId, date: body.date, ...times, breakMinutes: body.breakMinutes }, body, site);
    const shift = recordOf({ siteId, shiftId, date: body.date, status: 'draft', version: 1, createdAt: new Date().toISOString() }, body, times, flags, caller.userId);
    try {
      await shiftStore.write(shift, body.userId && guard !== undefined ? { userId: body.userId, read: guard } : undefined);
    } catch (error) {
      if (idSuffix !== undefined && conditionFailedAt(error, 0)) throw new ConflictError(`Shift ${shiftId} is already there`, { shiftId });
      throw error;
    }
    return shift;
  });
}

export async function readShift(siteId: string, shiftId: string): Promise<ShiftRecord> {
  const shift = await shiftStore.get(siteId, shiftId.slice(0, 10), shiftId);
  if (!shift) throw shiftNotFound();
  return shift;
}

/** A write that lost to a concurrent one, where the client holds the version: a 409, as a stale `expectedVersion`. */
function staleOnConditionFailure(error: unknown): never {
  if (isConditionFailure(error)) throw new ConflictError('The shift was changed by someone else; reload and retry', { field: 'expectedVersion' });
  throw error;
}

const assertVersion = (shift: ShiftRecord, expected: number) => {
  if (shift.version !== expected) throw new ConflictError('The shift was changed by someone else; reload and retry', { field: 'expectedVersion', version: shift.version });
};

export async function editShift(caller: Caller, siteId: string, shiftId: string, body: EditShift): Promise<ShiftRecord> {
  const site = await siteContext(siteId);
  return retryOnConflict(async () => {
    const stored = await readShift(siteId, shiftId);
    assertVersion(stored, body.expectedVersion);
    const times = placed(stored.date, body, site.timeZone);
    const { flags, guard } = await assignmentOf({ shiftId, date: stored.date, ...times, breakMinutes: body.breakMinutes }, body, site);
    // Only what the edit does not restate carries over: a person, note or override it leaves out is gone, and a
    // pending swap is dropped with the old terms. What the last publish told its person is kept: the next one
    // tells them if the shift is no longer theirs.
    const { date, status, createdAt, publishedAt, lastPublished } = stored;
    const shift: ShiftRecord = {
      ...recordOf({ siteId, shiftId, date, status, createdAt, version: stored.version + 1 }, body, times, flags, caller.userId),
      ...(status === 'published' ? { republish: true, ...(publishedAt ? { publishedAt } : {}), ...(lastPublished ? { lastPublished } : {}) } : {}),
    };
    await shiftStore.write(shift, body.userId && guard !== undefined ? { userId: body.userId, read: guard } : undefined);
    return shift;
  });
}

export async function deleteShift(siteId: string, shiftId: string, expectedVersion: number): Promise<void> {
  const stored = await readShift(siteId, shiftId);
  assertVersion(stored, expectedVersion);
  if (stored.status === 'published') throw new ConflictError('A published shift cannot be deleted: edit it, or make it open', { status: 'published' });
  await shiftStore.write(stored, undefined, true).catch(staleOnConditionFailure);
}

/** Staff take a published open shift of one of their positions; conflicts are checked as for an assignment, without override. */
export async function claimShift(caller: Caller, siteId: string, shiftId: string): Promise<ShiftRecord> {
  const site = await siteContext(siteId);
  return retryOnConflict(async () => {
    const stored = await readShift(siteId, shiftId);
    if (stored.status !== 'published' && caller.role === 'staff') throw shiftNotFound();
    if (stored.userId) throw new ConflictError(stored.userId === caller.userId ? 'You already have this shift' : 'The shift was taken by someone else', { field: 'shiftId' });
    if (stored.status !== 'published') throw new ConflictError('Only a published open shift can be claimed', { status: stored.status });
    const { flags, guard } = await checkAssignment(planned(stored), caller.userId, stored.positionId, false, site, 'shiftId');
    const shift: ShiftRecord = { ...stored, userId: caller.userId, flags, version: stored.version + 1, updatedAt: new Date().toISOString(), updatedBy: caller.userId };
    await shiftStore.write(shift, { userId: caller.userId, read: guard });
    return shift;
  });
}

/** The shift's person offers it to a colleague; a manager decides (decideSwap). A new proposal replaces one pending. */
export async function proposeSwap(caller: Caller, siteId: string, shiftId: string, toUserId: string): Promise<ShiftRecord> {
  const stored = await readShift(siteId, shiftId);
  // Another person's shift, or a draft, is not the caller's to give away: the same 404 as a missing one.
  if (stored.userId !== caller.userId || stored.status !== 'published') throw shiftNotFound();
  if (toUserId === caller.userId) throw new UnprocessableError('Propose the shift to a colleague, not to yourself', { field: 'toUserId' });
  await assertWorks(siteId, toUserId, stored.positionId, 'toUserId');
  const shift: ShiftRecord = { ...stored, swap: { toUserId, proposedBy: caller.userId, proposedAt: new Date().toISOString() }, version: stored.version + 1 };
  await shiftStore.write(shift).catch(staleOnConditionFailure);
  return shift;
}

/** A manager approves (the shift goes to the colleague, conflicts checked for them) or declines a proposed swap. */
export async function decideSwap(caller: Caller, siteId: string, shiftId: string, decision: 'approve' | 'decline', override: boolean): Promise<ShiftRecord> {
  const site = await siteContext(siteId);
  return retryOnConflict(async () => {
    const stored = await readShift(siteId, shiftId);
    if (!stored.swap) throw new ConflictError('No swap is proposed for this shift', { field: 'shiftId' });
    const { swap: _swap, ...rest } = stored;
    const now = new Date().toISOString();
    if (decision === 'decline') {
      const declined: ShiftRecord = { ...rest, version: stored.version + 1, updatedAt: now, updatedBy: caller.userId };
      await shiftStore.write(declined);
      return declined;
    }
    const to = stored.swap.toUserId;
    const { flags, guard } = await checkAssignment(planned(stored), to, stored.positionId, override, site, 'toUserId');
    const swapped: ShiftRecord = { ...rest, userId: to, flags, ...(override ? { override: true } : {}), republish: true, version: stored.version + 1, updatedAt: now, updatedBy: caller.userId };
    await shiftStore.write(swapped, { userId: to, read: guard });
    return swapped;
  });
}
