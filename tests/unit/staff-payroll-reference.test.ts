import { computePayroll } from '../../functions/staff/payroll-engine';
import { payrollPack } from '../../functions/staff/payroll-packs';
import { contract } from './fixtures/staff-payroll';

// The two reference worked examples (docs/payroll.md, "Reference examples"), to the won and cent,
// every line.

const brief = (lines: Array<{ ruleId: string; minutes: number; rate: number; percent: number; amount: number }>) =>
  lines.map(({ ruleId, minutes, rate, percent, amount }) => ({ ruleId, minutes, rate, percent, amount }));

describe('KR-1: part-timer at a ≥5 restaurant, one late-night shift', () => {
  const seoul = (local: string) => `${local}:00+09:00`;
  const day = (date: string, id: string) => ({
    id,
    clockIn: seoul(`${date}T11:00`),
    clockOut: seoul(`${date}T17:30`),
    breaks: [{ start: seoul(`${date}T14:00`), end: seoul(`${date}T14:30`) }],
  });
  const input = {
    period: { from: '2026-03-02', to: '2026-03-08' },
    timeZone: 'Asia/Seoul',
    punches: [
      day('2026-03-02', 'mon'),
      day('2026-03-03', 'tue'),
      day('2026-03-04', 'wed'),
      day('2026-03-05', 'thu'),
      {
        id: 'fri',
        clockIn: seoul('2026-03-06T19:00'),
        clockOut: seoul('2026-03-07T02:30'),
        breaks: [{ start: seoul('2026-03-06T21:00'), end: seoul('2026-03-06T21:30') }],
      },
    ],
    // Mon–Fri 6 h a day (소정 30 h), weekly holiday Sunday.
    contract: contract({ employment: 'part_time', weeklyMinutes: 30 * 60, dailyMinutes: 6 * 60, dailyStartTime: '11:00' }),
    wages: [{ position: 'server', effectiveFrom: '2026-01-01', hourlyRate: 10_320 }],
    workplace: { regularHeadcount: [{ from: '2026-01-01', status: 'ge5' as const }] },
  };

  it('pays 410,220원 in four lines: base, part-time excess, night, 주휴', () => {
    const result = computePayroll(payrollPack('kr.lsa@2026.1.0'), input);
    expect(brief(result.lines)).toEqual([
      { ruleId: 'kr.pay.base', minutes: 31 * 60, rate: 10_320, percent: 100, amount: 319_920 },
      { ruleId: 'kr.prem.parttime_excess', minutes: 60, rate: 10_320, percent: 50, amount: 5_160 },
      { ruleId: 'kr.prem.night', minutes: 270, rate: 10_320, percent: 50, amount: 23_220 },
      { ruleId: 'kr.pay.weekly_holiday', minutes: 360, rate: 10_320, percent: 100, amount: 61_920 },
    ]);
    expect(result.totals.amount).toBe(410_220);
    expect(result.findings).toEqual([]);
    expect(result.currency).toBe('KRW');
    // Korea has no regular rate: premiums are on the hourly wage (통상시급).
    expect(result.derived.regularRates).toEqual([]);
  });

  it('explains each line in Korean with its hours, rate and statute', () => {
    const explanations = computePayroll(payrollPack('kr.lsa@2026.1.0'), input).lines.map((line) => line.explanation);
    expect(explanations).toEqual([
      '기본급: 31시간 × 10,320원 = 319,920원',
      '단시간근로자 소정근로시간 초과 가산 1시간 × 10,320원 × 50% = 5,160원 (기간제법 제6조③)',
      '야간근로 가산(22:00~06:00) 4시간 30분 × 10,320원 × 50% = 23,220원 (근로기준법 제56조③)',
      '주휴수당 (2026-03-02..03-08): 1주 소정근로 30시간 ÷ 40 × 8 = 6시간 × 10,320원 = 61,920원 (근로기준법 제55조①, 시행령 제30조)',
    ]);
  });

  it('attributes the Friday night shift to Friday and shows the timesheet per workday', () => {
    const { workdays } = computePayroll(payrollPack('kr.lsa@2026.1.0'), input);
    expect(workdays).toEqual([
      { date: '2026-03-02', workedMinutes: 360, unpaidBreakMinutes: 30 },
      { date: '2026-03-03', workedMinutes: 360, unpaidBreakMinutes: 30 },
      { date: '2026-03-04', workedMinutes: 360, unpaidBreakMinutes: 30 },
      { date: '2026-03-05', workedMinutes: 360, unpaidBreakMinutes: 30 },
      { date: '2026-03-06', workedMinutes: 420, unpaidBreakMinutes: 30 },
    ]);
  });
});

describe('US-1a: line cook, FLSA-only state, shift differential plus a non-discretionary bonus', () => {
  // Chicago, before the 2026-03-08 spring-forward: UTC−6 all week.
  const chicago = (local: string) => `${local}:00-06:00`;
  const evening = (date: string, next: string) => ({ id: date, clockIn: chicago(`${date}T16:00`), clockOut: chicago(`${next}T00:00`) });
  const input = {
    period: { from: '2026-03-02', to: '2026-03-08' },
    timeZone: 'America/Chicago',
    punches: [
      evening('2026-03-02', '2026-03-03'),
      evening('2026-03-03', '2026-03-04'),
      evening('2026-03-04', '2026-03-05'),
      evening('2026-03-05', '2026-03-06'),
      evening('2026-03-06', '2026-03-07'),
      { id: 'sat', clockIn: chicago('2026-03-07T09:00'), clockOut: chicago('2026-03-07T15:00') },
    ],
    contract: contract({ position: 'line_cook' }),
    wages: [{ position: 'line_cook', effectiveFrom: '2025-06-01', hourlyRate: 1500 }],
    earnings: { bonuses: [{ id: 'att-w10', label: 'Attendance bonus', date: '2026-03-06', amount: 4600 }] },
    policy: { shiftDifferentials: [{ id: 'night', label: 'Night differential', window: { start: '22:00', end: '06:00' }, amountPerHour: 150 }] },
  };

  it('pays $799.98: straight time, differential, bonus and the half-time premium on the $16.3261 regular rate', () => {
    const result = computePayroll(payrollPack('us.flsa@2026.1.0'), input);
    expect(brief(result.lines)).toEqual([
      { ruleId: 'flsa.pay.base', minutes: 46 * 60, rate: 1500, percent: 100, amount: 69_000 },
      { ruleId: 'flsa.pay.differential', minutes: 10 * 60, rate: 150, percent: 100, amount: 1500 },
      { ruleId: 'flsa.pay.bonus', minutes: 0, rate: 0, percent: 100, amount: 4600 },
      { ruleId: 'flsa.prem.weekly_ot', minutes: 6 * 60, rate: 1633, percent: 50, amount: 4898 },
    ]);
    expect(result.totals.amount).toBe(79_998);
    expect(result.derived.regularRates).toEqual([
      {
        workweek: '2026-03-02',
        perHour: '$16.3261',
        earnings: 75_100,
        minutes: 2760,
        derivation: '$751.00 ÷ 46.00 h: straight time $690.00 + shift differential $15.00 + non-discretionary bonus $46.00',
      },
    ]);
  });

  it('explains the overtime line as the worked example does and tags it as FLSA-required', () => {
    const overtime = computePayroll(payrollPack('us.flsa@2026.1.0'), input).lines.at(-1)!;
    expect(overtime.explanation).toBe(
      '6.00 h over 40 in workweek 2026-03-02..03-08 × 50% × regular rate $16.3261 (= $751.00 ÷ 46.00 h: straight time $690.00 + shift differential $15.00 + non-discretionary bonus $46.00) = $48.98. 29 USC §207; 29 CFR 778.110, 778.207',
    );
    expect(overtime.legalBasisTags).toEqual(['flsa_s7_required']);
    expect(overtime.payCode).toBe('US_OT_PREM');
  });
});
