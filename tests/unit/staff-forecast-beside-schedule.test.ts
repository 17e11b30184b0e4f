// The forecast's suggested staffing beside the schedule (pure): scheduled people per site-local hour as the shifts'
// minutes inside it (a half hour is half a person, overnight shifts, a DST day's 23 hours), the hours of either side,
// and the day's labour % of the forecast sales (none across currencies or with uncosted minutes).
import { forecastOfDay, hoursBeside, scheduledPerHour } from '../../functions/staff/forecast-beside-schedule';
import type { StaffingSuggestionRecord } from '../../functions/staff/staffing-suggestion-store';
import { zonedTimeToInstant } from '../../functions/shared/time';

const PARIS = 'Europe/Paris';
const at = (date: string, time: string) => zonedTimeToInstant(date, time, PARIS);
const shift = (positionId: string, date: string, start: string, end: string, endDate = date) => ({ positionId, start: at(date, start), end: at(endDate, end) });

const suggestion: StaffingSuggestionRecord = {
  runId: '20261209T031500000Z-nightly',
  createdAt: '2026-12-09T03:15:00.000Z',
  currency: 'EUR',
  date: '2026-12-10',
  closed: false,
  netSales: 200_000,
  covers: 120,
  hours: [
    { hour: '12', positions: [{ positionId: 'server', people: 3 }, { positionId: 'line-cook', people: 2 }] },
    { hour: '13', positions: [{ positionId: 'server', people: 2 }] },
  ],
  labourHours: 7,
  labourCost: 11_500,
  labourPercentBps: 575,
};

describe('scheduled people per hour', () => {
  it('counts the minutes of each shift inside the hour, per position, to two decimals', () => {
    const perHour = scheduledPerHour([shift('server', '2026-12-10', '11:30', '14:00'), shift('server', '2026-12-10', '12:00', '12:20'), shift('line-cook', '2026-12-10', '12:00', '13:00')], '2026-12-10', PARIS);
    expect(Object.fromEntries([...perHour].map(([hour, positions]) => [hour, Object.fromEntries(positions)]))).toEqual({
      '11': { server: 0.5 },
      '12': { server: 1.33, 'line-cook': 1 },
      '13': { server: 1 },
    });
  });

  it('takes the part of an overnight shift that falls on the day, and the hours of a day the clocks go forward', () => {
    const overnight = scheduledPerHour([shift('dishwasher', '2026-12-09', '22:00', '01:30', '2026-12-10')], '2026-12-10', PARIS);
    expect([...overnight.keys()]).toEqual(['00', '01']);
    expect(overnight.get('01')?.get('dishwasher')).toBe(0.5);
    // 2026-03-29 in Paris has no 02:00–03:00: a shift from 01:00 to 04:00 is on the floor in 01 and 03 only.
    const spring = scheduledPerHour([shift('server', '2026-03-29', '01:00', '04:00')], '2026-03-29', PARIS);
    expect(Object.fromEntries([...spring].map(([hour, positions]) => [hour, positions.get('server')]))).toEqual({ '01': 1, '03': 1 });
  });
});

describe('beside the suggestion', () => {
  it('lists every hour and position either side has, with zeros where the other has none', () => {
    const scheduled = new Map([['12', new Map([['server', 2]])], ['17', new Map([['server', 1]])]]);
    expect(hoursBeside(suggestion, scheduled)).toEqual([
      { hour: '12', positions: [{ positionId: 'line-cook', suggested: 2, scheduled: 0 }, { positionId: 'server', suggested: 3, scheduled: 2 }] },
      { hour: '13', positions: [{ positionId: 'server', suggested: 2, scheduled: 0 }] },
      { hour: '17', positions: [{ positionId: 'server', suggested: 0, scheduled: 1 }] },
    ]);
  });

  it("gives the schedule's cost of the day as basis points of the forecast sales, none across currencies or with uncosted minutes", () => {
    const shifts = [shift('server', '2026-12-10', '12:00', '14:00')];
    const day = forecastOfDay(suggestion, shifts, PARIS, { cost: 30_000, costComplete: true, currency: 'EUR' });
    expect(day).toMatchObject({ runId: suggestion.runId, netSales: 200_000, covers: 120, suggestedLabourHours: 7, suggestedLabourCost: 11_500, suggestedLabourPercentBps: 575, labourPercentOfForecastSales: 1500 });
    expect(day.hours[0]).toEqual({ hour: '12', positions: [{ positionId: 'line-cook', suggested: 2, scheduled: 0 }, { positionId: 'server', suggested: 3, scheduled: 1 }] });
    expect(forecastOfDay(suggestion, shifts, PARIS, { cost: 30_000, costComplete: true, currency: 'USD' }).labourPercentOfForecastSales).toBeNull();
    expect(forecastOfDay(suggestion, shifts, PARIS, { cost: 30_000, costComplete: false, currency: 'EUR' }).labourPercentOfForecastSales).toBeNull();
    const withoutCost = forecastOfDay({ ...suggestion, labourCost: undefined, labourPercentBps: undefined }, shifts, PARIS, { cost: 0, costComplete: true, currency: null });
    expect(withoutCost).toMatchObject({ suggestedLabourCost: null, suggestedLabourPercentBps: null, labourPercentOfForecastSales: 0 });
  });
});
