import { hourlyForecastOf } from './hourly-forecast';
import { hourlyForecastQuerySchema } from './hourly-schemas';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// The next 1–7 days hour by hour (site-local hours 00–23) with 80 % and 95 % intervals and the backtest behind the model; ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/hourly', params: siteParamsSchema, query: hourlyForecastQuerySchema }, async ({ params, query }) =>
  hourlyForecastOf(params.siteId, query),
);
