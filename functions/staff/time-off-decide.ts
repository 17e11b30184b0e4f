import { httpRoute } from './policies';
import { decideTimeOff } from './time-off';
import { decisionBodySchema, timeOffParamsSchema } from './time-off-schemas';

// A manager approves or declines a pending request.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/staff/{userId}/time-off/{requestId}/decision', params: timeOffParamsSchema, body: decisionBodySchema, bodyLimit: 1024 },
  async ({ caller, params, body }) => ({ body: await decideTimeOff(caller, params.siteId, params.userId, params.requestId, body) }),
);
