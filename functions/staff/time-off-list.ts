import { httpRoute } from './policies';
import { staffParamsSchema } from './schemas';
import { listTimeOff } from './time-off';

// The person's time-off requests, every status, oldest first day first.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/staff/{userId}/time-off', params: staffParamsSchema }, async ({ caller, params }) => ({
  body: { requests: await listTimeOff(caller, params.siteId, params.userId) },
}));
