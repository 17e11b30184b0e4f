// When the auto-close job closes a forgotten clock-out, pure. A shift still open `autoCloseAfterHours` after its
// clock-in is due. It closes at the end of the published shift that covers the clock-in (one that started at most
// the site's early clock-in window after it and had not ended), or else at clock-in + autoCloseAfterHours: the
// schedule is the best guess of when the person left, the hours a bound when there is none. Never later than now,
// and never before the clock's last tap (a break started after the scheduled end closes at its own start, so the
// punches stay in order and no time goes negative).
import type { OpenShift } from './clock-rules';

export interface CloseDecision {
  /** Epoch ms of the clock-out the job writes. */
  closeAt: number;
  /** `shift-end`: the covering published shift's end; `after-hours`: clock-in + autoCloseAfterHours. */
  basis: 'shift-end' | 'after-hours';
  /** The covering published shift, when there is one. */
  scheduledShiftId?: string;
}

export interface AutoCloseSettings {
  autoCloseAfterHours: number;
  earlyClockInMinutes: number;
}

/** A shift clocked in at `clockedInAt` is due for closing at `now`. */
export const isDue = (clockedInAt: number, now: number, autoCloseAfterHours: number) => now >= clockedInAt + autoCloseAfterHours * 3_600_000;

/** The clock-out to write for `shift` at `now`, or undefined while it is not due. */
export function autoCloseDecision(
  shift: Pick<OpenShift, 'clockedInAt' | 'breakStartedAt'>,
  lastTapAt: number,
  now: number,
  settings: AutoCloseSettings,
  published: ReadonlyArray<{ shiftId: string; start: string; end: string }>,
): CloseDecision | undefined {
  if (!isDue(shift.clockedInAt, now, settings.autoCloseAfterHours)) return undefined;
  const bound = shift.clockedInAt + settings.autoCloseAfterHours * 3_600_000;
  const covering = published.find((s) => Date.parse(s.start) - settings.earlyClockInMinutes * 60_000 <= shift.clockedInAt && shift.clockedInAt < Date.parse(s.end));
  const planned = covering ? Date.parse(covering.end) : bound;
  const closeAt = Math.max(Math.min(planned, now), lastTapAt, shift.breakStartedAt ?? shift.clockedInAt, shift.clockedInAt);
  return covering ? { closeAt, basis: 'shift-end', scheduledShiftId: covering.shiftId } : { closeAt, basis: 'after-hours' };
}
