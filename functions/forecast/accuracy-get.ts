import { accuracyOf } from './accuracy';
import { accuracyQuerySchema } from './accuracy-schemas';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// What was forecast 1 or 7 days ahead beside what happened, with MAE, bias, MAPE, interval coverage and the error relative to seasonal naive; ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/accuracy', params: siteParamsSchema, query: accuracyQuerySchema }, async ({ params, query }) =>
  accuracyOf(params.siteId, query),
);
