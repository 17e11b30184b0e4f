// What a staff profile tells analytics of its pay (staff.pay-rates-changed): every wage of every position as an hourly
// cost, monthly wages at the rate payroll and the schedule's labour cost use (KR ÷ monthly paid hours, US × 12 ÷ 52 ÷
// contracted hours), in the pack's currency; the event its contract accepts, with an id per site, person and version;
// and the profile schema's bound that keeps every profile within the event's.
import { parseEvent } from '../../functions/shared/contracts';
import { payRatesChanged } from '../../functions/staff/events';
import { payrollInputFromRecords, type PayrollRecords } from '../../functions/staff/payroll-input-from-records';
import { payrollPack } from '../../functions/staff/payroll-packs';
import { payRatesOf } from '../../functions/staff/profile-rules';
import { costOf } from '../../functions/staff/schedule-rules';
import { MAX_PROFILE_WAGES, POSITIONS, putProfileSchema, type Position, type ProfileRecord, type Wage } from '../../functions/staff/schemas';
import { DEFAULT_STAFF_SETTINGS } from '../../functions/staff/settings';

const usFlsa = payrollPack('us.flsa@2026.1.0');
const kr = payrollPack('kr.lsa@2026.1.0');

const position = (positionId: Position['positionId'], ...wages: Array<[string, Wage['kind'], number]>): Position => ({
  positionId,
  active: true,
  wages: wages.map(([from, kind, amount]) => ({ from, kind, amount })),
});

function profile(changes: Partial<ProfileRecord> = {}): ProfileRecord {
  return {
    siteId: 'bistro',
    userId: 'u1',
    name: 'Ana',
    positions: [position('server', ['2026-01-01', 'hourly', 1650])],
    employment: { type: 'part-time', weeklyHours: 24, weeklyDays: 4, restDay: 'sun' },
    payPack: 'us.flsa@2026.1.0',
    version: 1,
    createdAt: '2026-06-20T09:00:00.000Z',
    updatedAt: '2026-06-20T09:00:00.000Z',
    updatedBy: 'manager-1',
    ...changes,
  };
}

describe('pay rates from a profile', () => {
  it('hourly wages of two positions, several over time: every wage, in the profile’s order, in the pack’s currency', () => {
    const twoPositions = profile({
      positions: [position('server', ['2026-01-01', 'hourly', 1650], ['2026-07-01', 'hourly', 1800], ['2026-11-15', 'hourly', 1875]), position('bartender', ['2026-03-01', 'hourly', 1900])],
    });
    expect(payRatesOf(twoPositions, usFlsa)).toEqual({
      currency: 'USD',
      rates: [
        { positionId: 'server', from: '2026-01-01', hourlyRate: 1650 },
        { positionId: 'server', from: '2026-07-01', hourlyRate: 1800 },
        { positionId: 'server', from: '2026-11-15', hourlyRate: 1875 },
        { positionId: 'bartender', from: '2026-03-01', hourlyRate: 1900 },
      ],
    });
  });

  it('KR monthly wages: ÷ the month’s paid hours with 주휴 (209 h at 40 h a week, 104 h at 20 h), half-up, in won', () => {
    const fullTime = profile({ positions: [position('line-cook', ['2026-01-01', 'monthly', 2_156_880], ['2026-07-01', 'monthly', 2_500_000])], employment: { type: 'full-time', weeklyHours: 40, weeklyDays: 5, restDay: 'sun' }, payPack: 'kr.lsa@2026.1.0' });
    expect(payRatesOf(fullTime, kr)).toEqual({
      currency: 'KRW',
      rates: [
        { positionId: 'line-cook', from: '2026-01-01', hourlyRate: 10_320 }, // 2,156,880 ÷ 209
        { positionId: 'line-cook', from: '2026-07-01', hourlyRate: 11_962 }, // 11,961.72
      ],
    });
    const partTime = profile({ positions: [position('prep-cook', ['2026-01-01', 'monthly', 1_100_000])], employment: { type: 'part-time', weeklyHours: 20, weeklyDays: 5, restDay: 'sun' }, payPack: 'kr.lsa@2026.1.0' });
    expect(payRatesOf(partTime, kr).rates).toEqual([{ positionId: 'prep-cook', from: '2026-01-01', hourlyRate: 10_577 }]); // 1,100,000 ÷ 104 = 10,576.92
  });

  it('US monthly wages: × 12 ÷ 52 ÷ the contracted weekly hours, half-up, in cents; an hourly wage then a salary', () => {
    const promoted = profile({
      positions: [position('shift-lead', ['2026-01-01', 'hourly', 2400], ['2026-09-01', 'monthly', 520_000]), position('server', ['2026-01-01', 'hourly', 1650])],
      employment: { type: 'full-time', weeklyHours: 37.5, weeklyDays: 5, restDay: 'sun' },
    });
    expect(payRatesOf(promoted, usFlsa)).toEqual({
      currency: 'USD',
      rates: [
        { positionId: 'shift-lead', from: '2026-01-01', hourlyRate: 2400 },
        { positionId: 'shift-lead', from: '2026-09-01', hourlyRate: 3200 }, // 520,000 × 12 ÷ 52 ÷ 37.5
        { positionId: 'server', from: '2026-01-01', hourlyRate: 1650 },
      ],
    });
    const at40 = profile({ ...promoted, positions: [position('manager', ['2026-01-01', 'monthly', 400_000])], employment: { ...promoted.employment, weeklyHours: 40 } });
    expect(payRatesOf(at40, usFlsa).rates[0]!.hourlyRate).toBe(2308); // 2,307.69
  });

  it('are the rates payroll pays and the schedule costs at, wage for wage', () => {
    const mixed = profile({
      positions: [position('chef', ['2026-01-01', 'monthly', 3_100_000], ['2026-06-01', 'monthly', 3_300_000]), position('prep-cook', ['2026-02-01', 'hourly', 11_000])],
      employment: { type: 'full-time', weeklyHours: 44, weeklyDays: 5, restDay: 'sun' },
      payPack: 'kr.lsa@2026.1.0',
    });
    const { rates } = payRatesOf(mixed, kr);
    const records: PayrollRecords = { period: { from: '2026-06-01', to: '2026-06-30' }, timeZone: 'Asia/Seoul', profile: mixed, pack: kr, settings: DEFAULT_STAFF_SETTINGS, shifts: [], schedule: [], daysOff: [] };
    expect(payrollInputFromRecords(records).wages).toEqual(rates.map((r) => ({ position: r.positionId, effectiveFrom: r.from, hourlyRate: r.hourlyRate })));
    const wages = mixed.positions.flatMap((p) => p.wages);
    expect(wages.map((wage) => costOf(60, wage, mixed.employment, kr).hourlyRate)).toEqual(rates.map((r) => r.hourlyRate));
  });
});

describe('staff.pay-rates-changed', () => {
  it('is built from the profile’s version, with an id per site, person and version, and its contract accepts it', () => {
    const edited = profile({ version: 3, updatedAt: '2026-07-02T10:00:00.000Z', positions: [position('server', ['2026-01-01', 'hourly', 1650], ['2026-07-01', 'hourly', 1800])] });
    const event = payRatesChanged(edited, payRatesOf(edited, usFlsa), 'corr-1');
    expect(event).toMatchObject({ id: 'pay-rates:bistro:u1:v3', type: 'staff.pay-rates-changed', source: 'staff', siteId: 'bistro', occurredAt: '2026-07-02T10:00:00.000Z', correlationId: 'corr-1' });
    expect(parseEvent(event, ['staff.pay-rates-changed'])).toMatchObject({
      success: true,
      event: { data: { userId: 'u1', version: 3, currency: 'USD', rates: [{ positionId: 'server', from: '2026-01-01', hourlyRate: 1650 }, { positionId: 'server', from: '2026-07-01', hourlyRate: 1800 }] } },
    });
    // The same person's profile at another site is another fact.
    expect(payRatesChanged({ ...edited, siteId: 'harbour' }, payRatesOf(edited, usFlsa), 'corr-1').id).toBe('pay-rates:harbour:u1:v3');
  });

  it('a profile holds at most the wages one event carries: 500 over all positions build a valid event, 501 are a 400', () => {
    const daily = (count: number, start: number) => Array.from({ length: count }, (_, i) => ({ from: new Date(Date.UTC(2020, 0, 1) + (start + i) * 86_400_000).toISOString().slice(0, 10), kind: 'hourly' as const, amount: 1500 + i }));
    const spread = (total: number) => {
      const positions = POSITIONS.slice(0, Math.ceil(total / 100)).map((positionId, p) => ({ positionId, wages: daily(Math.min(100, total - p * 100), 0) }));
      return { positions, employment: { type: 'full-time', weeklyHours: 40, weeklyDays: 5, restDay: 'sun' }, payPack: 'us.flsa@2026.1.0' };
    };
    const largest = putProfileSchema.parse(spread(MAX_PROFILE_WAGES));
    const event = payRatesChanged(profile({ ...largest }), payRatesOf(largest, usFlsa), 'corr-1');
    expect(event.data.rates).toHaveLength(MAX_PROFILE_WAGES);
    expect(parseEvent(event, ['staff.pay-rates-changed']).success).toBe(true);
    const tooMany = putProfileSchema.safeParse(spread(MAX_PROFILE_WAGES + 1));
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([`positions: at most ${MAX_PROFILE_WAGES} wages over all positions`]);
  });
});
