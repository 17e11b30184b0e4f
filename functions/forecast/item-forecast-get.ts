import { itemForecastOf } from './item-forecast';
import { itemForecastQuerySchema } from './item-schemas';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// Each menu item's next 1–14 days sold with 80 % and 95 % intervals, its backtest-chosen model and parameters; ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/items', params: siteParamsSchema, query: itemForecastQuerySchema }, async ({ params, query }) =>
  itemForecastOf(params.siteId, query),
);
