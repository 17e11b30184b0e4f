import { haccpLog, haccpLogCsv } from './food-safety';
import { haccpQuerySchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

// CSV for an inspector by default; ?format=json for the app.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/haccp', params: siteParamsSchema, query: haccpQuerySchema }, async ({ params, query }) => {
  const log = await haccpLog(params.siteId, query.date);
  if (query.format === 'json') return { body: log };
  return {
    rawBody: haccpLogCsv(log),
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="haccp-${params.siteId}-${query.date}.csv"`,
    },
  };
});
