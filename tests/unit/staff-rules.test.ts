// The staff domain's pure rules: the time clock's state machine (every allowed tap and every refusal, breaks counted
// out of the time worked), wages effective on a date, an edit that must keep the wage history, the position a
// clock-in works, the directory subscription, and the events' contracts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseEvent } from '../../functions/shared/contracts';
import { ClockStateError, OFF_CLOCK, tap, type Clock, type PunchKind } from '../../functions/staff/clock-rules';
import { DIRECTORY_EVENTS } from '../../functions/staff/directory-store';
import { clockedIn, clockedOut } from '../../functions/staff/events';
import { assertHistoryKept, positionToWork, wageOn, whyNoProfileAt } from '../../functions/staff/profile-rules';
import { punchQuerySchema, putProfileSchema, type Position } from '../../functions/staff/schemas';
import { staffKeys } from '../../functions/staff/table';

const T0 = Date.parse('2026-11-25T15:00:00Z');
const min = (n: number) => n * 60_000;
const opening = { shiftId: 'shift-1', positionId: 'server' };

/** Applies taps in turn, each `at` minutes after T0. */
function run(taps: Array<[PunchKind, number]>, from: Clock = OFF_CLOCK) {
  let clock = from;
  const outcomes = [];
  for (const [kind, at] of taps) {
    const outcome = tap(clock, kind, T0 + min(at), kind === 'clock-in' ? opening : undefined);
    outcomes.push(outcome);
    clock = outcome.after;
  }
  return { clock, outcomes };
}

describe('the time clock', () => {
  it('a day: in, a break, out; the break is not worked time; one punch per tap, numbered', () => {
    const { clock, outcomes } = run([['clock-in', 0], ['break-start', 240], ['break-end', 270], ['clock-out', 480]]);
    expect(outcomes.map((o) => o.after.state)).toEqual(['working', 'on-break', 'working', 'off']);
    expect(outcomes.flatMap((o) => o.punches.map((p) => `${p.kind}#${p.seq}`))).toEqual(['clock-in#1', 'break-start#2', 'break-end#3', 'clock-out#4']);
    expect(outcomes[3]!.closed).toEqual({ shiftId: 'shift-1', positionId: 'server', clockedInAt: T0, clockedOutAt: T0 + min(480), breakSeconds: 30 * 60, workedSeconds: 450 * 60 });
    expect(clock).toEqual({ state: 'off', seq: 0, version: 4 });
  });

  it('two breaks add up', () => {
    const { outcomes } = run([['clock-in', 0], ['break-start', 60], ['break-end', 70], ['break-start', 200], ['break-end', 215], ['clock-out', 300]]);
    expect(outcomes.at(-1)!.closed).toMatchObject({ breakSeconds: 25 * 60, workedSeconds: 275 * 60 });
  });

  it('clock-out while on a break closes the break first, at the same instant', () => {
    const { outcomes } = run([['clock-in', 0], ['break-start', 100], ['clock-out', 130]]);
    const out = outcomes[2]!;
    expect(out.punches).toEqual([{ kind: 'break-end', seq: 3, closedBy: 'clock-out' }, { kind: 'clock-out', seq: 4 }]);
    expect(out.closed).toMatchObject({ breakSeconds: 30 * 60, workedSeconds: 100 * 60 });
  });

  it('the clock after a clock-out opens a new shift with its own numbering', () => {
    const { clock } = run([['clock-in', 0], ['clock-out', 60]]);
    const again = tap(clock, 'clock-in', T0 + min(120), { shiftId: 'shift-2', positionId: 'host' });
    expect(again.punches).toEqual([{ kind: 'clock-in', seq: 1 }]);
    expect(again.after).toMatchObject({ state: 'working', shift: { shiftId: 'shift-2', positionId: 'host', clockedInAt: T0 + min(120) }, version: 3 });
  });

  it.each<[string, Array<[PunchKind, number]>, PunchKind, RegExp]>([
    ['a second clock-in', [['clock-in', 0]], 'clock-in', /already clocked in/],
    ['a clock-in on a break', [['clock-in', 0], ['break-start', 1]], 'clock-in', /on a break/],
    ['a break-start while off', [], 'break-start', /not clocked in/],
    ['a second break-start', [['clock-in', 0], ['break-start', 1]], 'break-start', /on a break/],
    ['a break-end without a break', [['clock-in', 0]], 'break-end', /not on a break/],
    ['a break-end while off', [], 'break-end', /not clocked in/],
    ['a clock-out while off', [], 'clock-out', /not clocked in/],
  ])('%s is a 409', (_, before, kind, message) => {
    const { clock } = run(before);
    expect(() => tap(clock, kind, T0 + min(5), opening)).toThrow(ClockStateError);
    expect(() => tap(clock, kind, T0 + min(5), opening)).toThrow(expect.objectContaining({ statusCode: 409, message: expect.stringMatching(message) }));
  });

  it('a clock that went backwards never makes negative time', () => {
    const { clock } = run([['clock-in', 10]]);
    expect(tap(clock, 'clock-out', T0, undefined).closed).toMatchObject({ breakSeconds: 0, workedSeconds: 0 });
  });
});

describe('wages, effective-dated', () => {
  const wages = [
    { from: '2026-01-01', kind: 'hourly' as const, amount: 1030_0 },
    { from: '2026-07-01', kind: 'hourly' as const, amount: 1100_0 },
    { from: '2027-01-01', kind: 'monthly' as const, amount: 2_500_000_00 },
  ];

  it('the wage on a day is the last one started on or before it', () => {
    expect(wageOn(wages, '2025-12-31')).toBeUndefined();
    expect(wageOn(wages, '2026-01-01')?.amount).toBe(10300);
    expect(wageOn(wages, '2026-06-30')?.amount).toBe(10300);
    expect(wageOn(wages, '2026-07-01')?.amount).toBe(11000);
    expect(wageOn(wages, '2027-03-15')).toEqual(wages[2]);
  });

  const position = (positionId: Position['positionId'], list = wages.slice(0, 2), active = true): Position => ({ positionId, active, wages: list });

  it('an edit may append a raise, add a position or retire one', () => {
    expect(() => assertHistoryKept([position('server')], [position('server', wages), position('host')])).not.toThrow();
    expect(() => assertHistoryKept([position('server')], [position('server', wages.slice(0, 2), false)])).not.toThrow();
  });

  it('an edit may not rewrite, drop or insert before a stored wage, nor remove a position (422 at the field)', () => {
    const rewritten = [{ ...wages[0]!, amount: 9999 }, wages[1]!];
    expect(() => assertHistoryKept([position('server')], [position('server', rewritten)])).toThrow(/append a new wage/);
    expect(() => assertHistoryKept([position('server')], [position('server', wages.slice(0, 1))])).toThrow(/append a new wage/);
    const inserted = [wages[0]!, { from: '2026-03-01', kind: 'hourly' as const, amount: 10500 }, wages[1]!];
    expect(() => assertHistoryKept([position('server')], [position('host'), position('server', inserted)])).toThrow(
      expect.objectContaining({ statusCode: 422, details: { field: 'positions.1.wages.1' } }),
    );
    expect(() => assertHistoryKept([position('server'), position('host')], [position('server')])).toThrow(/mark it inactive/);
  });

  it('a profile body refuses wages out of order, a duplicate position, money that is not integer minor units, and an odd pack', () => {
    const body = {
      positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1800 }] }],
      employment: { type: 'part-time', weeklyHours: 24.5, weeklyDays: 4, restDay: 'sun' },
      payPack: 'us.flsa@2026.1.0',
    };
    expect(putProfileSchema.safeParse(body).success).toBe(true);
    const broken = (change: Record<string, unknown>) => putProfileSchema.safeParse({ ...body, ...change }).success;
    expect(broken({ positions: [{ positionId: 'server', wages: [{ from: '2026-02-01', kind: 'hourly', amount: 1 }, { from: '2026-01-01', kind: 'hourly', amount: 2 }] }] })).toBe(false);
    expect(broken({ positions: [body.positions[0], body.positions[0]] })).toBe(false);
    expect(broken({ positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 18.5 }] }] })).toBe(false);
    expect(broken({ positions: [{ positionId: 'server', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1e300 }] }] })).toBe(false);
    expect(broken({ positions: [{ positionId: 'astronaut', wages: [{ from: '2026-01-01', kind: 'hourly', amount: 1 }] }] })).toBe(false);
    expect(broken({ employment: { ...body.employment, weeklyHours: 24.3 } })).toBe(false);
    expect(broken({ payPack: 'latest' })).toBe(false);
  });

  it('a punch range is ordered and bounded', () => {
    expect(punchQuerySchema.safeParse({ from: '2026-11-01', to: '2026-11-30' }).success).toBe(true);
    expect(punchQuerySchema.safeParse({ from: '2026-11-30', to: '2026-11-01' }).success).toBe(false);
    expect(punchQuerySchema.safeParse({ from: '2026-01-01', to: '2026-12-31' }).success).toBe(false);
  });
});

describe('who works where', () => {
  it('a clock-in works an active position of the profile: the first unless one is named', () => {
    const positions: Position[] = [
      { positionId: 'host', active: false, wages: [] },
      { positionId: 'server', active: true, wages: [] },
      { positionId: 'bartender', active: true, wages: [] },
    ];
    expect(positionToWork(positions, undefined)).toBe('server');
    expect(positionToWork(positions, 'bartender')).toBe('bartender');
    expect(() => positionToWork(positions, 'host')).toThrow(expect.objectContaining({ statusCode: 422 }));
    expect(() => positionToWork([], undefined)).toThrow(expect.objectContaining({ statusCode: 422 }));
  });

  it('a profile is for an active member of the site (owners belong to every site)', () => {
    const user = { userId: 'u1', name: 'Ana', role: 'staff' as const, sites: ['bistro'], status: 'active' as const, version: 2 };
    expect(whyNoProfileAt(user, 'bistro')).toBeUndefined();
    expect(whyNoProfileAt(user, 'cafe')).toMatch(/does not work/);
    expect(whyNoProfileAt({ ...user, status: 'deactivated' }, 'bistro')).toMatch(/deactivated/);
    expect(whyNoProfileAt({ ...user, role: 'owner', sites: [] }, 'cafe')).toBeUndefined();
  });

  it('the directory subscription takes exactly the events learn-directory.ts handles, with the dead-letter queue', () => {
    const functions = parse(readFileSync(join(__dirname, '../../functions/staff/functions.yml'), 'utf8'));
    const sns = functions.learnStaffDirectory.events[0].sns;
    expect(sns.filterPolicyScope).toBe('MessageAttributes');
    expect([...sns.filterPolicy.type].sort()).toEqual([...DIRECTORY_EVENTS].sort());
    expect(sns.redrivePolicy).toEqual({ deadLetterTargetRef: 'StaffDeadLetterQueue' });
  });

  it('punches sort by instant within the person, and a shift’s punches at one instant by sequence', () => {
    const at = '2026-11-25T15:00:00.000Z';
    const keys = [staffKeys.punch('s', 'u', at, 'shift-1', 10), staffKeys.punch('s', 'u', at, 'shift-1', 9), staffKeys.punch('s', 'u', '2026-11-25T14:00:00.000Z', 'shift-1', 11)];
    expect(keys.map((k) => k.sk).sort()).toEqual([keys[2]!.sk, keys[1]!.sk, keys[0]!.sk]);
  });
});

describe('the events', () => {
  const context = { siteId: 'bistro', userId: 'u1', correlationId: 'c1', localDate: '2026-11-25' };

  it('clock-in and clock-out build envelopes their contracts accept, with ids per shift', () => {
    const { outcomes } = run([['clock-in', 0], ['break-start', 60], ['clock-out', 90]]);
    const opened = clockedIn(outcomes[0]!.after.shift!, context);
    const closed = clockedOut(outcomes[2]!.closed!, context);
    expect(opened.id).toBe('clock-in:shift-1');
    expect(closed.id).toBe('clock-out:shift-1');
    expect(parseEvent(opened, ['staff.clocked-in'])).toMatchObject({ success: true });
    const parsed = parseEvent(closed, ['staff.clocked-out']);
    expect(parsed).toMatchObject({ success: true, event: { data: { breakSeconds: 1800, workedSeconds: 3600, localDate: '2026-11-25' } } });
  });
});
