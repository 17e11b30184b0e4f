// The time clock's use case: a tap (clock-in, break-start, break-end, clock-out) read, decided by the pure state
// machine (clock-rules.ts) and written in one transaction with its raw punches, its Idempotency-Key's response and its
// events. Staff punch for themselves only; a manager or owner for anyone at the site (the kitchen tablet). The person
// needs a staff profile at the site; a clock-in works one of its active positions and is held to the person's
// published shifts of the day (clock-rules.ts clockInMarks: early needs a manager, none that day is unscheduled).
//
// Three DynamoDB round trips per tap: the profile, the site's time zone (cached), and for a clock-in the settings
// and the person's published shifts, all at once; then the clock and the Idempotency-Key's record; then the
// transaction.
import { randomUUID } from 'node:crypto';
import { conditionFailedAt, retryOnConflict } from '#shared/dynamodb';
import { ConflictError, NotFoundError } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import type { Caller } from '#shared/identity';
import { completedRecordWrite, IdempotencyKeyTakenError, replayOf, replayWinner, type IdempotentRequest } from '#shared/idempotency';
import { addDays, localDateOf } from '#shared/time';
import { clockInMarks, punchRecords, tap, type Clock, type ClockInMarks, type PunchKind } from './clock-rules';
import { clockStore, directoryStore, profileStore, settingsStore, shiftStore } from './config';
import { clockedIn, clockedOut } from './events';
import { positionToWork } from './profile-rules';
import { mayActFor } from './profiles';

export interface TapRequest {
  caller: Caller;
  siteId: string;
  userId: string;
  correlationId: string;
  positionId?: string;
  /** Epoch ms of the device's clock, kept for audit. */
  deviceTime?: number;
}

// Two taps of the same person at once: the loser re-reads and is decided again (a second clock-in then is a 409).
const TAP_ATTEMPTS = 4;

export async function punch(kind: PunchKind, request: TapRequest, idempotency: IdempotentRequest): Promise<HttpResult> {
  const { caller, siteId, userId } = request;
  if (!mayActFor(caller, userId)) throw new NotFoundError('Staff profile not found');
  const [profile, timeZone, schedule] = await Promise.all([
    profileStore.get(siteId, userId),
    directoryStore.timeZoneOf(siteId),
    kind === 'clock-in' ? scheduleAround(siteId, userId, Date.now()) : undefined,
  ]);
  if (!profile) throw new NotFoundError('Staff profile not found');
  const opening = kind === 'clock-in' ? { shiftId: `shift-${randomUUID()}`, positionId: positionToWork(profile.positions, request.positionId) } : undefined;
  try {
    return await retryOnConflict(
      async () => {
        const [clock, keyRecord] = await Promise.all([clockStore.clock(siteId, userId), clockStore.rawItem(idempotency.itemKey)]);
        const replayed = replayOf(idempotency, keyRecord);
        if (replayed) return replayed;
        return await commitTap(kind, request, clock, opening, { timeZone, schedule }, idempotency);
      },
      { attempts: TAP_ATTEMPTS, baseDelayMs: 10, exhausted: () => new ConflictError('This clock is being punched from elsewhere; retry') },
    );
  } catch (error) {
    if (error instanceof IdempotencyKeyTakenError) return replayWinner(idempotency);
    throw error;
  }
}

/**
 * The settings and the person's published shifts starting within a day of `now`'s UTC date: every local day `now`
 * can fall on, read before the site's time zone is known so the reads go out together.
 */
async function scheduleAround(siteId: string, userId: string, now: number) {
  const utcDate = new Date(now).toISOString().slice(0, 10);
  const [settings, shifts] = await Promise.all([settingsStore.get(siteId), shiftStore.publishedShiftsOf(siteId, userId, addDays(utcDate, -1), addDays(utcDate, 1))]);
  return { earlyClockInMinutes: settings.earlyClockInMinutes, shifts };
}
type Schedule = Awaited<ReturnType<typeof scheduleAround>>;

function holdToSchedule({ earlyClockInMinutes, shifts }: Schedule, now: number, timeZone: string, caller: Caller): ClockInMarks {
  const today = localDateOf(now, timeZone);
  const approver = caller.role === 'staff' ? undefined : caller.userId;
  return clockInMarks(shifts.filter((shift) => shift.date === today), now, earlyClockInMinutes, approver);
}

async function commitTap(
  kind: PunchKind,
  request: TapRequest,
  clock: Clock,
  opening: { shiftId: string; positionId: string } | undefined,
  site: { timeZone: string; schedule: Schedule | undefined },
  idempotency: IdempotentRequest,
): Promise<HttpResult> {
  const { siteId, userId, caller, correlationId } = request;
  const now = Date.now();
  const outcome = tap(clock, kind, now, opening);
  // After the state machine (a second clock-in is refused as such) and after a replay (answered as it was).
  const marks = site.schedule ? holdToSchedule(site.schedule, now, site.timeZone, caller) : undefined;
  const shift = outcome.after.shift ?? clock.shift!;
  const punches = punchRecords(outcome, clock, now, {
    siteId,
    userId,
    by: caller.userId,
    timeZone: site.timeZone,
    ...(request.deviceTime !== undefined ? { deviceTime: new Date(request.deviceTime).toISOString() } : {}),
    ...(marks ? { marks } : {}),
  });
  const context = { siteId, userId, correlationId, localDate: localDateOf(shift.clockedInAt, site.timeZone) };
  const events = kind === 'clock-in' ? [clockedIn(shift, context)] : outcome.closed ? [clockedOut(outcome.closed, context)] : [];
  const view = { userId, state: outcome.after.state, shiftId: shift.shiftId, positionId: shift.positionId, clockedInAt: new Date(shift.clockedInAt).toISOString(), punches };
  const completed = completedRecordWrite(idempotency, { status: 201, body: outcome.closed ? { ...view, workedSeconds: outcome.closed.workedSeconds, breakSeconds: outcome.closed.breakSeconds } : view });
  const writes = clockStore.tapWrites(siteId, userId, clock, outcome.after, punches, new Date(now).toISOString());
  try {
    await clockStore.commit([...writes, completed.write], events);
  } catch (error) {
    if (conditionFailedAt(error, writes.length)) throw new IdempotencyKeyTakenError();
    throw error;
  }
  return completed.response;
}
