import { httpRoute } from './policies';
import { cancelTimeOff } from './time-off';
import { timeOffParamsSchema } from './time-off-schemas';

// The requester withdraws a pending request.
export const handler = httpRoute({ route: 'POST /sites/{siteId}/staff/{userId}/time-off/{requestId}/cancel', params: timeOffParamsSchema }, async ({ caller, params }) => ({
  body: await cancelTimeOff(caller, params.siteId, params.userId, params.requestId),
}));
