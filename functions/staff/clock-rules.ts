// The time clock's state machine, pure. One clock per person per site:
//
//            clock-in                 break-start
//     off ─────────────▶ working ─────────────────▶ on-break
//      ▲                  │  ▲                         │
//      │    clock-out     │  └──────── break-end ──────┤
//      └──────────────────┘                            │
//      └───────────── clock-out (closes the break) ────┘
//
// Anything else is a 409 naming the state: a second clock-in, a break while off or already on one, a break-end
// without a break. Each tap yields the raw punches it records (a clock-out on a break records the break's end
// first, at the same instant) and the clock after it; the punches are never changed afterwards.
//
// A clock-in is also held to the person's published shifts of the local day (`clockInMarks`): more than the site's
// earlyClockInMinutes before the shift needs a manager, none that day marks the punch unscheduled.
import { ConflictError, HttpError } from '#shared/errors';
import { localDateOf } from '#shared/time';
import type { PunchRecord } from './schemas';

export const PUNCH_KINDS = ['clock-in', 'break-start', 'break-end', 'clock-out'] as const;
export type PunchKind = (typeof PUNCH_KINDS)[number];
export const CLOCK_STATES = ['off', 'working', 'on-break'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export interface Clock {
  state: ClockState;
  /** The open shift (absent when off). */
  shift?: OpenShift;
  /** The last punch's sequence number in the open shift. */
  seq: number;
  /** 0 before the person's first punch at the site. */
  version: number;
}

export interface OpenShift {
  shiftId: string;
  positionId: string;
  clockedInAt: number;
  /** Closed breaks so far, in whole seconds. */
  breakSeconds: number;
  /** The open break's start, while on a break. */
  breakStartedAt?: number;
}

export interface PlannedPunch {
  kind: PunchKind;
  seq: number;
  closedBy?: 'clock-out';
}

export interface ClosedShift {
  shiftId: string;
  positionId: string;
  clockedInAt: number;
  clockedOutAt: number;
  breakSeconds: number;
  workedSeconds: number;
}

export interface Tap {
  punches: PlannedPunch[];
  after: Clock;
  /** Set by a clock-out: the shift it closed. */
  closed?: ClosedShift;
}

export const OFF_CLOCK: Clock = { state: 'off', seq: 0, version: 0 };

export class ClockStateError extends ConflictError {
  override name = 'ClockStateError';
}

const seconds = (fromMs: number, toMs: number) => Math.max(0, Math.floor((toMs - fromMs) / 1000));

function refuse(kind: PunchKind, state: ClockState): never {
  const why = state === 'off' ? 'not clocked in' : state === 'on-break' ? 'on a break' : kind === 'break-end' ? 'not on a break' : 'already clocked in';
  throw new ClockStateError(`Cannot ${kind}: ${why}`, { state });
}

/** What a tap of `kind` at `now` does to `clock`; a new shift takes `opening`'s id and position. */
export function tap(clock: Clock, kind: PunchKind, now: number, opening?: { shiftId: string; positionId: string }): Tap {
  const next = (state: ClockState, shift: OpenShift | undefined, added: number): Clock => ({
    state,
    ...(shift ? { shift } : {}),
    seq: clock.seq + added,
    version: clock.version + 1,
  });
  switch (kind) {
    case 'clock-in': {
      if (clock.state !== 'off') refuse(kind, clock.state);
      if (!opening) throw new Error('clock-in needs the new shift');
      const shift: OpenShift = { ...opening, clockedInAt: now, breakSeconds: 0 };
      return { punches: [{ kind, seq: 1 }], after: { ...next('working', shift, 0), seq: 1 } };
    }
    case 'break-start': {
      if (clock.state !== 'working') refuse(kind, clock.state);
      return { punches: [{ kind, seq: clock.seq + 1 }], after: next('on-break', { ...clock.shift!, breakStartedAt: now }, 1) };
    }
    case 'break-end': {
      if (clock.state !== 'on-break') refuse(kind, clock.state);
      return { punches: [{ kind, seq: clock.seq + 1 }], after: next('working', endBreak(clock.shift!, now), 1) };
    }
    case 'clock-out': {
      if (clock.state === 'off') refuse(kind, clock.state);
      const onBreak = clock.state === 'on-break';
      const shift = onBreak ? endBreak(clock.shift!, now) : clock.shift!;
      const punches: PlannedPunch[] = onBreak
        ? [{ kind: 'break-end', seq: clock.seq + 1, closedBy: 'clock-out' }, { kind, seq: clock.seq + 2 }]
        : [{ kind, seq: clock.seq + 1 }];
      const span = seconds(shift.clockedInAt, now);
      return {
        punches,
        after: { state: 'off', seq: 0, version: clock.version + 1 },
        closed: {
          shiftId: shift.shiftId,
          positionId: shift.positionId,
          clockedInAt: shift.clockedInAt,
          clockedOutAt: now,
          breakSeconds: Math.min(shift.breakSeconds, span),
          workedSeconds: Math.max(0, span - shift.breakSeconds),
        },
      };
    }
  }
}

function endBreak(shift: OpenShift, now: number): OpenShift {
  const { breakStartedAt, ...rest } = shift;
  return { ...rest, breakSeconds: shift.breakSeconds + seconds(breakStartedAt ?? now, now) };
}

/** What a clock-in punch records about the schedule it was held to. */
export interface ClockInMarks {
  /** The published shift the clock-in is for. */
  scheduledShiftId?: string;
  /** No published shift of the person that local day. */
  unscheduled?: true;
  /** Early, let through by this manager (or owner) on the tablet. */
  earlyApprovedBy?: string;
}

export class EarlyClockInError extends HttpError {
  override name = 'EarlyClockInError';
  constructor(details: { shiftId: string; shiftStart: string; clockInFrom: string }) {
    super(409, 'EARLY_CLOCK_IN', `Too early for the shift at ${details.shiftStart}: clock in from ${details.clockInFrom}, or ask a manager`, details);
  }
}

/**
 * Holds a clock-in at `now` to the person's published shifts starting that local day: the first not yet over (the
 * last one when all are) is the one it is for. More than `earlyMinutes` before its start needs `approver` (a manager
 * tapping on the tablet); staff tapping for themselves get an EarlyClockInError naming when they may clock in.
 */
export function clockInMarks(shiftsToday: ReadonlyArray<{ shiftId: string; start: string; end: string }>, now: number, earlyMinutes: number, approver: string | undefined): ClockInMarks {
  if (shiftsToday.length === 0) return { unscheduled: true };
  const ordered = [...shiftsToday].sort((a, b) => a.start.localeCompare(b.start));
  const shift = ordered.find((s) => Date.parse(s.end) > now) ?? ordered.at(-1)!;
  const clockInFrom = Date.parse(shift.start) - earlyMinutes * 60_000;
  if (now >= clockInFrom) return { scheduledShiftId: shift.shiftId };
  if (!approver) throw new EarlyClockInError({ shiftId: shift.shiftId, shiftStart: shift.start, clockInFrom: new Date(clockInFrom).toISOString() });
  return { scheduledShiftId: shift.shiftId, earlyApprovedBy: approver };
}

export interface PunchContext {
  siteId: string;
  userId: string;
  /** Who tapped, or `system` for the auto-close job. */
  by: string;
  timeZone: string;
  deviceTime?: string;
  /** A clock-in's schedule marks. */
  marks?: ClockInMarks;
  /** Set on the clock-out punch the auto-close job writes. */
  closedBy?: 'auto-close';
}

/** The raw punch records of `outcome`, a tap of the clock `before` taken at `at` (epoch ms). */
export function punchRecords(outcome: Tap, before: Clock, at: number, context: PunchContext): PunchRecord[] {
  const shift = outcome.after.shift ?? before.shift!;
  return outcome.punches.map((planned) => ({
    siteId: context.siteId,
    userId: context.userId,
    shiftId: shift.shiftId,
    seq: planned.seq,
    kind: planned.kind,
    at: new Date(at).toISOString(),
    localDate: localDateOf(at, context.timeZone),
    positionId: shift.positionId,
    by: context.by,
    ...(context.deviceTime !== undefined ? { deviceTime: context.deviceTime } : {}),
    ...(planned.kind === 'clock-in' ? context.marks : {}),
    ...(planned.closedBy ? { closedBy: planned.closedBy } : planned.kind === 'clock-out' && context.closedBy ? { closedBy: context.closedBy } : {}),
  }));
}
