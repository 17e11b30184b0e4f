import { ingredientDemandOf } from './item-forecast';
import { itemForecastQuerySchema } from './item-schemas';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// Each ingredient's expected use over the next 1–14 days (items' forecasts × recipes, base units) and the σ of its running total; ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/ingredients', params: siteParamsSchema, query: itemForecastQuerySchema }, async ({ params, query }) =>
  ingredientDemandOf(params.siteId, query),
);
