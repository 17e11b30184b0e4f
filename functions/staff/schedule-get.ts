import { scheduleView } from './schedule-view';
import { scheduleParamsSchema, scheduleQuerySchema } from './schedule-schemas';
import { httpRoute } from './policies';

// The schedule of local days `from`..`to` (at most 31): staff the published roster, managers drafts, flags and cost.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/schedule', params: scheduleParamsSchema, query: scheduleQuerySchema }, async ({ caller, params, query }) => ({
  body: await scheduleView(caller, params.siteId, query.from, query.to),
}));
