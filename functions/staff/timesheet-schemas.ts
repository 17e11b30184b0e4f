// Timesheet, payroll and payslip routes' parameters: a period is named by its first day (pay-period.ts).
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';
import { isoDateSchema } from '#shared/time';
import { idSchema } from './schemas';

/** Absent: the period holding the site's local today. */
export const periodQuerySchema = z.object({ period: isoDateSchema.optional() });
export const timesheetParamsSchema = z.object({ siteId: siteIdSchema, periodFrom: isoDateSchema, userId: idSchema });
export const payrollParamsSchema = z.object({ siteId: siteIdSchema, periodFrom: isoDateSchema });
export const payrollQuerySchema = z.object({ format: z.enum(['json', 'csv']).default('json') });
export const reopenBodySchema = z.strictObject({ reason: z.string().trim().min(3).max(500) });
