import { computePayroll } from '../../functions/staff/payroll-engine';
import { payrollPack } from '../../functions/staff/payroll-packs';
import { brief, contract, shift, zoned } from './fixtures/staff-payroll';

// The US worked cases of docs/payroll.md (CA-OT, CA-7, CA-MR, CA-SR, FLSA-TC, FLSA-RAISE), computed by hand there.
const CA = payrollPack('us.ca@2026.1.0');
const FLSA = payrollPack('us.flsa@2026.1.0');
const la = zoned('-07:00'); // PDT
const chicago = zoned('-05:00'); // CDT
const week = { from: '2026-04-06', to: '2026-04-12' };
const wage = (hourlyRate: number, extra: object = {}) => [{ position: 'server', effectiveFrom: '2026-01-01', hourlyRate, ...extra }];
const caInput = (punches: unknown[], hourlyRate: number, extra: object = {}) =>
  ({ period: week, timeZone: 'America/Los_Angeles', punches, contract: contract(), wages: wage(hourlyRate), ...extra }) as Parameters<typeof computePayroll>[1];

/** 09:00–17:30 with a 30-min meal at 13:00 and two paid rests: 8 h, compliant. */
const caDay = (d: string) =>
  shift(la, d, `2026-04-${d}T09:00`, `2026-04-${d}T17:30`, [[`2026-04-${d}T13:00`, `2026-04-${d}T13:30`]], [
    [`2026-04-${d}T11:00`, `2026-04-${d}T11:10`],
    [`2026-04-${d}T15:30`, `2026-04-${d}T15:40`],
  ]);
/** 09:00–15:30 with a meal at 12:00 and one rest: 6 h, compliant. */
const caShortDay = (d: string) =>
  shift(la, d, `2026-04-${d}T09:00`, `2026-04-${d}T15:30`, [[`2026-04-${d}T12:00`, `2026-04-${d}T12:30`]], [[`2026-04-${d}T10:30`, `2026-04-${d}T10:40`]]);

describe('CA-OT: daily overtime, double time and weekly overtime without pyramiding', () => {
  it('13 h Monday, 8 h Tuesday–Friday, 6 h Saturday: 4 h daily OT, 1 h DT, 6 h weekly OT', () => {
    const monday = shift(
      la,
      'mon',
      '2026-04-06T08:00',
      '2026-04-06T22:00',
      [
        ['2026-04-06T12:00', '2026-04-06T12:30'],
        ['2026-04-06T17:30', '2026-04-06T18:00'],
      ],
      [
        ['2026-04-06T10:00', '2026-04-06T10:10'],
        ['2026-04-06T15:00', '2026-04-06T15:10'],
        ['2026-04-06T20:00', '2026-04-06T20:10'],
      ],
    );
    const result = computePayroll(CA, caInput([monday, caDay('07'), caDay('08'), caDay('09'), caDay('10'), caShortDay('11')], 2000));
    expect(brief(result.lines)).toEqual([
      { ruleId: 'ca.pay.base', workweek: '2026-04-06', minutes: 51 * 60, rate: 2000, percent: 100, amount: 102_000 },
      { ruleId: 'ca.prem.daily_ot', workweek: '2026-04-06', minutes: 4 * 60, rate: 2000, percent: 50, amount: 4_000 },
      { ruleId: 'ca.prem.weekly_ot', workweek: '2026-04-06', minutes: 6 * 60, rate: 2000, percent: 50, amount: 6_000 },
      { ruleId: 'ca.prem.daily_dt', workweek: '2026-04-06', minutes: 60, rate: 2000, percent: 100, amount: 2_000 },
    ]);
    expect(result.totals.amount).toBe(114_000);
    expect(result.findings).toEqual([]);
    expect(result.lines[2]!.legalBasisTags).toEqual(['ca_lc510', 'flsa_s7_required']);
  });
});

describe('CA-7: the seventh consecutive day of the workweek', () => {
  const sunday = shift(la, 'sun', '2026-04-12T08:00', '2026-04-12T18:30', [['2026-04-12T12:00', '2026-04-12T12:30']], [
    ['2026-04-12T10:00', '2026-04-12T10:10'],
    ['2026-04-12T15:00', '2026-04-12T15:10'],
  ]);
  const monToSat = ['06', '07', '08', '09', '10', '11'].map(caShortDay);

  it('all seven days worked: Sunday’s first 8 h at 1.5×, the 2 h beyond at 2×', () => {
    const result = computePayroll(CA, caInput([...monToSat, sunday], 1800));
    expect(brief(result.lines)).toEqual([
      { ruleId: 'ca.pay.base', workweek: '2026-04-06', minutes: 46 * 60, rate: 1800, percent: 100, amount: 82_800 },
      { ruleId: 'ca.prem.seventh_ot', workweek: '2026-04-06', minutes: 8 * 60, rate: 1800, percent: 50, amount: 7_200 },
      { ruleId: 'ca.prem.seventh_dt', workweek: '2026-04-06', minutes: 2 * 60, rate: 1800, percent: 100, amount: 3_600 },
    ]);
    expect(result.totals.amount).toBe(93_600);
  });

  it('six days worked: no 7th-day premium, Sunday’s 2 h over 8 are daily overtime (Mendoza)', () => {
    const result = computePayroll(CA, caInput([...monToSat.slice(1), sunday], 1800));
    expect(brief(result.lines)).toEqual([
      { ruleId: 'ca.pay.base', workweek: '2026-04-06', minutes: 40 * 60, rate: 1800, percent: 100, amount: 72_000 },
      { ruleId: 'ca.prem.daily_ot', workweek: '2026-04-06', minutes: 2 * 60, rate: 1800, percent: 50, amount: 1_800 },
    ]);
  });
});

describe('CA-MR: meal and rest premiums at the regular rate (Ferra)', () => {
  const tuesday = shift(la, 'tue', '2026-04-07T10:00', '2026-04-07T18:00', [], [['2026-04-07T12:00', '2026-04-07T12:10']]);
  const mealAt = (d: string, start: string, end: string) =>
    shift(la, d, `2026-04-${d}T10:00`, `2026-04-${d}T18:30`, [[`2026-04-${d}T${start}`, `2026-04-${d}T${end}`]], [
      [`2026-04-${d}T12:00`, `2026-04-${d}T12:10`],
      [`2026-04-${d}T16:30`, `2026-04-${d}T16:40`],
    ]);
  const input = caInput([tuesday, mealAt('08', '15:01', '15:31'), mealAt('09', '15:00', '15:30')], 2000, {
    earnings: { bonuses: [{ id: 'w15', label: 'Weekly sales bonus', date: '2026-04-08', amount: 4000 }] },
  });

  it('no meal and one rest missing on Tuesday, a meal at 5:01 on Wednesday, a meal at 5:00 on Thursday', () => {
    const result = computePayroll(CA, input);
    expect(brief(result.lines)).toEqual([
      { ruleId: 'ca.pay.base', workweek: '2026-04-06', minutes: 24 * 60, rate: 2000, percent: 100, amount: 48_000 },
      { ruleId: 'ca.pay.bonus', workweek: '2026-04-06', minutes: 0, rate: 0, percent: 100, amount: 4_000 },
      { ruleId: 'ca.pay.meal_premium', workweek: '2026-04-06', minutes: 120, rate: 2167, percent: 100, amount: 4_333 },
      { ruleId: 'ca.pay.rest_premium', workweek: '2026-04-06', minutes: 60, rate: 2167, percent: 100, amount: 2_167 },
    ]);
    expect(result.totals.amount).toBe(58_500);
    expect(result.derived.regularRates[0]!.perHour).toBe('$21.6667');
    expect(result.findings.map(({ ruleId, date, explanation }) => ({ ruleId, date, explanation }))).toEqual([
      { ruleId: 'ca.pay.meal_premium', date: '2026-04-07', explanation: '2026-04-07: no meal period in 8.00 h of work (Labor Code §512).' },
      { ruleId: 'ca.pay.rest_premium', date: '2026-04-07', explanation: '2026-04-07: 1 paid rest period(s) of 10 min for 8.00 h worked; 2 due (Wage Order 5 §12).' },
      { ruleId: 'ca.pay.meal_premium', date: '2026-04-08', explanation: '2026-04-08: first meal started after 5 h 01 min of work (due by 5.00 h) (Labor Code §512).' },
    ]);
  });

  it('a first-meal waiver covers a day of 6 hours or less, not a longer one', () => {
    const sixHours = shift(la, 'fri', '2026-04-10T10:00', '2026-04-10T16:00', [], [['2026-04-10T12:00', '2026-04-10T12:10']]);
    const waived = { contract: contract({ mealPeriodWaivers: { first: true, second: false } }) };
    expect(computePayroll(CA, caInput([sixHours], 2000, waived)).lines.map((l) => l.ruleId)).toEqual(['ca.pay.base']);
    expect(computePayroll(CA, caInput([sixHours], 2000)).lines.map((l) => l.ruleId)).toEqual(['ca.pay.base', 'ca.pay.meal_premium']);
    expect(computePayroll(CA, caInput([tuesday], 2000, waived)).lines.map((l) => l.ruleId)).toContain('ca.pay.meal_premium');
  });
});

describe('CA-SR: split shift and reporting time', () => {
  const schedule = [
    { id: 'fri-lunch', start: la('2026-04-10T10:00'), end: la('2026-04-10T14:00') },
    { id: 'fri-dinner', start: la('2026-04-10T17:00'), end: la('2026-04-10T21:00') },
    { id: 'sat', start: la('2026-04-11T10:00'), end: la('2026-04-11T18:00') },
  ];
  const punches = [
    shift(la, 'fri-1', '2026-04-10T10:00', '2026-04-10T14:00', [], [['2026-04-10T12:00', '2026-04-10T12:10']]),
    shift(la, 'fri-2', '2026-04-10T17:00', '2026-04-10T21:00', [], [['2026-04-10T19:00', '2026-04-10T19:10']]),
    shift(la, 'sat', '2026-04-11T10:00', '2026-04-11T11:30'),
  ];

  it('at $17.00: split-shift premium offset to $16.10, and 2.5 h reporting-time pay for a shift cut to 1.5 h of 8', () => {
    const result = computePayroll(CA, caInput(punches, 1700, { schedule }));
    expect(brief(result.lines)).toEqual([
      { ruleId: 'ca.pay.base', workweek: '2026-04-06', minutes: 570, rate: 1700, percent: 100, amount: 16_150 },
      { ruleId: 'ca.pay.split_shift', workweek: '2026-04-06', minutes: 60, rate: 1690, percent: 100, amount: 1_610 },
      { ruleId: 'ca.pay.reporting_time', workweek: '2026-04-06', minutes: 150, rate: 1700, percent: 100, amount: 4_250 },
    ]);
    expect(result.totals.amount).toBe(22_010);
    expect(result.lines[1]!.explanation).toBe(
      'Split-shift premium 2026-04-10: minimum wage for 8.00 h + 1 h = $152.10, less $136.00 earned that day = $16.10 (1 h at $16.90 offset by pay above minimum). Wage Order 5 §4(C)',
    );
    expect(result.findings).toEqual([]);
  });

  it('at $20.00 the pay above minimum absorbs the split-shift premium', () => {
    const result = computePayroll(CA, caInput(punches, 2000, { schedule }));
    expect(result.lines.map((line) => line.ruleId)).toEqual(['ca.pay.base', 'ca.pay.reporting_time']);
  });

  it('no split premium when the employee asked for the split; no reporting pay for an act of God', () => {
    const asked = schedule.map((s) => (s.id === 'fri-dinner' ? { ...s, employeeRequestedSplit: true } : s.id === 'sat' ? { ...s, reportingExemptReason: 'act_of_god' as const } : s));
    expect(computePayroll(CA, caInput(punches, 1700, { schedule: asked })).lines.map((line) => line.ruleId)).toEqual(['ca.pay.base']);
  });

  it('a second reporting in the day with under 2 h of work is paid 2 h', () => {
    const second = [
      { id: 'am', start: la('2026-04-09T08:00'), end: la('2026-04-09T12:00') },
      { id: 'pm', start: la('2026-04-09T18:00'), end: la('2026-04-09T22:00') },
    ];
    const worked = [shift(la, 'am', '2026-04-09T08:00', '2026-04-09T12:00', [], [['2026-04-09T10:00', '2026-04-09T10:10']]), shift(la, 'pm', '2026-04-09T18:00', '2026-04-09T19:00')];
    const lines = brief(computePayroll(CA, caInput(worked, 2000, { schedule: second })).lines);
    expect(lines.find((line) => line.ruleId === 'ca.pay.reporting_time')).toEqual({
      ruleId: 'ca.pay.reporting_time',
      workweek: '2026-04-06',
      minutes: 60,
      rate: 2000,
      percent: 100,
      amount: 2000,
    });
  });
});

describe('FLSA-TC: tip credit with make-up to the minimum wage', () => {
  const days = (dates: string[], from: string, to: string) => dates.map((d) => shift(chicago, `${d}-${from}`, `2026-04-${d}T${from}`, `2026-04-${d}T${to}`));
  const input = {
    period: { from: '2026-04-06', to: '2026-04-19' },
    timeZone: 'America/Chicago',
    punches: [...days(['06', '07', '08', '09', '10'], '11:00', '17:00'), ...days(['13', '14', '15', '16', '17'], '10:00', '18:00'), ...days(['18'], '10:00', '12:00')],
    contract: contract(),
    wages: wage(213, { tipped: true }),
    earnings: {
      tips: [
        { date: '2026-04-10', amount: 20_000 },
        { date: '2026-04-17', amount: 15_000 },
      ],
    },
    policy: { tipCreditNoticeGiven: true },
  };

  it('week 1 tips cover the $5.12 credit; week 2 tips fall short, the employer makes up $65.04, overtime on $7.25', () => {
    const result = computePayroll(FLSA, input);
    expect(brief(result.lines)).toEqual([
      { ruleId: 'flsa.pay.base', workweek: '2026-04-06', minutes: 30 * 60, rate: 213, percent: 100, amount: 6_390 },
      { ruleId: 'flsa.pay.base', workweek: '2026-04-13', minutes: 42 * 60, rate: 213, percent: 100, amount: 8_946 },
      { ruleId: 'flsa.pay.minimum_wage', workweek: '2026-04-13', minutes: 42 * 60, rate: 725, percent: 100, amount: 6_504 },
      { ruleId: 'flsa.prem.weekly_ot', workweek: '2026-04-13', minutes: 120, rate: 725, percent: 50, amount: 725 },
    ]);
    expect(result.totals.amount).toBe(22_565);
    expect(result.derived.tipCredits).toEqual([
      { workweek: '2026-04-06', tips: 20_000, allowed: 15_360, taken: 15_360 },
      { workweek: '2026-04-13', tips: 15_000, allowed: 21_504, taken: 15_000 },
    ]);
    expect(result.derived.regularRates.map((r) => r.perHour)).toEqual(['$7.2500', '$7.2500']);
    expect(result.findings).toEqual([expect.objectContaining({ ruleId: 'flsa.pay.minimum_wage', severity: 'notice', date: '2026-04-13' })]);
  });

  it('without the advance notice there is no credit: the whole $5.12 an hour is made up', () => {
    const result = computePayroll(FLSA, { ...input, policy: { tipCreditNoticeGiven: false } });
    const makeUps = result.lines.filter((line) => line.ruleId === 'flsa.pay.minimum_wage').map((line) => [line.workweek, line.amount]);
    expect(makeUps).toEqual([
      ['2026-04-06', 15_360],
      ['2026-04-13', 21_504],
    ]);
  });

  it('a cash wage under $2.13 is a finding', () => {
    const result = computePayroll(FLSA, { ...input, wages: wage(200, { tipped: true }) });
    const dates = result.findings.filter((f) => f.measure === 'cash_wage_per_hour').map((f) => f.date);
    expect(new Set(dates).size).toBe(11); // one per workday worked
    expect(dates).toHaveLength(11);
  });

  it('California allows no tip credit: a $2.13 wage is made up to $16.90 whatever the tips', () => {
    const result = computePayroll(CA, { ...input, timeZone: 'America/Los_Angeles', period: { from: '2026-04-06', to: '2026-04-12' }, punches: input.punches.slice(0, 5) });
    expect(result.lines.find((line) => line.ruleId === 'ca.pay.minimum_wage')).toEqual(
      expect.objectContaining({ amount: (30 * (1690 - 213)), rate: 1690 }),
    );
  });
});

describe('FLSA-RAISE: a raise in the middle of the workweek', () => {
  it('pays each day at the wage in effect and overtime on the weighted regular rate', () => {
    const days = ['06', '07', '08', '09', '10'].map((d) => shift(chicago, d, `2026-04-${d}T09:00`, `2026-04-${d}T17:00`));
    const result = computePayroll(FLSA, {
      period: week,
      timeZone: 'America/Chicago',
      punches: [...days, shift(chicago, '11', '2026-04-11T09:00', '2026-04-11T13:00')],
      contract: contract(),
      wages: [
        { position: 'server', effectiveFrom: '2026-01-01', hourlyRate: 1500 },
        { position: 'server', effectiveFrom: '2026-04-08', hourlyRate: 1600 },
      ],
    });
    expect(brief(result.lines)).toEqual([
      { ruleId: 'flsa.pay.base', workweek: '2026-04-06', minutes: 16 * 60, rate: 1500, percent: 100, amount: 24_000 },
      { ruleId: 'flsa.pay.base', workweek: '2026-04-06', minutes: 28 * 60, rate: 1600, percent: 100, amount: 44_800 },
      { ruleId: 'flsa.prem.weekly_ot', workweek: '2026-04-06', minutes: 4 * 60, rate: 1564, percent: 50, amount: 3_127 },
    ]);
    expect(result.totals.amount).toBe(71_927);
    expect(result.derived.regularRates[0]!.perHour).toBe('$15.6364');
  });
});
