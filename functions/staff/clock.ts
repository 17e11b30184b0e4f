// The time clock's use case: a tap (clock-in, break-start, break-end, clock-out) read, decided by the pure state
// machine (clock-rules.ts) and written in one transaction with its raw punches, its Idempotency-Key's response and its
// events. Staff punch for themselves only; a manager or owner for anyone at the site (the kitchen tablet). The person
// needs a staff profile at the site; a clock-in works one of its active positions.
import { randomUUID } from 'node:crypto';
import { conditionFailedAt, retryOnConflict } from '#shared/dynamodb';
import { ConflictError, NotFoundError } from '#shared/errors';
import type { HttpResult } from '#shared/http';
import type { Caller } from '#shared/identity';
import { completedRecordWrite, IdempotencyKeyTakenError, replayOf, replayWinner, type IdempotentRequest } from '#shared/idempotency';
import { localDateOf } from '#shared/time';
import { tap, type Clock, type PunchKind } from './clock-rules';
import { clockStore, directoryStore, profileStore } from './config';
import { clockedIn, clockedOut } from './events';
import { positionToWork } from './profile-rules';
import { mayActFor } from './profiles';
import type { PunchRecord } from './schemas';

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
  const [profile, timeZone] = await Promise.all([profileStore.get(siteId, userId), directoryStore.timeZoneOf(siteId)]);
  if (!profile) throw new NotFoundError('Staff profile not found');
  const opening = kind === 'clock-in' ? { shiftId: `shift-${randomUUID()}`, positionId: positionToWork(profile.positions, request.positionId) } : undefined;
  try {
    return await retryOnConflict(
      async () => {
        const [clock, keyRecord] = await Promise.all([clockStore.clock(siteId, userId), clockStore.rawItem(idempotency.itemKey)]);
        const replayed = replayOf(idempotency, keyRecord);
        if (replayed) return replayed;
        return await commitTap(kind, request, clock, opening, timeZone, idempotency);
      },
      { attempts: TAP_ATTEMPTS, baseDelayMs: 10, exhausted: () => new ConflictError('This clock is being punched from elsewhere; retry') },
    );
  } catch (error) {
    if (error instanceof IdempotencyKeyTakenError) return replayWinner(idempotency);
    throw error;
  }
}

async function commitTap(
  kind: PunchKind,
  request: TapRequest,
  clock: Clock,
  opening: { shiftId: string; positionId: string } | undefined,
  timeZone: string,
  idempotency: IdempotentRequest,
): Promise<HttpResult> {
  const { siteId, userId, caller, correlationId } = request;
  const now = Date.now();
  const at = new Date(now).toISOString();
  const outcome = tap(clock, kind, now, opening);
  const shift = outcome.after.shift ?? clock.shift!;
  const localDate = localDateOf(shift.clockedInAt, timeZone);
  const punches: PunchRecord[] = outcome.punches.map((planned) => ({
    siteId,
    userId,
    shiftId: shift.shiftId,
    seq: planned.seq,
    kind: planned.kind,
    at,
    localDate: localDateOf(now, timeZone),
    positionId: shift.positionId,
    by: caller.userId,
    ...(request.deviceTime !== undefined ? { deviceTime: new Date(request.deviceTime).toISOString() } : {}),
    ...(planned.closedBy ? { closedBy: planned.closedBy } : {}),
  }));
  const context = { siteId, userId, correlationId, localDate };
  const events = kind === 'clock-in' ? [clockedIn(shift, context)] : outcome.closed ? [clockedOut(outcome.closed, context)] : [];
  const view = { userId, state: outcome.after.state, shiftId: shift.shiftId, positionId: shift.positionId, clockedInAt: new Date(shift.clockedInAt).toISOString(), punches };
  const completed = completedRecordWrite(idempotency, { status: 201, body: outcome.closed ? { ...view, workedSeconds: outcome.closed.workedSeconds, breakSeconds: outcome.closed.breakSeconds } : view });
  const writes = clockStore.tapWrites(siteId, userId, clock, outcome.after, punches, at);
  try {
    await clockStore.commit([...writes, completed.write], events);
  } catch (error) {
    if (conditionFailedAt(error, writes.length)) throw new IdempotencyKeyTakenError();
    throw error;
  }
  return completed.response;
}
