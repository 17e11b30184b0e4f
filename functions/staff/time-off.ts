// Time-off requests: staff ask for their own days (managers may file for anyone at their sites), managers approve or
// decline, the requester cancels while it is pending. A request overlapping one of the person's pending or approved
// requests is a 409 naming it (so a retried POST cannot file the same days twice). States:
//
//   pending ──approve──▶ approved          (the schedule refuses shifts on its days unless overridden)
//      │    ──decline──▶ declined
//      └────cancel─────▶ cancelled         (the requester, while pending)
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import { retryOnConflict } from '#shared/dynamodb';
import { ConflictError, NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { answerBudget } from '#shared/pages';
import { addDays } from '#shared/time';
import { directoryStore, profileStore, shiftStore, timeOffStore } from './config';
import { mayActFor } from './profiles';
import { shiftTouchesDays } from './schedule-rules';
import type { decisionBodySchema, timeOffBodySchema } from './time-off-schemas';
import type { TimeOffRecord } from './time-off-store';

const notFound = () => new NotFoundError('Time-off request not found');
const active = (request: TimeOffRecord) => request.status === 'pending' || request.status === 'approved';

export async function requestTimeOff(caller: Caller, siteId: string, userId: string, body: z.output<typeof timeOffBodySchema>): Promise<TimeOffRecord> {
  if (!mayActFor(caller, userId) || !(await profileStore.get(siteId, userId))) throw new NotFoundError('Staff profile not found');
  const request: TimeOffRecord = {
    siteId,
    userId,
    requestId: randomUUID(),
    ...body,
    status: 'pending',
    version: 1,
    requestedAt: new Date().toISOString(),
    requestedBy: caller.userId,
  };
  return retryOnConflict(async () => {
    // The guard first: a request filed after this read moves it, and the write below then fails and is decided again.
    const guard = await timeOffStore.guardVersion(siteId, userId);
    const clash = (await timeOffStore.requestsOf(siteId, userId, { consistent: true })).find((other) => active(other) && other.from <= body.to && body.from <= other.to);
    if (clash) throw new ConflictError(`Overlaps the ${clash.status} request ${clash.requestId} (${clash.from} to ${clash.to})`, { field: 'from', requestId: clash.requestId });
    await timeOffStore.file(request, guard);
    return request;
  });
}

export async function listTimeOff(caller: Caller, siteId: string, userId: string, page: { limit?: number; cursor?: string }) {
  if (!mayActFor(caller, userId)) throw new NotFoundError('Staff profile not found');
  return timeOffStore.requestsPage(siteId, { userId }, page.cursor, answerBudget({ limit: page.limit }));
}

async function find(siteId: string, userId: string, requestId: string): Promise<TimeOffRecord> {
  const request = (await timeOffStore.requestsOf(siteId, userId, { consistent: true })).find((r) => r.requestId === requestId);
  if (!request) throw notFound();
  return request;
}

/** A manager approves or declines a pending request (409 once decided or cancelled, or when `expectedVersion` is stale). */
/** A shift of the person's on approved days off: who needs to be found to cover it. */
export interface ShiftToCover {
  shiftId: string;
  date: string;
  start: string;
  end: string;
  positionId: string;
  status: string;
}

/**
 * An approval answers with the person's shifts already on those days (drafts and published, a night shift from the
 * evening before included), so the manager sees at once what needs someone else; the schedule refuses new ones.
 */
export async function decideTimeOff(
  caller: Caller,
  siteId: string,
  userId: string,
  requestId: string,
  body: z.output<typeof decisionBodySchema>,
): Promise<TimeOffRecord & { shiftsToCover?: ShiftToCover[] }> {
  const request = await find(siteId, userId, requestId);
  if (body.expectedVersion !== undefined && body.expectedVersion !== request.version) throw new ConflictError('The request was changed by someone else; reload and retry', { expectedVersion: body.expectedVersion });
  if (request.status !== 'pending') throw new ConflictError(`The request is ${request.status}`, { status: request.status });
  const decided: TimeOffRecord = { ...request, status: body.decision === 'approve' ? 'approved' : 'declined', version: request.version + 1, decidedAt: new Date().toISOString(), decidedBy: caller.userId };
  await timeOffStore.update(decided);
  if (decided.status !== 'approved') return decided;
  return { ...decided, shiftsToCover: await shiftsOnDaysOff(siteId, decided) };
}

/** The person's shifts touching a day of `request` (as the schedule rules judge time off: every day a shift spans). */
async function shiftsOnDaysOff(siteId: string, request: TimeOffRecord): Promise<ShiftToCover[]> {
  const [timeZone, shifts] = await Promise.all([directoryStore.timeZoneOf(siteId), shiftStore.shiftsOn(siteId, addDays(request.from, -1), request.to, { consistent: true })]);
  return shifts
    .filter((shift) => shift.userId === request.userId)
    .filter((shift) => shiftTouchesDays(shift, request.from, request.to, timeZone))
    .map(({ shiftId, date, start, end, positionId, status }) => ({ shiftId, date, start, end, positionId, status }));
}

/** The person who asked (or a manager for them) withdraws a pending request. */
export async function cancelTimeOff(caller: Caller, siteId: string, userId: string, requestId: string): Promise<TimeOffRecord> {
  if (!mayActFor(caller, userId)) throw notFound();
  const request = await find(siteId, userId, requestId);
  if (request.status !== 'pending') throw new ConflictError(`Only a pending request can be cancelled; this one is ${request.status}`, { status: request.status });
  const cancelled: TimeOffRecord = { ...request, status: 'cancelled', version: request.version + 1, decidedAt: new Date().toISOString(), decidedBy: caller.userId };
  await timeOffStore.update(cancelled);
  return cancelled;
}
