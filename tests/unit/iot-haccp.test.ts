import { aggregateOf, byBucket, BUCKET_MS, partialOf, type Aggregate } from '../../functions/iot/aggregates';
import { checkedValue, csvField, haccpCheck, haccpCsv, haccpRow } from '../../functions/iot/haccp';
import { localDateOf, localDayRange, zonedTimeToInstant } from '../../functions/shared/time';

const MIN = 60_000;

describe('local time', () => {
  it('converts a site’s wall clock to instants, across DST', () => {
    expect(new Date(zonedTimeToInstant('2026-11-25', '09:00', 'America/New_York')).toISOString()).toBe('2026-11-25T14:00:00.000Z');
    expect(new Date(zonedTimeToInstant('2026-07-01', '09:00', 'Europe/Paris')).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    // 02:30 does not exist on 29 March in Paris: the instant an hour later. On 25 October it exists twice: the first.
    expect(new Date(zonedTimeToInstant('2026-03-29', '02:30', 'Europe/Paris')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(zonedTimeToInstant('2026-10-25', '02:30', 'Europe/Paris')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('a local day is 23 or 25 hours long on DST days', () => {
    const spring = localDayRange('2026-03-29', 'Europe/Paris');
    const autumn = localDayRange('2026-10-25', 'Europe/Paris');
    expect((spring.end - spring.start) / 3_600_000).toBe(23);
    expect((autumn.end - autumn.start) / 3_600_000).toBe(25);
    expect(localDateOf(Date.parse('2026-11-25T03:00:00Z'), 'America/New_York')).toBe('2026-11-24');
  });
});

describe('aggregates', () => {
  it('what a batch adds to a bucket, and the bucket as the API shows it', () => {
    const start = Date.parse('2026-11-25T10:00:00Z');
    const readings = [
      { t: start, temperatureC: 3.1 },
      { t: start + 5 * MIN, temperatureC: 7.2, doorOpen: true },
      { t: start + 10 * MIN, temperatureC: 4 },
    ];
    const partial = partialOf(start, readings, { maxC: 5 });
    expect(partial).toEqual({ start, count: 3, sumC: 14.3, minC: 3.1, maxC: 7.2, doorOpenCount: 1, outOfRangeCount: 1 });
    expect(aggregateOf(partial)).toEqual({ start, count: 3, minC: 3.1, maxC: 7.2, avgC: 4.77, doorOpenCount: 1, outOfRangeCount: 1 });
  });

  it('groups readings by 15-minute bucket, oldest first', () => {
    const start = Date.parse('2026-11-25T10:00:00Z');
    const groups = byBucket([{ t: start + 14 * MIN }, { t: start + 15 * MIN }, { t: start + MIN }]);
    expect(groups).toEqual([
      { start, readings: [{ t: start + 14 * MIN }, { t: start + MIN }] },
      { start: start + BUCKET_MS, readings: [{ t: start + 15 * MIN }] },
    ]);
  });
});

describe('HACCP checks', () => {
  const day = '2026-11-25';
  const nineUtc = Date.parse('2026-11-25T09:00:00Z');
  const bucket = (start: number, minC: number, maxC: number): Aggregate => ({ start, count: 15, minC, maxC, avgC: (minC + maxC) / 2, doorOpenCount: 0, outOfRangeCount: 0 });
  const evening = Date.parse('2026-11-25T23:00:00Z');

  it('a check is the first window at or after its time: the value nearest the limit decides', () => {
    expect(haccpCheck('AM', nineUtc, [bucket(nineUtc + 15 * MIN, 2, 4.5), bucket(nineUtc + 30 * MIN, 2, 9)], { maxC: 5 }, evening)).toEqual({
      period: 'AM',
      scheduledAt: '2026-11-25T09:00:00.000Z',
      status: 'pass',
      measuredAt: '2026-11-25T09:15:00.000Z',
      temperatureC: 4.5,
    });
    expect(haccpCheck('AM', nineUtc, [bucket(nineUtc, 2, 6)], { maxC: 5 }, evening)).toMatchObject({ status: 'fail', temperatureC: 6 });
    expect(haccpCheck('AM', nineUtc, [bucket(nineUtc, 58, 70)], { minC: 63 }, evening)).toMatchObject({ status: 'fail', temperatureC: 58 });
  });

  it('no reading within the hour is missing; a check still to come is pending', () => {
    expect(haccpCheck('AM', nineUtc, [bucket(nineUtc + 75 * MIN, 2, 3)], { maxC: 5 }, evening).status).toBe('missing');
    expect(haccpCheck('PM', nineUtc, [], { maxC: 5 }, nineUtc - MIN).status).toBe('pending');
    expect(haccpCheck('PM', nineUtc, [], { maxC: 5 }, nineUtc + 30 * MIN).status).toBe('pending');
  });

  it('checkedValue picks the value beyond the limits, else the one with least headroom', () => {
    expect(checkedValue({ minC: 0, maxC: 5 }, 1, 4)).toBe(4);
    expect(checkedValue({ minC: 0, maxC: 5 }, 0.5, 3)).toBe(0.5);
    expect(checkedValue({ minC: 0, maxC: 5 }, -2, 6)).toBe(-2);
  });

  it('a day row and its CSV: local times, the day range, incidents with their corrective actions', () => {
    const settings = { timeZone: 'UTC', amCheckAt: '09:00', pmCheckAt: '16:00' };
    const { start, end } = localDayRange(day, 'UTC');
    const row = haccpRow({
      date: day,
      settings,
      device: { deviceId: 'walkin-1', name: 'Walk-in, "main"', type: 'fridge', location: '=cmd()', limits: { maxC: 5 } },
      aggregates: [bucket(nineUtc, 2, 4), bucket(Date.parse('2026-11-25T16:00:00Z'), 3, 7.5)],
      incidents: [
        {
          incidentId: '0mi5f2k1c-3fa9b1c2',
          startedAt: Date.parse('2026-11-25T15:40:00Z'),
          endedAt: Date.parse('2026-11-25T16:20:00Z'),
          peakC: 7.5,
          status: 'closed',
          actions: [{ kind: 'moved-stock', notes: 'to walk-in 2, checked, all < 8 °C', by: 'user-1', at: '2026-11-25T16:05:00Z' }],
        },
      ],
      dayStart: start,
      dayEnd: end,
      now: evening,
    });
    expect(row).toMatchObject({ am: { status: 'pass', temperatureC: 4 }, pm: { status: 'fail', temperatureC: 7.5 }, dayMinC: 2, dayMaxC: 7.5, readings: 30, limits: '≤ 5 °C' });
    const csv = haccpCsv(day, 'UTC', [row]);
    const [header, line, rest] = csv.split('\r\n');
    expect(header).toBe(
      'date,device_id,device_name,type,location,limits,am_scheduled,am_measured,am_temperature_c,am_result,pm_scheduled,pm_measured,pm_temperature_c,pm_result,day_min_c,day_max_c,readings,incidents,corrective_actions',
    );
    expect(line).toBe(
      '2026-11-25,walkin-1,"Walk-in, ""main""",fridge,\'=cmd(),≤ 5 °C,09:00,09:00,4,pass,16:00,16:00,7.5,fail,2,7.5,30,' +
        '0mi5f2k1c-3fa9b1c2 15:40-16:20 peak 7.5 °C closed,"moved-stock: to walk-in 2, checked, all < 8 °C (user-1, 16:05)"',
    );
    expect(rest).toBe('');
  });

  it('csvField quotes separators and neutralises formulas in text, not in numbers', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvField('@x')).toBe("'@x");
    expect(csvField(-18.5)).toBe('-18.5');
    expect(csvField(undefined)).toBe('');
  });
});
