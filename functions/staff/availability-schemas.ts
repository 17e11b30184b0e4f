// The weekly availability's body (availability.ts has the use cases).
import * as z from 'zod';
import { expectedVersionSchema } from '#shared/versions';
import { hhmmSchema } from './payroll-pack-schema';
import { WEEKDAYS } from './schemas';

export const localWindowSchema = z
  .strictObject({ start: hhmmSchema, end: hhmmSchema })
  .refine((w) => w.start !== w.end, { path: ['end'], message: 'must differ from `start` (an end before the start is on the next day)' });

const dayWindowsSchema = z.array(localWindowSchema).max(6).describe('the windows available that day; [] = unavailable all day');

export const putAvailabilitySchema = z.strictObject({
  days: z.strictObject(Object.fromEntries(WEEKDAYS.map((day) => [day, dayWindowsSchema.optional()])) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<typeof dayWindowsSchema>>),
  /** Absent: set for the first time (409 if set). Given: replace that version (409 when stale). */
  expectedVersion: expectedVersionSchema.optional(),
});
