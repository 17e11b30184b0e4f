import { httpRoute } from './policies';
import { salesForecastOf } from './sales-forecast';
import { salesForecastQuerySchema, siteParamsSchema } from './schemas';

// The next 1–28 days of net sales, orders or covers with 80 % and 95 % intervals and the backtest behind the model; ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/sales', params: siteParamsSchema, query: salesForecastQuerySchema }, async ({ params, query }) =>
  salesForecastOf(params.siteId, query),
);
