// The time clock held to the schedule and its forgotten clock-outs, pure: an early clock-in needs a manager, one with
// no shift that day is unscheduled (clock-rules.ts clockInMarks); when the auto-close job closes an open shift and at
// what time (auto-close-rules.ts); the punch records both write (punchRecords).
import { autoCloseDecision, isDue } from '../../functions/staff/auto-close-rules';
import { clockInMarks, EarlyClockInError, OFF_CLOCK, punchRecords, tap, type Clock } from '../../functions/staff/clock-rules';
import { clockedOut } from '../../functions/staff/events';
import { parseEvent } from '../../functions/shared/contracts';

const at = (iso: string) => Date.parse(iso);
const shift = (shiftId: string, start: string, end: string) => ({ shiftId, start, end });
const lunch = shift('lunch', '2026-11-25T11:00:00.000Z', '2026-11-25T15:00:00.000Z');
const dinner = shift('dinner', '2026-11-25T18:00:00.000Z', '2026-11-25T23:00:00.000Z');

describe('clockInMarks', () => {
  it('no published shift that day: allowed, marked unscheduled', () => {
    expect(clockInMarks([], at('2026-11-25T05:00:00Z'), 10, undefined)).toEqual({ unscheduled: true });
  });

  it('within the early window or later: allowed, held to the shift', () => {
    expect(clockInMarks([lunch], at('2026-11-25T10:50:00Z'), 10, undefined)).toEqual({ scheduledShiftId: 'lunch' });
    expect(clockInMarks([lunch], at('2026-11-25T11:20:00Z'), 10, undefined)).toEqual({ scheduledShiftId: 'lunch' });
  });

  it('earlier than the window: staff get a 409 naming the start and when they may clock in', () => {
    const early = () => clockInMarks([lunch], at('2026-11-25T10:49:59Z'), 10, undefined);
    expect(early).toThrow(EarlyClockInError);
    const refusal = (() => {
      try {
        return early();
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toMatchObject({ statusCode: 409, code: 'EARLY_CLOCK_IN', details: { shiftId: 'lunch', shiftStart: lunch.start, clockInFrom: '2026-11-25T10:50:00.000Z' } });
  });

  it('a manager on the tablet lets an early clock-in through, recorded as theirs', () => {
    expect(clockInMarks([lunch], at('2026-11-25T09:00:00Z'), 10, 'mgr-1')).toEqual({ scheduledShiftId: 'lunch', earlyApprovedBy: 'mgr-1' });
  });

  it('a split shift: after lunch ended, the dinner shift is the one held to (in any order given)', () => {
    expect(() => clockInMarks([dinner, lunch], at('2026-11-25T16:00:00Z'), 10, undefined)).toThrow(/18:00:00/);
    expect(clockInMarks([dinner, lunch], at('2026-11-25T17:55:00Z'), 10, undefined)).toEqual({ scheduledShiftId: 'dinner' });
    // Every shift of the day over: a late clock-in, held to the last one.
    expect(clockInMarks([dinner, lunch], at('2026-11-25T23:30:00Z'), 10, undefined)).toEqual({ scheduledShiftId: 'dinner' });
  });

  it('a window of 0: not a minute early', () => {
    expect(() => clockInMarks([lunch], at('2026-11-25T10:59:59Z'), 0, undefined)).toThrow(EarlyClockInError);
    expect(clockInMarks([lunch], at('2026-11-25T11:00:00Z'), 0, undefined)).toEqual({ scheduledShiftId: 'lunch' });
  });
});

const settings = { autoCloseAfterHours: 16, earlyClockInMinutes: 10 };
const openedAt = at('2026-11-25T10:55:00Z');
const open = { clockedInAt: openedAt };

describe('autoCloseDecision', () => {
  it('not due before autoCloseAfterHours', () => {
    expect(isDue(openedAt, openedAt + 16 * 3_600_000 - 1, 16)).toBe(false);
    expect(autoCloseDecision(open, openedAt, openedAt + 16 * 3_600_000 - 1, settings, [lunch])).toBeUndefined();
  });

  it('due: closed at the end of the published shift covering the clock-in (an early clock-in inside the window counts)', () => {
    expect(autoCloseDecision(open, openedAt, at('2026-11-26T03:00:00Z'), settings, [dinner, lunch])).toEqual({ closeAt: at(lunch.end), basis: 'shift-end', scheduledShiftId: 'lunch' });
  });

  it('no covering shift: closed at clock-in + autoCloseAfterHours', () => {
    const now = at('2026-11-26T05:00:00Z');
    expect(autoCloseDecision(open, openedAt, now, settings, [])).toEqual({ closeAt: openedAt + 16 * 3_600_000, basis: 'after-hours' });
    // A shift starting long after the clock-in, or one that ended before it, does not cover it.
    expect(autoCloseDecision(open, openedAt, now, settings, [dinner, shift('night', '2026-11-24T22:00:00.000Z', '2026-11-25T06:00:00.000Z')])?.basis).toBe('after-hours');
    expect(autoCloseDecision({ clockedInAt: at('2026-11-25T10:49:00Z') }, 0, now, settings, [lunch])?.basis).toBe('after-hours');
  });

  it('never before the last tap nor the open break: punches stay in order', () => {
    const now = at('2026-11-26T05:00:00Z');
    expect(autoCloseDecision({ ...open, breakStartedAt: at('2026-11-25T16:00:00Z') }, at('2026-11-25T16:00:00Z'), now, settings, [lunch])?.closeAt).toBe(at('2026-11-25T16:00:00Z'));
    expect(autoCloseDecision(open, at('2026-11-25T19:30:00Z'), now, settings, [lunch])?.closeAt).toBe(at('2026-11-25T19:30:00Z'));
  });

  it('never after now (a covering shift longer than the window)', () => {
    const long = shift('long', '2026-11-25T10:00:00.000Z', '2026-11-26T12:00:00.000Z');
    const now = at('2026-11-26T03:00:00Z');
    expect(autoCloseDecision(open, openedAt, now, { ...settings, autoCloseAfterHours: 4 }, [long])?.closeAt).toBe(now);
  });
});

describe('the punches and event of an auto-close', () => {
  const opened = tap(OFF_CLOCK, 'clock-in', openedAt, { shiftId: 'shift-1', positionId: 'server' });
  const onBreak: Clock = tap(opened.after, 'break-start', at('2026-11-25T14:00:00Z')).after;
  const closeAt = at('2026-11-25T15:00:00Z');

  it('a clock-out on an open break: the break ends with it; the clock-out is by system, closedBy auto-close', () => {
    const outcome = tap(onBreak, 'clock-out', closeAt);
    const punches = punchRecords(outcome, onBreak, closeAt, { siteId: 's', userId: 'u', by: 'system', timeZone: 'America/Los_Angeles', closedBy: 'auto-close' });
    expect(punches).toEqual([
      expect.objectContaining({ kind: 'break-end', seq: 3, closedBy: 'clock-out', by: 'system', at: '2026-11-25T15:00:00.000Z', localDate: '2026-11-25' }),
      expect.objectContaining({ kind: 'clock-out', seq: 4, closedBy: 'auto-close', by: 'system', shiftId: 'shift-1' }),
    ]);
    expect(outcome.closed).toMatchObject({ breakSeconds: 3600, workedSeconds: 3 * 3600 + 5 * 60 });
  });

  it('clock-in marks go on the clock-in punch only; a tap by a person has no closedBy', () => {
    const inPunch = punchRecords(opened, OFF_CLOCK, openedAt, { siteId: 's', userId: 'u', by: 'mgr', timeZone: 'Asia/Seoul', marks: { scheduledShiftId: 'lunch', earlyApprovedBy: 'mgr' } });
    expect(inPunch).toEqual([expect.objectContaining({ kind: 'clock-in', scheduledShiftId: 'lunch', earlyApprovedBy: 'mgr', localDate: '2026-11-25' })]);
    const out = punchRecords(tap(opened.after, 'clock-out', closeAt), opened.after, closeAt, { siteId: 's', userId: 'u', by: 'u', timeZone: 'UTC' });
    expect(out[0]).not.toHaveProperty('closedBy');
    expect(out[0]).not.toHaveProperty('scheduledShiftId');
  });

  it('staff.clocked-out with autoClosed: true meets the contract; autoClosed false does not', () => {
    const closed = tap(onBreak, 'clock-out', closeAt).closed!;
    const event = clockedOut(closed, { siteId: 's', userId: 'u', correlationId: 'c', localDate: '2026-11-25' }, { autoClosed: true });
    expect(event.data).toMatchObject({ autoClosed: true });
    expect(parseEvent(JSON.parse(JSON.stringify(event)), ['staff.clocked-out'])).toMatchObject({ success: true });
    const broken = { ...JSON.parse(JSON.stringify(event)), data: { ...event.data, autoClosed: false } };
    expect(parseEvent(broken, ['staff.clocked-out'])).toMatchObject({ success: false });
  });
});
