// What the analytics domain publishes on the events topic: one site-day's headline figures once the day is over
// (yesterday and before, in the site's zone), so the forecast domain learns a daily series without reading
// analytics' table. A day is published again when its figures change later (a late refund, a replayed event): the
// id is `daily-figures:{siteId}:{date}:r{revision}`, where `revision` is a hash of the data, so the same figures
// keep the same id (a re-run publishes a duplicate that consumers drop by id) and changed figures get a new one.
// Consumers keep the newest per site and day by `occurredAt` (the revision is a hash, not an order).
import * as z from 'zod';
import { currencySchema, dateSchema, moneySchema } from './values';

const count = (meaning: string) => z.number().int().min(0).describe(meaning);

const headline = {
  netSales: moneySchema.describe('net sales: gross less discounts, minor units (refunds are reported apart, not netted)'),
  orders: count('orders paid'),
  covers: count('guests served'),
};

export const analyticsContract = {
  source: 'analytics',
  topic: 'events',
  events: {
    'analytics.daily-figures': {
      description:
        "A site's figures for one closed business day (yesterday and before, in the site's time zone), from analytics' hourly publishDailyFigures job: the day, its hours and its menu items. Published once per distinct content: a day whose figures change later (a late refund) is published again with a new id. Id `daily-figures:{siteId}:{date}:r{revision}` (revision: a hash of the data); keep the newest `occurredAt` per site and date.",
      data: z.strictObject({
        date: dateSchema.describe('the business day, in the site’s time zone'),
        currency: currencySchema.optional().describe('currency of the amounts, when analytics knows it'),
        ...headline,
        refunds: moneySchema.describe('refunds booked on the day (on the order’s business day), minor units'),
        hours: z
          .array(z.strictObject({ hour: z.string().regex(/^([01][0-9]|2[0-3])$/).describe('site-local hour 00–23'), ...headline }))
          .max(24)
          .describe('the hours that had sales, by hour of placing'),
        items: z
          .array(
            z.strictObject({
              itemId: z.string().min(1).describe('the menu item'),
              name: z.string().describe('its name when sold'),
              quantity: z.number().min(0).describe('quantity sold, less refunds'),
            }),
          )
          .max(2000)
          .describe('every menu item sold that day, or the best sellers when `itemsLeftOut` says some were left out'),
        itemsLeftOut: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe(
            'menu items sold that day but not in `items` (the fewest sold), left out to keep the event within SNS’s 256 KiB (some 460 items of the longest names fill it): their absence from `items` is not a zero',
          ),
        closed: z.boolean().describe('true: the day is over in the site’s zone (always true for now; a day with no sales is published with zeros)'),
      }),
    },
  },
} as const;
