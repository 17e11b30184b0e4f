// Punch edits' use cases: a request (staff for their own punches, managers and owners for anyone at the site),
// always pending; a decision by a manager or owner (punch-edit-rules.ts says who); the person's list. An edit
// touching a locked pay period is a 409 when asked and when approved: the approval's transaction fails on a period
// locked meanwhile (punch-edit-store.ts), so locked pay never changes under anyone's feet.
import { randomBytes } from 'node:crypto';
import { NotFoundError, UnprocessableError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { answerBudget } from '#shared/pages';
import { localDateOf } from '#shared/time';
import { clockStore, directoryStore, profileStore, punchEditStore, settingsStore, timesheetStore } from './config';
import { addedShiftId, effectiveShifts, rawShifts, type EffectiveShift } from './effective-shifts';
import { periodsTouching } from './pay-period';
import { assertMayDecide, assertNoOverlap, MAX_PENDING_EDITS, type PunchEditBody, type PunchEditRecord } from './punch-edit-rules';
import { PeriodLockedError } from './punch-edit-store';
import { mayActFor } from './profiles';
import type { ProfileRecord } from './schemas';

const DAY_MS = 86_400_000;
const notFound = () => new NotFoundError('Staff profile not found');

/** Time-ordered and unguessable: a list in id order is a list in request order. */
const newEditId = () => `${Date.now().toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;

/** The person's shifts, edits applied, around [from, to] (a day either side): what an edit must not overlap. */
async function shiftsAround(siteId: string, userId: string, from: string, to: string, timeZone: string, edits: readonly PunchEditRecord[]): Promise<EffectiveShift[]> {
  const { punches } = await clockStore.punches(siteId, userId, new Date(Date.parse(from) - DAY_MS).toISOString(), new Date(Date.parse(to) + DAY_MS).toISOString(), 1000, undefined);
  return effectiveShifts(punches, edits, timeZone).shifts;
}

/** The shift an edit replaces or voids: a raw shift, or one an approved edit added. 422 naming shiftId otherwise. */
async function targetShift(siteId: string, userId: string, shiftId: string, timeZone: string, edits: readonly PunchEditRecord[]): Promise<EffectiveShift> {
  const added = edits.find((edit) => edit.status === 'approved' && edit.kind === 'add' && addedShiftId(edit.editId) === shiftId);
  if (added) return effectiveShifts([], [added], timeZone).shifts[0]!;
  const raw = rawShifts(await punchEditStore.punchesOfShift(siteId, userId, shiftId), timeZone);
  const shift = raw.shifts[0];
  if (!shift) {
    const why = raw.open.length > 0 ? 'is still open: clock out (or let the auto-close job close it) before correcting it' : 'is no shift of this person at this site';
    throw new UnprocessableError(`shiftId: ${shiftId} ${why}`, { field: 'shiftId' });
  }
  return shift;
}

function positionFor(profile: ProfileRecord, asked: string | undefined, replaced: EffectiveShift | undefined): string {
  if (asked !== undefined) {
    if (!profile.positions.some((position) => position.positionId === asked)) throw new UnprocessableError(`positionId: not a position of this staff profile: ${asked}`, { field: 'positionId' });
    return asked;
  }
  const position = replaced?.positionId ?? profile.positions.find((p) => p.active)?.positionId;
  if (!position) throw new UnprocessableError('positionId: the staff profile has no active position', { field: 'positionId' });
  return position;
}

/** 409 when one of `dates` lies in a locked pay period of the person. */
async function assertPeriodsOpen(siteId: string, userId: string, dates: readonly string[]) {
  const settings = await settingsStore.get(siteId);
  const periods = periodsTouching(settings.payPeriod, dates);
  const items = await Promise.all(periods.map((period) => timesheetStore.get(siteId, period.from, userId)));
  const locked = items.find((item) => item?.status === 'locked');
  if (locked) throw new PeriodLockedError(`The edit touches the pay period from ${locked.periodFrom}, which is approved and locked`, { periodFrom: locked.periodFrom });
  return periods;
}

export async function requestPunchEdit(caller: Caller, siteId: string, userId: string, body: PunchEditBody): Promise<PunchEditRecord> {
  if (!mayActFor(caller, userId)) throw notFound();
  const [profile, timeZone, edits] = await Promise.all([profileStore.get(siteId, userId), directoryStore.timeZoneOf(siteId), punchEditStore.editsOf(siteId, userId, { consistent: true })]);
  if (!profile) throw notFound();
  // Each pending edit is judged again at every timesheet and approval: a person's queue is bounded, and a manager
  // decides it. Counted before the write, so two requests at the same moment may each pass it by one.
  const pending = edits.filter((edit) => edit.status === 'pending').length;
  if (pending >= MAX_PENDING_EDITS) throw new UnprocessableError(`${pending} punch edits already wait for a manager's decision: ask for these to be decided first`, { pending });
  const replaced = body.shiftId ? await targetShift(siteId, userId, body.shiftId, timeZone, edits) : undefined;
  const dates = [...new Set([...(replaced ? [replaced.date] : []), ...(body.clockIn ? [localDateOf(Date.parse(body.clockIn), timeZone)] : [])])].sort();
  await assertPeriodsOpen(siteId, userId, dates);
  if (body.kind !== 'void') assertNoOverlap(body, await shiftsAround(siteId, userId, body.clockIn!, body.clockOut!, timeZone, edits));
  const edit: PunchEditRecord = {
    siteId,
    userId,
    editId: newEditId(),
    kind: body.kind,
    ...(body.shiftId ? { shiftId: body.shiftId } : {}),
    ...(body.clockIn ? { clockIn: body.clockIn, clockOut: body.clockOut! } : {}),
    breaks: body.breaks,
    positionId: body.kind === 'void' ? replaced!.positionId : positionFor(profile, body.positionId, replaced),
    reason: body.reason,
    dates,
    status: 'pending',
    requestedBy: caller.userId,
    requestedAt: new Date().toISOString(),
    version: 1,
  };
  await punchEditStore.create(edit);
  return edit;
}

export async function decidePunchEdit(caller: Caller, siteId: string, userId: string, editId: string, decision: 'approve' | 'decline', note: string | undefined): Promise<PunchEditRecord> {
  const edit = await punchEditStore.get(siteId, userId, editId);
  if (!edit) throw new NotFoundError('Punch edit not found');
  assertMayDecide(caller, edit);
  const decided: PunchEditRecord = {
    ...edit,
    status: decision === 'approve' ? 'approved' : 'declined',
    decidedBy: caller.userId,
    decidedAt: new Date().toISOString(),
    ...(note ? { note } : {}),
    version: edit.version + 1,
  };
  if (decision === 'decline') {
    await punchEditStore.decide(decided, []);
    return decided;
  }
  const periods = await assertPeriodsOpen(siteId, userId, edit.dates);
  if (edit.kind !== 'void') {
    // Shifts may have changed since the request (another edit approved): the overlap is judged again now.
    const [timeZone, edits] = await Promise.all([directoryStore.timeZoneOf(siteId), punchEditStore.editsOf(siteId, userId, { consistent: true })]);
    assertNoOverlap(edit, await shiftsAround(siteId, userId, edit.clockIn!, edit.clockOut!, timeZone, edits));
  }
  await punchEditStore.decide(decided, periods.map((period) => timesheetStore.periodGuard(siteId, userId, period)));
  return decided;
}

export async function listPunchEdits(caller: Caller, siteId: string, userId: string, query: { status?: PunchEditRecord['status']; limit?: number; cursor?: string }) {
  if (!mayActFor(caller, userId)) throw notFound();
  return punchEditStore.editsPage(siteId, userId, query.status, query.cursor, answerBudget({ limit: query.limit }));
}
