// What the forecast domain publishes on the events topic after each forecast run (nightly, or on demand): the
// demand it expects for each ingredient, so inventory can suggest reorder quantities and draft purchase orders
// without reading forecast's table, and the staffing it suggests per hour and position, so staff can show it beside
// the schedule with the labour % of the forecast sales. Ids are per run (`ingredient-demand:{siteId}:{runId}`,
// `staffing-suggested:{siteId}:{runId}`); keep the newest `createdAt` per site (a run id sorts by creation time too).
import * as z from 'zod';
import { currencySchema, dateSchema, moneySchema, utcInstantSchema } from './values';

const MAX_QUANTITY = 10_000_000_000;
const MAX_DAYS = 28;

const run = {
  runId: z.string().min(1).describe('the forecast run (GET /sites/{siteId}/forecast/runs/{runId}); sorts by creation time'),
  createdAt: utcInstantSchema.describe('when the run computed it'),
};

const quantity = (meaning: string) => z.number().min(0).max(MAX_QUANTITY).describe(`${meaning}, in \`unit\` (at most 3 decimals)`);

export const forecastContract = {
  source: 'forecast',
  topic: 'events',
  events: {
    'forecast.ingredient-demand': {
      description:
        "A forecast run's expected use of each ingredient over the next days: every menu item's forecast times its current recipe (learnt from menu.item-changed), in the ingredient's base unit. `daily[d]` is the expected use on day `from + d`; `cumulativeSd[h]` is the standard deviation of the total use over the first `h + 1` days, from the items' prediction intervals, so a consumer can add safety stock for its own lead time, review period and service level. Inventory's reorder suggestions and purchase-order drafts read it. Id `ingredient-demand:{siteId}:{runId}`; keep the newest `createdAt` per site.",
      data: z.strictObject({
        ...run,
        from: dateSchema.describe('the first day forecast, site-local (the day after the last closed day learnt)'),
        days: z.number().int().min(1).max(MAX_DAYS).describe('how many days each series holds'),
        ingredients: z
          .array(
            z.strictObject({
              ingredientId: z.string().min(1).describe("the ingredient (inventory's `itemId`)"),
              unit: z.enum(['g', 'ml', 'each']).describe('base unit of the quantities (recipes in kg or l are converted)'),
              daily: z.array(quantity('expected use on the day')).min(1).max(MAX_DAYS).describe('expected use per day, `days` long'),
              cumulativeSd: z.array(quantity('standard deviation of the total use')).min(1).max(MAX_DAYS).describe('standard deviation of the total over the first h + 1 days, `days` long'),
            }),
          )
          .max(2000)
          .describe('every ingredient a forecast menu item uses'),
      }),
    },
    'forecast.staffing-suggested': {
      description:
        "A forecast run's suggested staffing for the next days: per site-local hour and position, the people the forecast covers or sales need at the site's productivity targets (PUT /sites/{siteId}/forecast/targets), with the forecast sales and the suggested labour's cost and labour % at the positions' current base rates (learnt from staff.pay-rates-changed). Staff shows it beside the schedule. Id `staffing-suggested:{siteId}:{runId}`; keep the newest `createdAt` per site and date.",
      data: z.strictObject({
        ...run,
        currency: currencySchema.optional().describe('currency of the amounts, when known'),
        days: z
          .array(
            z.strictObject({
              date: dateSchema.describe('the site-local day'),
              closed: z.boolean().describe('the site is closed that day (its calendar): no staffing suggested'),
              netSales: moneySchema.describe('forecast net sales of the day, minor units'),
              covers: z.number().min(0).describe('forecast covers of the day'),
              hours: z
                .array(
                  z.strictObject({
                    hour: z.string().regex(/^([01][0-9]|2[0-3])$/).describe('site-local hour 00–23'),
                    positions: z
                      .array(z.strictObject({ positionId: z.string().min(1).describe("staff's position"), people: z.number().int().min(0).describe('people suggested on the floor that hour') }))
                      .max(100)
                      .describe('the positions that hour, with the people each needs'),
                  }),
                )
                .max(24)
                .describe('the hours the forecast expects trade in, with the people per position'),
              labourHours: z.number().min(0).describe('suggested labour hours of the day, all positions'),
              labourCost: moneySchema.optional().describe('their cost at the positions’ current base rates; absent when a position has no known rate'),
              labourPercentBps: z.number().int().min(0).optional().describe('labour cost ÷ forecast net sales, in basis points (2850 = 28.5 %); absent without a cost or with no sales'),
            }),
          )
          .max(MAX_DAYS)
          .describe('the days suggested, oldest first'),
      }),
    },
  },
} as const;
