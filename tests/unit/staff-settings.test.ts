// The staff settings a manager PUTs (settings.ts putSettingsSchema): omitted fields take their defaults, every
// field is bounded, and a bad value is a 400 naming it (the route's validation turns these issues into details).
import { DEFAULT_STAFF_SETTINGS, putSettingsSchema } from '../../functions/staff/settings';

const pathsOf = (body: unknown) => {
  const parsed = putSettingsSchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
};

describe('putSettingsSchema', () => {
  it('an empty body is the defaults; expectedVersion is kept apart', () => {
    const { expectedVersion, ...settings } = putSettingsSchema.parse({ expectedVersion: 3 });
    expect(expectedVersion).toBe(3);
    expect(settings).toEqual(DEFAULT_STAFF_SETTINGS);
    expect(DEFAULT_STAFF_SETTINGS).toMatchObject({ payPeriod: { kind: 'biweekly' }, roundingMinutes: 0, earlyClockInMinutes: 10, autoCloseAfterHours: 16 });
  });

  it('a full body passes as given', () => {
    const body = {
      payPeriod: { kind: 'weekly', anchor: '2026-11-30' },
      workweekStartsOn: 'sun',
      workdayStartsAt: '05:00',
      roundingMinutes: 15,
      earlyClockInMinutes: 0,
      autoCloseAfterHours: 12,
      minRestMinutes: 660,
      regularHeadcount: [{ from: '2026-01-01', status: 'lt5' }, { from: '2026-06-01', status: 'ge5' }],
      publicHolidays: ['2026-12-25'],
      localMinimumWage: [{ from: '2026-01-01', hourlyRate: 1950 }],
      shiftDifferentials: [{ id: 'late_night', label: 'After 22:00', window: { start: '22:00', end: '06:00' }, amountPerHour: 150 }],
      tipCreditNoticeGiven: true,
    };
    expect(putSettingsSchema.parse(body)).toEqual(body);
  });

  it.each([
    [{ roundingMinutes: 7 }, 'roundingMinutes'],
    [{ earlyClockInMinutes: -1 }, 'earlyClockInMinutes'],
    [{ earlyClockInMinutes: 1e308 }, 'earlyClockInMinutes'],
    [{ autoCloseAfterHours: 3 }, 'autoCloseAfterHours'],
    [{ autoCloseAfterHours: 4.5 }, 'autoCloseAfterHours'],
    [{ payPeriod: { kind: 'fortnightly' } }, 'payPeriod.kind'],
    [{ payPeriod: { kind: 'weekly', anchor: '2026-02-30' } }, 'payPeriod.anchor'],
    [{ workdayStartsAt: '24:00' }, 'workdayStartsAt'],
    [{ workweekStartsOn: 'monday' }, 'workweekStartsOn'],
    [{ publicHolidays: ['1999-12-31'] }, 'publicHolidays.0'],
    [{ localMinimumWage: [{ from: '2026-01-01', hourlyRate: 12.5 }] }, 'localMinimumWage.0.hourlyRate'],
    [{ expectedVersion: 0 }, 'expectedVersion'],
    [{ colour: 'blue' }, ''],
  ])('%j is refused naming %s', (body, path) => {
    expect(pathsOf(body)).toContain(path);
  });

  it('lists by date are in order, one per day; differential ids appear once', () => {
    expect(pathsOf({ regularHeadcount: [{ from: '2026-06-01', status: 'ge5' }, { from: '2026-01-01', status: 'lt5' }] })).toEqual(['regularHeadcount']);
    expect(pathsOf({ localMinimumWage: [{ from: '2026-01-01', hourlyRate: 1900 }, { from: '2026-01-01', hourlyRate: 2000 }] })).toEqual(['localMinimumWage']);
    const late = { id: 'late', label: 'Late', window: { start: '22:00', end: '02:00' }, amountPerHour: 100 };
    expect(pathsOf({ shiftDifferentials: [late, { ...late, label: 'Again' }] })).toEqual(['shiftDifferentials']);
  });
});
