// The query strings of the reports over a range (menu engineering, customers, staff, owners' sites). Strict: an
// unknown parameter is a 400, so a misspelt `lapsedAfter=60` is not silently the default. Each report reads whole
// months plus the days the range cuts, so the day grain's limit of the sales report applies.
import * as z from 'zod';
import { isoDateSchema } from '#shared/time';
import { daysBetween } from './sales-rules';
import { MAX_RANGE_DAYS } from './schemas';

export const MAX_REPORT_DAYS = MAX_RANGE_DAYS.day;

const rangeFields = {
  from: isoDateSchema.describe('first business day'),
  to: isoDateSchema.describe('last business day, included'),
  format: z.enum(['json', 'csv']).default('json'),
};

/** `from` ≤ `to`, at most MAX_REPORT_DAYS days: a 400 that names the limit. */
function limitedRange<S extends z.ZodType<{ from: string; to: string }>>(schema: S): S {
  return schema
    .refine((q) => q.from <= q.to, { path: ['from'], message: 'must be on or before `to`' })
    .refine((q) => q.from > q.to || daysBetween(q.from, q.to) <= MAX_REPORT_DAYS, { path: ['to'], message: `a report covers at most ${MAX_REPORT_DAYS} days` });
}

export const reportQuerySchema = limitedRange(z.strictObject(rangeFields));
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const customersQuerySchema = limitedRange(
  z.strictObject({
    ...rangeFields,
    lapsedAfterDays: z.coerce.number().int().min(1).max(365).default(30).describe('a regular is lapsed when their last visit is more than this many days before `to`'),
  }),
);
export type CustomersQuery = z.infer<typeof customersQuerySchema>;
