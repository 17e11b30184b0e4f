import { httpRoute } from './policies';
import { listRuns } from './runs';
import { runsQuerySchema } from './run-schemas';
import { siteParamsSchema } from './schemas';

// The site's forecast runs, newest first: when each was made, why, over which history, with which models.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/runs', params: siteParamsSchema, query: runsQuerySchema }, async ({ params, query }) =>
  listRuns(params.siteId, query),
);
