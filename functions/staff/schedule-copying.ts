// Copying a rota forward: every shift of some days (drafts and published alike) becomes a draft `offsetDays` later,
// with the same person, position, site-local times, break and note, through the same create as a manager's own
// (schedule.ts createShift), so the schedule rules judge each copy on its new day. A copy the rules refuse (an
// overlap, time off, a cap) is skipped and reported with the reason, not the whole copy: the manager fixes those by
// hand. Overrides are not copied: a conflict accepted last week is judged again. One shift at a time, in start order,
// so a person's copies are checked against each other. A copy's id is derived from the shift it copies and the
// offset, so a copy run again (a retry after a timeout, or the same days copied twice) skips what is already there
// ("already there", 409) instead of making a second shift: open shifts have no person whose overlap would stop it.
import { createHash } from 'node:crypto';
import { ConflictError, UnprocessableError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { addDays, localTimeOf } from '#shared/time';
import { shiftStore } from './config';
import { createShift, siteContext } from './schedule';
import type { CopySchedule, CreateShift } from './schedule-schemas';
import type { ShiftRecord } from './shift-store';

export interface CopyResult {
  copied: ShiftRecord[];
  skipped: Array<{ shiftId: string; date: string; userId?: string; status: number; reason: string; details?: unknown }>;
}

/** The random part of a copy's id: the same shift copied by the same offset always gets the same id. */
function copyIdSuffix(sourceShiftId: string, offsetDays: number): string {
  return createHash('sha256').update(`${sourceShiftId}+${offsetDays}`).digest('hex').slice(0, 12);
}

export async function copySchedule(caller: Caller, siteId: string, body: CopySchedule): Promise<CopyResult> {
  const site = await siteContext(siteId);
  const source = await shiftStore.shiftsOn(siteId, body.from, body.to, { consistent: true });
  const result: CopyResult = { copied: [], skipped: [] };
  for (const shift of [...source].sort((a, b) => a.start.localeCompare(b.start))) {
    const date = addDays(shift.date, body.offsetDays);
    const times = { start: localTimeOf(Date.parse(shift.start), site.timeZone), end: localTimeOf(Date.parse(shift.end), site.timeZone) };
    try {
      const copy = await createShift(caller, siteId, {
        date,
        ...times,
        // A stored shift's position passed the create's schema when it was written.
        positionId: shift.positionId as CreateShift['positionId'],
        ...(shift.userId ? { userId: shift.userId } : {}),
        breakMinutes: shift.breakMinutes,
        ...(shift.note ? { note: shift.note } : {}),
        override: false,
      }, copyIdSuffix(shift.shiftId, body.offsetDays));
      result.copied.push(copy);
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof UnprocessableError)) throw error;
      result.skipped.push({ shiftId: shift.shiftId, date, ...(shift.userId ? { userId: shift.userId } : {}), status: error.statusCode, reason: error.message, ...(error.details === undefined ? {} : { details: error.details }) });
    }
  }
  return result;
}
