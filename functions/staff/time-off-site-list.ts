import { timeOffStore } from './config';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';
import { siteTimeOffQuerySchema } from './time-off-schemas';

// A manager's queue: the site's time-off requests, `?status=pending` for the ones waiting on a decision.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/time-off', params: siteParamsSchema, query: siteTimeOffQuerySchema }, async ({ params, query }) => ({
  body: { requests: await timeOffStore.siteRequests(params.siteId, query.status) },
}));
