import { httpRoute } from './policies';
import { staffParamsSchema } from './schemas';
import { listTimeOff } from './time-off';
import { timeOffListQuerySchema } from './time-off-schemas';

// The person's time-off requests, every status, oldest first day first; in pages (`nextCursor`) once they pass one
// answer (#shared/pages).
export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/staff/{userId}/time-off', params: staffParamsSchema, query: timeOffListQuerySchema },
  async ({ caller, params, query }) => ({ body: await listTimeOff(caller, params.siteId, params.userId, query) }),
);
