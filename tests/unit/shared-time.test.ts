// The shared wall-clock helpers keep one formatter per zone: the answers must not depend on what was asked before.
import { isTimeZone, localDateOf, localTimeOf, wallClock } from '#shared/time';

describe('wall clock with cached formatters', () => {
  it('answers the same for a zone asked again, and each zone its own time (DST-aware)', () => {
    const instant = Date.parse('2026-03-29T00:30:00Z'); // Paris moves to summer time at 01:00 UTC that night
    for (let i = 0; i < 3; i++) {
      expect(wallClock(instant, 'Europe/Paris')).toEqual({ date: '2026-03-29', time: '01:30:00' });
      expect(wallClock(instant + 3_600_000, 'Europe/Paris')).toEqual({ date: '2026-03-29', time: '03:30:00' });
      expect(wallClock(instant, 'America/New_York')).toEqual({ date: '2026-03-28', time: '20:30:00' });
      expect(localDateOf(instant, 'Pacific/Kiritimati')).toBe('2026-03-29');
      expect(localTimeOf(instant, 'UTC')).toBe('00:30');
    }
  });

  it('a zone that is not IANA stays refused however often it is asked; a valid one stays accepted', () => {
    for (let i = 0; i < 3; i++) {
      expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
      expect(isTimeZone('EST')).toBe(false); // known to Intl, but not an IANA region/city name
      expect(isTimeZone('Europe/Paris')).toBe(true);
      expect(isTimeZone('UTC')).toBe(true);
    }
    expect(() => wallClock(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
