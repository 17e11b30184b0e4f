// The value types events share, as they travel: money in integer minor units, quantities with their unit,
// dates and instants as ISO-8601 strings. Wire schemas never transform (a producer publishes what it parsed, and
// a consumer reads what was published): instants stay strings, within the kit's date window.
import * as z from 'zod';
import { moneySchema as kitMoneySchema } from '#shared/money';
import { EARLIEST_DATE, isoDateSchema, LATEST_DATE, timeZoneSchema } from '#shared/time';
import { siteIdSchema as kitSiteIdSchema } from '#shared/identity';

// `format: 'money'` tells the catalog page (scripts/event-catalog.ts) that an integer is an amount of money.

/** An amount of the site's currency in integer minor units (cents, won): never a float. */
export const moneySchema = kitMoneySchema.meta({ format: 'money', description: 'integer minor units of the site currency' });

/** A difference of money (a balance, a price delta): integer minor units, may be negative. */
export const signedMoneySchema = z.number().int().meta({ format: 'money', description: 'integer minor units of the site currency, may be negative' });

export const currencySchema = z.string().regex(/^[A-Z]{3}$/).describe('ISO 4217 code, such as EUR');

/** A recipe quantity's unit: mass, volume or a count. */
export const unitSchema = z.enum(['g', 'kg', 'ml', 'l', 'each']);

/** How much of an ingredient, in `unit`. */
export const quantitySchema = z.number().positive().max(1_000_000_000);

/** A calendar date YYYY-MM-DD (a business day, a local date). */
export const dateSchema = isoDateSchema.describe('calendar date YYYY-MM-DD');

/** An instant in UTC as `Date.toISOString()` writes it, within the kit's date window (its UTC date says which). */
export const utcInstantSchema = z.iso
  .datetime()
  .refine((value) => value.slice(0, 10) >= EARLIEST_DATE && value.slice(0, 10) <= LATEST_DATE, `must be an instant from ${EARLIEST_DATE} to ${LATEST_DATE}`)
  .describe('UTC instant, ISO-8601');

/** A record's version after the change: consumers keep the newest and ignore older or repeated ones. */
export const versionSchema = z.number().int().min(1).describe('version of the record after the change');

export const siteIdSchema = kitSiteIdSchema.describe('site id');

export { timeZoneSchema };
