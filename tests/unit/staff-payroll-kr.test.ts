import { computePayroll } from '../../functions/staff/payroll-engine';
import { payrollPack } from '../../functions/staff/payroll-packs';
import { brief, contract, shift, zoned } from './fixtures/staff-payroll';

// The Korean worked cases of docs/payroll.md (KR-H1, KR-H2, KR-U5, KR-J, KR-N), computed by hand there.
const KR = payrollPack('kr.lsa@2026.1.0');
const seoul = zoned('+09:00');
const WAGE = [{ position: 'cook', effectiveFrom: '2026-01-01', hourlyRate: 10_320 }];
const GE5 = { regularHeadcount: [{ from: '2026-01-01', status: 'ge5' as const }] };
const LT5 = { regularHeadcount: [{ from: '2026-01-01', status: 'lt5' as const }] };

/** Mon–Fri 09:00–18:00 with a 1 h lunch: 8 h a day, 40 h. */
const fullWeek = ['02', '03', '04', '05', '06'].map((d) =>
  shift(seoul, `03-${d}`, `2026-03-${d}T09:00`, `2026-03-${d}T18:00`, [[`2026-03-${d}T12:00`, `2026-03-${d}T13:00`]]),
);
const fullTimer = contract({ dailyStartTime: '09:00', position: 'cook' });
const week = { from: '2026-03-02', to: '2026-03-08' };

describe('KR-H1: work on the weekly rest day, within 8 hours', () => {
  it('adds 50 % on the 6 holiday hours and keeps the 주휴 day paid', () => {
    const sunday = shift(seoul, 'sun', '2026-03-08T10:00', '2026-03-08T16:30', [['2026-03-08T13:00', '2026-03-08T13:30']]);
    const result = computePayroll(KR, { period: week, timeZone: 'Asia/Seoul', punches: [...fullWeek, sunday], contract: fullTimer, wages: WAGE, workplace: GE5 });
    expect(brief(result.lines)).toEqual([
      { ruleId: 'kr.pay.base', workweek: '2026-03-02', minutes: 46 * 60, rate: 10_320, percent: 100, amount: 474_720 },
      { ruleId: 'kr.prem.holiday', workweek: '2026-03-02', minutes: 6 * 60, rate: 10_320, percent: 50, amount: 30_960 },
      { ruleId: 'kr.pay.weekly_holiday', workweek: '2026-03-02', minutes: 8 * 60, rate: 10_320, percent: 100, amount: 82_560 },
    ]);
    expect(result.totals.amount).toBe(588_240);
    expect(result.findings).toEqual([]);
  });
});

describe('KR-H2: 13 hours on the weekly rest day, into the night, past 52 hours', () => {
  const sunday = shift(seoul, 'sun', '2026-03-08T09:00', '2026-03-08T23:00', [['2026-03-08T13:00', '2026-03-08T14:00']]);
  const input = { period: week, timeZone: 'Asia/Seoul', punches: [...fullWeek, sunday], contract: fullTimer, wages: WAGE };

  it('pays holiday +50 % for 8 h, +100 % for 5 h, night +50 % for 1 h, and no weekday 연장 (holiday hours are apart)', () => {
    const result = computePayroll(KR, { ...input, workplace: GE5 });
    expect(brief(result.lines)).toEqual([
      { ruleId: 'kr.pay.base', workweek: '2026-03-02', minutes: 53 * 60, rate: 10_320, percent: 100, amount: 546_960 },
      { ruleId: 'kr.prem.night', workweek: '2026-03-02', minutes: 60, rate: 10_320, percent: 50, amount: 5_160 },
      { ruleId: 'kr.prem.holiday', workweek: '2026-03-02', minutes: 8 * 60, rate: 10_320, percent: 50, amount: 41_280 },
      { ruleId: 'kr.prem.holiday_over8', workweek: '2026-03-02', minutes: 5 * 60, rate: 10_320, percent: 100, amount: 51_600 },
      { ruleId: 'kr.pay.weekly_holiday', workweek: '2026-03-02', minutes: 8 * 60, rate: 10_320, percent: 100, amount: 82_560 },
    ]);
    expect(result.totals.amount).toBe(727_560);
  });

  it('finds the 52-hour cap broken: holiday hours count toward it', () => {
    const { findings } = computePayroll(KR, { ...input, workplace: GE5 });
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'kr.check.weekly_52h', date: '2026-03-02', measure: 'minutes_per_week', limit: 3120, actual: 3180 }),
    ]);
    expect(findings[0]!.explanation).toBe('2026-03-02..03-08 주 실근로 53시간: 1주 최대 52시간(휴일근로 포함)을 초과했습니다 (근로기준법 제53조①).');
  });

  it('KR-U5: the same week in a shop under 5 pays straight time and 주휴 only, with no cap finding', () => {
    const result = computePayroll(KR, { ...input, workplace: LT5 });
    expect(brief(result.lines)).toEqual([
      { ruleId: 'kr.pay.base', workweek: '2026-03-02', minutes: 53 * 60, rate: 10_320, percent: 100, amount: 546_960 },
      { ruleId: 'kr.pay.weekly_holiday', workweek: '2026-03-02', minutes: 8 * 60, rate: 10_320, percent: 100, amount: 82_560 },
    ]);
    expect(result.totals.amount).toBe(629_520);
    expect(result.findings).toEqual([]);
  });

  it('a shop that grows to 5 mid-week pays premiums only from that date', () => {
    const growing = { regularHeadcount: [{ from: '2026-01-01', status: 'lt5' as const }, { from: '2026-03-08', status: 'ge5' as const }] };
    const lines = brief(computePayroll(KR, { ...input, workplace: growing }).lines);
    expect(lines.map((line) => line.ruleId)).toEqual(['kr.pay.base', 'kr.prem.night', 'kr.prem.holiday', 'kr.prem.holiday_over8', 'kr.pay.weekly_holiday']);
  });

  it('a shop under 5 still gets the break finding (제54조 applies below 5)', () => {
    const noBreak = shift(seoul, 'wed', '2026-03-04T09:00', '2026-03-04T18:00');
    const punches = fullWeek.map((p) => (p.id === '03-04' ? noBreak : p));
    const { findings } = computePayroll(KR, { ...input, punches, workplace: LT5 });
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'kr.check.breaks', date: '2026-03-04', measure: 'break_minutes', limit: 60, actual: 0 }),
    ]);
    expect(findings[0]!.explanation).toBe('2026-03-04 근로 9시간에 휴게 0시간: 1시간 이상의 휴게시간이 필요합니다 (근로기준법 제54조).');
  });
});

describe('KR-J: 주휴수당 for a 15-hour part-timer', () => {
  const days = (dates: string[]) =>
    dates.map((d) => ({ id: `s-${d}`, start: seoul(`2026-03-${d}T10:00`), end: seoul(`2026-03-${d}T15:30`) }));
  const worked = (d: string, from = '10:00') => shift(seoul, `p-${d}`, `2026-03-${d}T${from}`, `2026-03-${d}T15:30`, [[`2026-03-${d}T12:30`, `2026-03-${d}T13:00`]]);
  const input = {
    period: { from: '2026-03-02', to: '2026-03-15' },
    timeZone: 'Asia/Seoul',
    // Week 1: late 20 minutes on Monday; week 2: absent on Wednesday.
    punches: [worked('02', '10:20'), worked('04'), worked('06'), worked('09'), worked('13')],
    schedule: days(['02', '04', '06', '09', '11', '13']),
    contract: contract({ employment: 'part_time', weeklyMinutes: 900, dailyMinutes: 300, workdays: ['monday', 'wednesday', 'friday'], dailyStartTime: '10:00', position: 'cook' }),
    wages: WAGE,
    workplace: GE5,
  };

  it('pays 15 ÷ 40 × 8 = 3 h in the week attended (lateness is not absence) and nothing in the week with an absence', () => {
    const result = computePayroll(KR, input);
    expect(brief(result.lines)).toEqual([
      { ruleId: 'kr.pay.base', workweek: '2026-03-02', minutes: 880, rate: 10_320, percent: 100, amount: 151_360 },
      { ruleId: 'kr.pay.weekly_holiday', workweek: '2026-03-02', minutes: 180, rate: 10_320, percent: 100, amount: 30_960 },
      { ruleId: 'kr.pay.base', workweek: '2026-03-09', minutes: 600, rate: 10_320, percent: 100, amount: 103_200 },
    ]);
    expect(result.totals.amount).toBe(285_520);
    expect(result.derived.weeklyHolidayAllowance).toEqual([
      { workweek: '2026-03-02', eligible: true, reason: 'attended 2026-03-02, 2026-03-04, 2026-03-06' },
      { workweek: '2026-03-09', eligible: false, reason: 'absent on 2026-03-11' },
    ]);
  });

  it('counts approved leave as attendance', () => {
    const result = computePayroll(KR, { ...input, attendance: { approvedLeaveDates: ['2026-03-11'] } });
    expect(result.lines.filter((line) => line.ruleId === 'kr.pay.weekly_holiday').map((line) => [line.workweek, line.amount])).toEqual([
      ['2026-03-02', 30_960],
      ['2026-03-09', 30_960],
    ]);
  });

  it('pays no 주휴 on a 14-hour contract even with full attendance', () => {
    const short = { ...input, contract: { ...input.contract, weeklyMinutes: 840, dailyMinutes: 280 }, attendance: { approvedLeaveDates: ['2026-03-11'] } };
    const result = computePayroll(KR, short);
    expect(result.lines.some((line) => line.ruleId === 'kr.pay.weekly_holiday')).toBe(false);
    expect(result.derived.weeklyHolidayAllowance[0]).toEqual({ workweek: '2026-03-02', eligible: false, reason: 'contract 14시간 < 15시간' });
  });

  it('judges attendance on the contract days when nothing was scheduled', () => {
    const result = computePayroll(KR, { ...input, schedule: [] });
    expect(result.derived.weeklyHolidayAllowance.map((d) => d.eligible)).toEqual([true, false]);
  });
});

describe('KR-N: a holiday shift running past midnight into the next contractual day', () => {
  it('is holiday work until Monday 09:00, then ordinary work of Monday', () => {
    const night = shift(seoul, 'sun-night', '2026-03-08T20:00', '2026-03-09T09:30', [['2026-03-09T00:00', '2026-03-09T01:00']]);
    const result = computePayroll(KR, {
      period: { from: '2026-03-02', to: '2026-03-15' },
      timeZone: 'Asia/Seoul',
      punches: [night],
      contract: fullTimer,
      wages: WAGE,
      workplace: GE5,
    });
    expect(brief(result.lines)).toEqual([
      { ruleId: 'kr.pay.base', workweek: '2026-03-02', minutes: 720, rate: 10_320, percent: 100, amount: 123_840 },
      { ruleId: 'kr.prem.night', workweek: '2026-03-02', minutes: 420, rate: 10_320, percent: 50, amount: 36_120 },
      { ruleId: 'kr.prem.holiday', workweek: '2026-03-02', minutes: 480, rate: 10_320, percent: 50, amount: 41_280 },
      { ruleId: 'kr.prem.holiday_over8', workweek: '2026-03-02', minutes: 240, rate: 10_320, percent: 100, amount: 41_280 },
      { ruleId: 'kr.pay.base', workweek: '2026-03-09', minutes: 30, rate: 10_320, percent: 100, amount: 5_160 },
    ]);
    expect(result.workdays).toEqual([
      { date: '2026-03-08', workedMinutes: 720, unpaidBreakMinutes: 60 },
      { date: '2026-03-09', workedMinutes: 30, unpaidBreakMinutes: 0 },
    ]);
  });

  it('a break taken as clock-out and clock-in after midnight continues the same workday', () => {
    const punches = [shift(seoul, 'a', '2026-03-06T19:00', '2026-03-07T00:10'), shift(seoul, 'b', '2026-03-07T00:40', '2026-03-07T02:30')];
    const result = computePayroll(KR, { period: week, timeZone: 'Asia/Seoul', punches, contract: fullTimer, wages: WAGE, workplace: GE5 });
    expect(result.workdays).toEqual([{ date: '2026-03-06', workedMinutes: 420, unpaidBreakMinutes: 30 }]);
    expect(result.findings).toEqual([]);
  });

  it('a public holiday is holiday work at a ≥5 workplace and ordinary work below 5', () => {
    const holiday = shift(seoul, 'hol', '2026-03-02T09:00', '2026-03-02T18:00', [['2026-03-02T12:00', '2026-03-02T13:00']]);
    const run = (workplace: object) =>
      computePayroll(KR, { period: week, timeZone: 'Asia/Seoul', punches: [holiday], contract: fullTimer, wages: WAGE, workplace: { ...workplace, publicHolidays: ['2026-03-02'] } });
    expect(run(GE5).lines.map((line) => line.ruleId)).toEqual(['kr.pay.base', 'kr.prem.holiday']);
    expect(run(LT5).lines.map((line) => line.ruleId)).toEqual(['kr.pay.base']);
  });
});

describe('KR part-timer hours beyond the contract', () => {
  it('pays +50 % on hours over the contract and finds more than 12 of them in a week', () => {
    // Contract 20 h (4 h × 5); worked 7 h × 5 = 35 h: 3 h a day over the contract, 15 h in the week.
    const days = ['02', '03', '04', '05', '06'].map((d) =>
      shift(seoul, d, `2026-03-${d}T10:00`, `2026-03-${d}T17:30`, [[`2026-03-${d}T13:00`, `2026-03-${d}T13:30`]]),
    );
    const result = computePayroll(KR, {
      period: week,
      timeZone: 'Asia/Seoul',
      punches: days,
      contract: contract({ employment: 'part_time', weeklyMinutes: 1200, dailyMinutes: 240, dailyStartTime: '10:00', position: 'cook' }),
      wages: WAGE,
      workplace: GE5,
    });
    expect(brief(result.lines).slice(0, 2)).toEqual([
      { ruleId: 'kr.pay.base', workweek: '2026-03-02', minutes: 35 * 60, rate: 10_320, percent: 100, amount: 361_200 },
      { ruleId: 'kr.prem.parttime_excess', workweek: '2026-03-02', minutes: 15 * 60, rate: 10_320, percent: 50, amount: 77_400 },
    ]);
    expect(result.findings).toEqual([
      expect.objectContaining({ ruleId: 'kr.check.parttime_excess_12h', limit: 720, actual: 900 }),
    ]);
  });
});
