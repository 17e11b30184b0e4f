import { answerBudget } from '#shared/pages';
import { timeOffStore } from './config';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';
import { siteTimeOffQuerySchema } from './time-off-schemas';

// A manager's queue: the site's time-off requests, `?status=pending` for the ones waiting on a decision; in pages
// (`nextCursor`) once they pass one answer (#shared/pages).
export const handler = httpRoute({ route: 'GET /sites/{siteId}/time-off', params: siteParamsSchema, query: siteTimeOffQuerySchema }, async ({ params, query }) => ({
  body: await timeOffStore.requestsPage(params.siteId, { status: query.status }, query.cursor, answerBudget({ limit: query.limit })),
}));
