// The auto-close job (every 15 minutes, functions.yml): every site's clocks left open past its autoCloseAfterHours
// are closed by the clock-out's own transaction (the clock on condition of the version read, so a tap racing the job
// wins or loses whole: never two clock-outs), at the time auto-close-rules.ts decides. The clock-out punch is marked
// `closedBy: 'auto-close'` and `by: 'system'`, and staff.clocked-out carries `autoClosed: true`, so timesheets and the
// manager see it flagged. A site that fails is logged and the others go on.
import { isConditionFailure } from '#shared/dynamodb';
import { scheduledJob } from '#shared/jobs';
import { logger } from '#shared/logger';
import { addDays, localDateOf } from '#shared/time';
import { autoCloseDecision, isDue } from './auto-close-rules';
import { punchRecords, tap, type Clock } from './clock-rules';
import type { ClockRow } from './clock-store';
import { clockStore, directoryStore, settingsStore, shiftStore } from './config';
import { clockedOut } from './events';

interface Totals {
  closed: number;
  /** A tap changed the clock between the job's read and its write: the tap won; the next run looks again. */
  raced: number;
  failed: number;
}

async function closeForgotten(siteId: string, now: number, correlationId: string, totals: Totals): Promise<void> {
  const open = (await clockStore.onTheClock(siteId)).filter((row) => row.shift);
  if (open.length === 0) return;
  const [settings, timeZone] = await Promise.all([settingsStore.get(siteId), directoryStore.timeZoneOf(siteId)]);
  for (const row of open) {
    const shift = row.shift!;
    if (!isDue(shift.clockedInAt, now, settings.autoCloseAfterHours)) continue;
    const clockInDay = localDateOf(shift.clockedInAt, timeZone);
    // Only a due clock costs the schedule read: a night shift may have started the day before.
    const published = await shiftStore.publishedShiftsOf(siteId, row.userId, addDays(clockInDay, -1), clockInDay);
    const decision = autoCloseDecision(shift, Date.parse(row.updatedAt), now, settings, published)!;
    if (!(await closeShift(row, decision.closeAt, timeZone, clockInDay, correlationId))) {
      totals.raced++;
      continue;
    }
    totals.closed++;
    logger.info('auto-closed a forgotten clock-out', { siteId, userId: row.userId, shiftId: shift.shiftId, ...decision, closeAt: new Date(decision.closeAt).toISOString() });
  }
}

/** Writes the clock-out; false when a tap changed the clock first. */
async function closeShift(row: ClockRow, at: number, timeZone: string, clockInDay: string, correlationId: string): Promise<boolean> {
  const { siteId, userId } = row;
  const clock: Clock = { state: row.state, shift: row.shift!, seq: row.seq, version: row.version };
  const outcome = tap(clock, 'clock-out', at);
  const punches = punchRecords(outcome, clock, at, { siteId, userId, by: 'system', timeZone, closedBy: 'auto-close' });
  const event = clockedOut(outcome.closed!, { siteId, userId, correlationId, localDate: clockInDay }, { autoClosed: true });
  try {
    await clockStore.commit(clockStore.tapWrites(siteId, userId, clock, outcome.after, punches, new Date().toISOString()), [event]);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export const handler = scheduledJob(
  'auto-close-clocks',
  async ({ now, correlationId }) => {
    const totals: Totals = { closed: 0, raced: 0, failed: 0 };
    for (const siteId of await directoryStore.siteIds()) {
      try {
        await closeForgotten(siteId, now.getTime(), correlationId, totals);
      } catch (error) {
        totals.failed++;
        logger.error('auto-close failed for a site', { siteId, error: error as Error });
      }
    }
    return totals;
  },
  { quiet: (totals) => totals.closed + totals.raced + totals.failed === 0 },
);
