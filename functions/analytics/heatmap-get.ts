import { heatmapReport } from './heatmap';
import { httpRoute } from './policies';
import { heatmapQuerySchema, siteParamsSchema } from './schemas';

// Weekday × hour averages over a range (sales, orders, covers, labour hours); ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/analytics/heatmap', params: siteParamsSchema, query: heatmapQuerySchema }, async ({ params, query }) =>
  heatmapReport(params.siteId, query),
);
