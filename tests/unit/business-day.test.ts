import { businessDayOf } from '../../functions/shared/time';

describe('business day', () => {
  it('is the local date in the site’s time zone, not the UTC one', () => {
    // 02:30 UTC on the 26th is 21:30 on the 25th in New York.
    expect(businessDayOf(new Date('2026-11-26T02:30:00Z'), 'America/New_York', '00:00')).toBe('2026-11-25');
    // 23:30 UTC on the 25th is 08:30 on the 26th in Seoul.
    expect(businessDayOf(new Date('2026-11-25T23:30:00Z'), 'Asia/Seoul', '04:00')).toBe('2026-11-26');
  });

  it('counts the hours before the day starts towards the previous day', () => {
    // 01:30 in Paris (00:30 UTC, winter time) with a 04:00 start: still the 25th's service.
    expect(businessDayOf(new Date('2026-11-26T00:30:00Z'), 'Europe/Paris', '04:00')).toBe('2026-11-25');
    expect(businessDayOf(new Date('2026-11-26T03:00:00Z'), 'Europe/Paris', '04:00')).toBe('2026-11-26');
    // Across a month and a year boundary.
    expect(businessDayOf(new Date('2027-01-01T02:00:00Z'), 'UTC', '04:00')).toBe('2026-12-31');
    expect(businessDayOf(new Date('2026-03-01T01:00:00Z'), 'UTC', '04:00')).toBe('2026-02-28');
  });

  it('follows daylight saving time', () => {
    // New York on 8 March 2026 jumps from 02:00 to 03:00; 07:30 UTC is 03:30 EDT, before a 04:00 start.
    expect(businessDayOf(new Date('2026-03-08T07:30:00Z'), 'America/New_York', '04:00')).toBe('2026-03-07');
    expect(businessDayOf(new Date('2026-03-08T08:30:00Z'), 'America/New_York', '04:00')).toBe('2026-03-08');
  });
});
