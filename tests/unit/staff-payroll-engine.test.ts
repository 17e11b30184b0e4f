import { computePayroll, PayrollPackError, type PayrollResult } from '../../functions/staff/payroll-engine';
import { PayrollInputError } from '../../functions/staff/payroll-input-schema';
import { krRegularHeadcount } from '../../functions/staff/payroll-kr-headcount';
import { parseRulePack } from '../../functions/staff/payroll-pack-schema';
import { payrollPack, payrollPackRefs, UnknownPayrollPackError } from '../../functions/staff/payroll-packs';
import { krLsa2026 } from '../../functions/staff/packs/kr-2026';
import { brief, contract, shift, zoned } from './fixtures/staff-payroll';

// The engine's time model (midnight, DST, week boundaries, seconds), its input errors, pack versioning, and
// properties over generated weeks.
const CA = payrollPack('us.ca@2026.1.0');
const FLSA = payrollPack('us.flsa@2026.1.0');
const KR = payrollPack('kr.lsa@2026.1.0');
const WAGE = [{ position: 'server', effectiveFrom: '2026-01-01', hourlyRate: 2000 }];
const NIGHT = { shiftDifferentials: [{ id: 'night', label: 'Night differential', window: { start: '22:00', end: '06:00' }, amountPerHour: 150 }] };

function errorOf(run: () => unknown): { name: string; field?: string; statusCode?: number } {
  try {
    run();
  } catch (error) {
    const { name, field, statusCode } = error as { name: string; field?: string; statusCode?: number };
    return { name, field, statusCode };
  }
  throw new Error('expected an error');
}

describe('DST and midnight in the site’s time zone', () => {
  /** One FLSA shift at a Chicago site with a night differential. */
  const flsaShift = (period: { from: string; to: string }, clockIn: string, clockOut: string, workplace = {}) =>
    computePayroll(FLSA, { period, timeZone: 'America/Chicago', punches: [{ id: 'shift', clockIn, clockOut }], contract: contract(), wages: WAGE, policy: NIGHT, workplace });

  it('a 22:00–06:00 shift across the spring-forward hour is 7 hours, split at midnight into two workdays', () => {
    const result = flsaShift({ from: '2026-03-02', to: '2026-03-08' }, '2026-03-07T22:00:00-06:00', '2026-03-08T06:00:00-05:00');
    expect(result.workdays).toEqual([
      { date: '2026-03-07', workedMinutes: 120, unpaidBreakMinutes: 0 },
      { date: '2026-03-08', workedMinutes: 300, unpaidBreakMinutes: 0 },
    ]);
    expect(brief(result.lines).map((line) => [line.ruleId, line.minutes, line.amount])).toEqual([
      ['flsa.pay.base', 420, 14_000],
      ['flsa.pay.differential', 420, 1_050],
    ]);
  });

  it('the same shift across the fall-back hour is 9 hours, all of it in the night window', () => {
    const result = flsaShift({ from: '2026-10-26', to: '2026-11-01' }, '2026-10-31T22:00:00-05:00', '2026-11-01T06:00:00-06:00');
    expect(result.workdays.map((day) => day.workedMinutes)).toEqual([120, 420]);
    expect(brief(result.lines).map((line) => [line.ruleId, line.minutes, line.amount])).toEqual([
      ['flsa.pay.base', 540, 18_000],
      ['flsa.pay.differential', 540, 1_350],
    ]);
  });

  it('CA-DST: 20:00–08:00 on the fall-back night is 12.5 h worked, and 8.5 of them fall on Sunday: 30 min daily overtime', () => {
    const result = computePayroll(CA, {
      period: { from: '2026-10-26', to: '2026-11-01' },
      timeZone: 'America/Los_Angeles',
      punches: [
        {
          id: 'night',
          clockIn: '2026-10-31T20:00:00-07:00',
          clockOut: '2026-11-01T08:00:00-08:00',
          breaks: [
            // The meal straddles the repeated hour: 01:30 PDT to 01:00 PST is 30 minutes.
            { start: '2026-11-01T01:30:00-07:00', end: '2026-11-01T01:00:00-08:00' },
            { start: '2026-10-31T22:00:00-07:00', end: '2026-10-31T22:10:00-07:00', paid: true },
            { start: '2026-11-01T03:00:00-08:00', end: '2026-11-01T03:10:00-08:00', paid: true },
            { start: '2026-11-01T05:00:00-08:00', end: '2026-11-01T05:10:00-08:00', paid: true },
          ],
        },
      ],
      contract: contract(),
      wages: WAGE,
    });
    expect(result.workdays).toEqual([
      { date: '2026-10-31', workedMinutes: 240, unpaidBreakMinutes: 0 },
      { date: '2026-11-01', workedMinutes: 510, unpaidBreakMinutes: 30 },
    ]);
    expect(brief(result.lines)).toEqual([
      { ruleId: 'ca.pay.base', workweek: '2026-10-26', minutes: 750, rate: 2000, percent: 100, amount: 25_000 },
      { ruleId: 'ca.prem.daily_ot', workweek: '2026-10-26', minutes: 30, rate: 2000, percent: 50, amount: 500 },
    ]);
    expect(result.findings).toEqual([]);
  });

  it('a workday starting at 06:00 keeps a night shift in one workday', () => {
    const result = flsaShift({ from: '2026-03-02', to: '2026-03-08' }, '2026-03-04T22:00:00-06:00', '2026-03-05T05:00:00-06:00', { workdayStartsAt: '06:00' });
    expect(result.workdays).toEqual([{ date: '2026-03-04', workedMinutes: 420, unpaidBreakMinutes: 0 }]);
  });

  it('a shift across the workweek boundary splits its minutes between the two workweeks (FLSA fixed 168 h)', () => {
    const result = flsaShift({ from: '2026-02-23', to: '2026-03-08' }, '2026-03-01T20:00:00-06:00', '2026-03-02T04:00:00-06:00');
    expect(brief(result.lines).map((line) => [line.ruleId, line.workweek, line.minutes])).toEqual([
      ['flsa.pay.base', '2026-02-23', 240],
      ['flsa.pay.differential', '2026-02-23', 120],
      ['flsa.pay.base', '2026-03-02', 240],
      ['flsa.pay.differential', '2026-03-02', 240],
    ]);
  });

  it('KR (shift-start workdays) keeps the same shift whole in the week it started', () => {
    const result = computePayroll(KR, {
      period: { from: '2026-02-23', to: '2026-03-08' },
      timeZone: 'Asia/Seoul',
      punches: [shift(zoned('+09:00'), 'sun-mon', '2026-03-01T20:00', '2026-03-02T04:00', [['2026-03-01T23:00', '2026-03-01T23:30']])],
      contract: contract({ weeklyRestDay: 'saturday', dailyStartTime: '09:00' }),
      wages: [{ position: 'server', effectiveFrom: '2026-01-01', hourlyRate: 10_320 }],
      workplace: { regularHeadcount: [{ from: '2026-01-01', status: 'ge5' }] },
    });
    expect(brief(result.lines).map((line) => [line.ruleId, line.workweek, line.minutes])).toEqual([
      ['kr.pay.base', '2026-02-23', 450],
      ['kr.prem.night', '2026-02-23', 330],
    ]);
  });

  it('partial minutes go to the employee: clock-in down, clock-out up, breaks shortened', () => {
    const result = computePayroll(FLSA, {
      period: { from: '2026-03-02', to: '2026-03-08' },
      timeZone: 'America/Chicago',
      punches: [{ id: 'p', clockIn: '2026-03-02T09:00:30-06:00', clockOut: '2026-03-02T17:00:10-06:00', breaks: [{ start: '2026-03-02T12:00:20-06:00', end: '2026-03-02T12:29:50-06:00' }] }],
      contract: contract(),
      wages: WAGE,
    });
    expect(result.workdays).toEqual([{ date: '2026-03-02', workedMinutes: 481 - 28, unpaidBreakMinutes: 28 }]);
  });

  it('flags less rest between shifts than the site asks for', () => {
    const at = zoned('-06:00');
    const result = computePayroll(FLSA, {
      period: { from: '2026-03-02', to: '2026-03-08' },
      timeZone: 'America/Chicago',
      punches: [shift(at, 'close', '2026-03-02T16:00', '2026-03-02T23:30'), shift(at, 'open', '2026-03-03T06:30', '2026-03-03T12:00')],
      contract: contract(),
      wages: WAGE,
      policy: { minRestMinutes: 600 },
    });
    expect(result.findings).toEqual([expect.objectContaining({ ruleId: 'policy.min_rest', date: '2026-03-03', limit: 600, actual: 420 })]);
  });
});

describe('bad input is a 422 naming the field', () => {
  const base = {
    period: { from: '2026-03-02', to: '2026-03-08' },
    timeZone: 'America/Chicago',
    punches: [{ id: 'a', clockIn: '2026-03-02T09:00:00-06:00', clockOut: '2026-03-02T17:00:00-06:00' }],
    contract: contract(),
    wages: WAGE,
  };
  const run = (overrides: object, pack = FLSA) => errorOf(() => computePayroll(pack, { ...base, ...overrides } as typeof base));

  it.each([
    ['a backwards punch', { punches: [{ id: 'a', clockIn: '2026-03-02T17:00:00-06:00', clockOut: '2026-03-02T09:00:00-06:00' }] }, 'punches.0.clockOut'],
    [
      'overlapping punches',
      { punches: [base.punches[0], { id: 'b', clockIn: '2026-03-02T16:00:00-06:00', clockOut: '2026-03-02T18:00:00-06:00' }] },
      'punches.1.clockIn',
    ],
    [
      'a break outside its punch',
      { punches: [{ ...base.punches[0], breaks: [{ start: '2026-03-02T16:30:00-06:00', end: '2026-03-02T17:30:00-06:00' }] }] },
      'punches.0.breaks.0',
    ],
    ['a backwards period', { period: { from: '2026-03-08', to: '2026-03-02' } }, 'period.to'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['a position without a wage', { wages: [{ position: 'host', effectiveFrom: '2026-01-01', hourlyRate: 2000 }] }, 'wages'],
    ['a raise that is not yet in effect', { wages: [{ position: 'server', effectiveFrom: '2026-03-03', hourlyRate: 2000 }] }, 'wages'],
  ])('%s', (_, overrides, field) => {
    expect(run(overrides)).toEqual({ name: 'PayrollInputError', field, statusCode: 422 });
  });

  it('the KR pack needs the headcount status', () => {
    expect(run({ timeZone: 'Asia/Seoul' }, KR)).toEqual({ name: 'PayrollInputError', field: 'workplace.regularHeadcount', statusCode: 422 });
  });

  it('errors are PayrollInputError instances', () => {
    expect(() => computePayroll(FLSA, { ...base, timeZone: 'nowhere' })).toThrow(PayrollInputError);
  });
});

describe('rule packs: data, validated, frozen, versioned', () => {
  it('ships KR 2026, US-FLSA 2026 and US-CA 2026, each by id@version', () => {
    expect(payrollPackRefs()).toEqual(['kr.lsa@2026.1.0', 'us.ca@2026.1.0', 'us.flsa@2026.1.0']);
    expect(errorOf(() => payrollPack('kr.lsa@2027.1.0'))).toEqual({ name: 'UnknownPayrollPackError', field: undefined, statusCode: 422 });
    expect(() => payrollPack('kr.lsa')).toThrow(UnknownPayrollPackError);
  });

  it('a published pack cannot be changed in place', () => {
    expect(Object.isFrozen(KR)).toBe(true);
    expect(Object.isFrozen(KR.rules[0])).toBe(true);
    expect(() => {
      (KR.minimumWage as Array<{ hourlyRate: number }>)[1]!.hourlyRate = 1;
    }).toThrow(TypeError);
  });

  it('refuses a period outside the pack’s validity and a retracted pack', () => {
    const period = { from: '2027-01-04', to: '2027-01-10' };
    const input = { period, timeZone: 'America/Los_Angeles', punches: [], contract: contract(), wages: WAGE };
    // California's pack ends with 2026 (its minimum wage is indexed yearly); the federal one runs until superseded.
    expect(errorOf(() => computePayroll(CA, input))).toEqual({ name: 'PayrollPackError', field: undefined, statusCode: 422 });
    const retracted = parseRulePack({ ...krLsa2026, version: '2026.1.1', status: 'retracted' });
    expect(() => computePayroll(retracted, { ...input, period: { from: '2026-03-02', to: '2026-03-08' } })).toThrow(PayrollPackError);
    expect(computePayroll(FLSA, { ...input, timeZone: 'America/Chicago' }).totals.amount).toBe(0);
  });

  it('rejects a malformed pack: bad version, duplicate rule ids, no base rule, unknown rule kind', () => {
    expect(() => parseRulePack({ ...krLsa2026, version: '2026.1' })).toThrow(/semantic version/);
    expect(() => parseRulePack({ ...krLsa2026, rules: [...krLsa2026.rules, krLsa2026.rules[0]] })).toThrow(/duplicate rule id/);
    expect(() => parseRulePack({ ...krLsa2026, rules: krLsa2026.rules.filter((rule) => rule.kind !== 'pay.base') })).toThrow(/pay.base/);
    expect(() => parseRulePack({ ...krLsa2026, rules: [{ id: 'x', kind: 'script', code: 'return 1' }] })).toThrow();
  });

  it('judges a window rule’s `when` on each workday', () => {
    const nightOnlyAtGe5 = parseRulePack({
      ...krLsa2026,
      version: '2026.9.0',
      status: 'draft',
      rules: krLsa2026.rules.map((rule) =>
        rule.id === 'kr.tag.night' ? { ...rule, when: { headcount: 'ge5' } } : rule.id === 'kr.prem.night' ? { ...rule, when: undefined } : rule,
      ),
    });
    const run = (status: 'ge5' | 'lt5') =>
      computePayroll(nightOnlyAtGe5, {
        period: { from: '2026-03-02', to: '2026-03-08' },
        timeZone: 'Asia/Seoul',
        punches: [shift(zoned('+09:00'), 'n', '2026-03-04T20:00', '2026-03-04T23:00')],
        contract: contract(),
        wages: [{ position: 'server', effectiveFrom: '2026-01-01', hourlyRate: 10_320 }],
        workplace: { regularHeadcount: [{ from: '2026-01-01', status }] },
      }).lines.map((line) => line.ruleId);
    expect(run('ge5')).toEqual(['kr.pay.base', 'kr.prem.night']);
    expect(run('lt5')).toEqual(['kr.pay.base']);
  });

  it('a new pack version changes nothing computed under the old one', () => {
    const at = zoned('+09:00');
    const input = {
      period: { from: '2026-03-02', to: '2026-03-08' },
      timeZone: 'Asia/Seoul',
      punches: [shift(at, 'fri', '2026-03-06T19:00', '2026-03-07T02:30', [['2026-03-06T21:00', '2026-03-06T21:30']])],
      contract: contract({ position: 'cook', dailyStartTime: '11:00' }),
      wages: [{ position: 'cook', effectiveFrom: '2026-01-01', hourlyRate: 10_320 }],
      workplace: { regularHeadcount: [{ from: '2026-01-01', status: 'ge5' as const }] },
    };
    const before = computePayroll(KR, input);
    // A hypothetical 2026.2.0 with a different night premium: a new object, the published one untouched.
    const next = parseRulePack({
      ...krLsa2026,
      version: '2026.2.0',
      supersedes: 'kr.lsa@2026.1.0',
      rules: krLsa2026.rules.map((rule) => (rule.id === 'kr.prem.night' ? { ...rule, percent: 60 } : rule)),
    });
    const underNext = computePayroll(next, input);
    expect(computePayroll(KR, input)).toEqual(before);
    expect(underNext.pack).toEqual({ id: 'kr.lsa', version: '2026.2.0', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(underNext.pack.digest).not.toBe(before.pack.digest);
    expect(before.pack.digest).toBe(computePayroll(parseRulePack(krLsa2026), input).pack.digest);
    expect(underNext.lines.find((line) => line.ruleId === 'kr.prem.night')!.amount).toBe(Math.floor((270 * 10_320 * 60) / 6000));
    expect(before.lines.find((line) => line.ruleId === 'kr.prem.night')!.amount).toBe(23_220);
  });
});

describe('KR headcount (시행령 제7조의2)', () => {
  const month = (counts: number[]) => counts.map((workers, i) => ({ date: `2026-02-${String(i + 1).padStart(2, '0')}`, workers }));

  it('an average under 5 still counts as 5 or more when fewer than half the days were under 5', () => {
    // 20 days: 11 days of 5, 9 days of 2 → average 3.65, 9 of 20 days below 5.
    expect(krRegularHeadcount(month([...Array(11).fill(5), ...Array(9).fill(2)]))).toEqual({
      status: 'ge5',
      personDays: 73,
      operatingDays: 20,
      average: '3.65',
      daysBelowFive: 9,
    });
  });

  it('an average of 5 or more counts as under 5 when half the days or more were under 5', () => {
    // 20 days: 10 days of 9, 10 days of 4 → average 6.50, 10 of 20 days below 5.
    expect(krRegularHeadcount(month([...Array(10).fill(9), ...Array(10).fill(4)]))).toMatchObject({ status: 'lt5', average: '6.50', daysBelowFive: 10 });
  });
});

describe('properties over generated months', () => {
  /** A small deterministic generator (LCG), so every run checks the same cases. */
  function generator(seed: number) {
    let state = seed;
    return (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state % n;
    };
  }

  function month(pack: typeof KR, seed: number, timeZone: string, offset: string) {
    const next = generator(seed);
    const at = zoned(offset);
    const punches = [];
    for (let day = 2; day <= 27; day++) {
      if (next(7) < 2) continue;
      const date = `2026-02-${String(day).padStart(2, '0')}`;
      const startHour = 6 + next(14);
      const length = 3 + next(10);
      const end = startHour + length;
      const endDate = end >= 24 ? `2026-02-${String(day + 1).padStart(2, '0')}` : date;
      const breakAt = startHour + 2 + next(2);
      punches.push(
        shift(
          at,
          `p${day}`,
          `${date}T${String(startHour).padStart(2, '0')}:${next(2) ? '00' : '17'}`,
          `${endDate}T${String(end % 24).padStart(2, '0')}:${next(2) ? '00' : '43'}`,
          length >= 5 ? [[`${date}T${String(breakAt).padStart(2, '0')}:00`, `${date}T${String(breakAt).padStart(2, '0')}:${next(2) ? '30' : '20'}`]] : [],
          length >= 4 ? [[`${date}T${String(startHour + 1).padStart(2, '0')}:10`, `${date}T${String(startHour + 1).padStart(2, '0')}:20`]] : [],
        ),
      );
    }
    return {
      period: { from: '2026-02-01', to: '2026-02-28' },
      timeZone,
      punches,
      contract: contract({ employment: next(2) ? 'part_time' : 'full_time', weeklyMinutes: 1200 + 60 * next(21), dailyMinutes: 240 + 60 * next(5), dailyStartTime: '09:00' }),
      wages: [
        { position: 'server', effectiveFrom: '2026-01-01', hourlyRate: pack.currency.code === 'KRW' ? 10_320 : 1700 + next(500) },
        { position: 'server', effectiveFrom: '2026-02-16', hourlyRate: pack.currency.code === 'KRW' ? 11_000 : 2300 },
      ],
      workplace: { regularHeadcount: [{ from: '2026-01-01', status: next(2) ? ('ge5' as const) : ('lt5' as const) }], publicHolidays: ['2026-02-17'] },
      earnings: { bonuses: [{ id: 'b', label: 'Bonus', date: '2026-02-12', amount: 5000 }], tips: [] },
      policy: NIGHT,
    };
  }

  const cases = [1, 2, 3, 4, 5].flatMap((seed) => [
    { name: `KR seed ${seed}`, pack: KR, input: month(KR, seed, 'Asia/Seoul', '+09:00') },
    { name: `CA seed ${seed}`, pack: CA, input: month(CA, seed, 'America/Los_Angeles', '-08:00') },
    { name: `FLSA seed ${seed}`, pack: FLSA, input: month(FLSA, seed, 'America/Chicago', '-06:00') },
  ]);

  it.each(cases)('$name: total = Σ lines, integer amounts, worked minutes all paid once, order-independent, JSON-stable', ({ pack, input }) => {
    const result: PayrollResult = computePayroll(pack, input);
    expect(result.lines.length).toBeGreaterThan(0);
    expect(result.totals.amount).toBe(result.lines.reduce((sum, line) => sum + line.amount, 0));
    for (const line of result.lines) {
      expect(Number.isSafeInteger(line.amount) && line.amount >= 0).toBe(true);
      expect(Number.isInteger(line.minutes)).toBe(true);
      expect(line.explanation).not.toMatch(/[{}]/);
    }
    const baseMinutes = result.lines.filter((line) => line.payCode.endsWith('_REG') || line.payCode === 'KR_BASE').reduce((sum, line) => sum + line.minutes, 0);
    expect(baseMinutes).toBe(result.workdays.reduce((sum, day) => sum + day.workedMinutes, 0));
    expect(computePayroll(pack, { ...input, punches: [...input.punches].reverse() })).toEqual(result);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it.each(cases)('$name: splitting the period in two pays the same weekly overtime as one period when weeks do not straddle', ({ pack, input }) => {
    // 2026-02-02..02-15 and 02-16..03-01 are whole Monday-based workweeks.
    const whole = computePayroll(pack, { ...input, period: { from: '2026-02-02', to: '2026-03-01' } });
    const first = computePayroll(pack, { ...input, period: { from: '2026-02-02', to: '2026-02-15' } });
    const second = computePayroll(pack, { ...input, period: { from: '2026-02-16', to: '2026-03-01' } });
    expect(first.totals.amount + second.totals.amount).toBe(whole.totals.amount);
  });
});
