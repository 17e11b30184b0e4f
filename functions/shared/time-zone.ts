import { z } from 'zod';

/** A site's IANA time zone: business days and HACCP checks are local calendar times there. */
export const timeZoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Paris');
