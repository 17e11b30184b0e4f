// Publishing the schedule of some days: every draft shift, and every published one edited since, of the range
// becomes published, checked again by the schedule rules (what was fine when drafted may not be now: time off
// approved since, a colleague's shift added), in as few transactions as DynamoDB's 100 items allow, each on condition
// of the versions read (a concurrent edit: 409, publish again). The weeks' records are updated and each person whose
// shifts were published gets one `staff.schedule-published` event with them, through the outbox in the same
// transaction, so the notifications domain tells them. So does each person a shift was published to before and who
// no longer has it (given to someone else, or open again): the event names it as removed.
import { randomUUID } from 'node:crypto';
import { isConditionFailure } from '#shared/dynamodb';
import { ConflictError, UnprocessableError } from '#shared/errors';
import { buildEvent, type EventEnvelope } from '#shared/events';
import type { Caller } from '#shared/identity';
import { addDays } from '#shared/time';
import { availabilityStore, profileStore, shiftStore, timeOffStore } from './config';
import { payrollPack } from './payroll-packs';
import { planned, siteContext } from './schedule';
import { conflictsOf, flagsAllowed, headcountOn, transactionBatches, weeklyCaps, workweekStart, type Conflict } from './schedule-rules';
import type { ShiftRecord } from './shift-store';

/** A shift as the last publish told it to a person who no longer has it. */
type RemovedShift = { shiftId: string; date: string; userId: string; start: string; end: string; positionId: string };

export interface PublishResult {
  publishId: string;
  published: number;
  people: string[];
  weeks: string[];
  shifts: ShiftRecord[];
}

export async function publishSchedule(caller: Caller, siteId: string, from: string, to: string, correlationId: string): Promise<PublishResult> {
  const site = await siteContext(siteId);
  const { workweekStartsOn } = site.settings;
  const firstWeek = workweekStart(from, workweekStartsOn);
  const weeks: string[] = [];
  for (let week = firstWeek; week <= to; week = addDays(week, 7)) weeks.push(week);
  // The weeks the range touches, and two days either side, so caps, overlaps and rest see every neighbour.
  const around = await shiftStore.shiftsOn(siteId, addDays(firstWeek, -2), addDays(weeks.at(-1)!, 8), { consistent: true });
  const pending = around.filter((shift) => shift.date >= from && shift.date <= to && (shift.status === 'draft' || shift.republish));
  const publishId = randomUUID();
  if (pending.length === 0) return { publishId, published: 0, people: [], weeks, shifts: [] };

  const checked = await recheck(pending, around, site);
  const at = new Date().toISOString();
  const published = pending.map((shift): ShiftRecord => {
    const { republish: _republish, lastPublished: _last, ...rest } = shift;
    return {
      ...rest,
      status: 'published',
      flags: checked.get(shift.shiftId) ?? [],
      publishedAt: at,
      ...(shift.userId ? { lastPublished: { userId: shift.userId, start: shift.start, end: shift.end, positionId: shift.positionId } } : {}),
      version: shift.version + 1,
      updatedAt: at,
      updatedBy: caller.userId,
    };
  });
  const byPerson = new Map<string, { shifts: ShiftRecord[]; removed: RemovedShift[] }>();
  const of = (userId: string) => byPerson.get(userId) ?? byPerson.set(userId, { shifts: [], removed: [] }).get(userId)!;
  for (const shift of published) of(shift.userId ?? '').shifts.push(shift);
  // Told it was theirs at the last publish, and someone else's (or open) now: as they were told it.
  for (const { shiftId, date, userId, lastPublished: told } of pending) if (told && told.userId !== userId) of(told.userId).removed.push({ shiftId, date, ...told });
  // Those who lost a shift go first: a publish that stops part-way (409, publish again) has told them in an earlier
  // transaction than the one moving the shift on, so the next publish may tell them twice but never not at all.
  const groups = [...byPerson].sort(([, a], [, b]) => Number(b.removed.length > 0) - Number(a.removed.length > 0));
  const batches = transactionBatches(
    groups.map(([userId, { shifts, removed }]) => ({ shifts, ...(userId ? { event: scheduleEvent({ siteId, publishId, userId, from, to, correlationId, shifts, removed }) } : {}) })),
    weeks.length,
  );
  for (const [index, batch] of batches.entries()) {
    try {
      await shiftStore.publish(siteId, batch.shifts, index === 0 ? weeks : [], at, caller.userId, batch.events);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const done = batches.slice(0, index).reduce((sum, b) => sum + b.shifts.length, 0);
      throw new ConflictError('A shift changed while publishing; reload and publish again', { published: done });
    }
  }
  return { publishId, published: published.length, people: [...byPerson.keys()].filter(Boolean), weeks, shifts: published };
}

/** The flags each pending shift keeps; refuses the publish (409 an overlap, 422 the rest) naming every shift in the way. */
async function recheck(pending: readonly ShiftRecord[], around: readonly ShiftRecord[], site: Awaited<ReturnType<typeof siteContext>>): Promise<Map<string, Conflict[]>> {
  const people = [...new Set(pending.flatMap((shift) => (shift.userId ? [shift.userId] : [])))];
  const first = pending.reduce((min, s) => (s.date < min ? s.date : min), pending[0]!.date);
  const last = addDays(pending.reduce((max, s) => (s.date > max ? s.date : max), pending[0]!.date), 1);
  const contexts = new Map(
    await Promise.all(
      people.map(async (userId) => {
        const [profile, availability, daysOff] = await Promise.all([profileStore.get(site.siteId, userId), availabilityStore.get(site.siteId, userId), timeOffStore.approvedDaysOff(site.siteId, userId, first, last)]);
        return [userId, { profile, availability, daysOff: new Set(daysOff.map((day) => day.date)) }] as const;
      }),
    ),
  );
  const flags = new Map<string, Conflict[]>();
  const refused: Array<{ shiftId: string; status: number; conflicts: Conflict[] }> = [];
  for (const shift of pending) {
    const person = shift.userId ? contexts.get(shift.userId) : undefined;
    if (!shift.userId || !person) continue;
    if (!person.profile) {
      refused.push({ shiftId: shift.shiftId, status: 422, conflicts: [] });
      continue;
    }
    const weekStart = workweekStart(shift.date, site.settings.workweekStartsOn);
    const conflicts = conflictsOf(planned(shift), {
      shifts: around.filter((other) => other.userId === shift.userId).map(planned),
      daysOff: person.daysOff,
      availability: person.availability.days,
      caps: weeklyCaps(payrollPack(person.profile.payPack), person.profile.employment, headcountOn(site.settings, addDays(weekStart, 6))),
      minRestMinutes: site.settings.minRestMinutes,
      workweekStartsOn: site.settings.workweekStartsOn,
      timeZone: site.timeZone,
    });
    try {
      flags.set(shift.shiftId, flagsAllowed(conflicts, shift.override ?? false));
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof UnprocessableError)) throw error;
      refused.push({ shiftId: shift.shiftId, status: error.statusCode, conflicts: conflicts.filter((c) => c.kind !== 'short-rest') });
    }
  }
  if (refused.length > 0) {
    const details = { field: 'shifts', refused };
    const message = `${refused.length} shift(s) cannot be published as they stand: fix or override them, then publish again`;
    throw refused.some((r) => r.status === 409) ? new ConflictError(message, details) : new UnprocessableError(message, details);
  }
  return flags;
}

function scheduleEvent(input: {
  siteId: string;
  publishId: string;
  userId: string;
  from: string;
  to: string;
  correlationId: string;
  shifts: readonly ShiftRecord[];
  removed: readonly RemovedShift[];
}): EventEnvelope {
  const { siteId, publishId, userId, from, to, correlationId, shifts, removed } = input;
  return buildEvent({
    type: 'staff.schedule-published',
    source: 'staff',
    siteId,
    correlationId,
    id: `schedule-published:${publishId}:${userId}`,
    data: {
      publishId,
      userId,
      from,
      to,
      shifts: shifts.map(({ shiftId, date, start, end, positionId, breakMinutes }) => ({ shiftId, date, start, end, positionId, breakMinutes })),
      ...(removed.length > 0 ? { removed: removed.map(({ shiftId, date, start, end, positionId }) => ({ shiftId, date, start, end, positionId })) } : {}),
    },
  });
}
