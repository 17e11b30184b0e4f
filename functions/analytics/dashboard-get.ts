import { httpRoute } from './policies';
import { dashboard, dashboardCsv } from './sales';
import { dashboardQuerySchema, siteParamsSchema } from './schemas';

// A day so far (today in the site's zone by default) against the same weekday last week: headline figures, top
// items and the hourly series.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/analytics/dashboard', params: siteParamsSchema, query: dashboardQuerySchema }, async ({ params, query }) => {
  const day = await dashboard(params.siteId, query.date);
  return query.format === 'csv' ? dashboardCsv(day) : { body: day };
});
