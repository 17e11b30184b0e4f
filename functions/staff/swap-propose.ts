import { proposeSwap } from './schedule';
import { proposeSwapSchema, shiftParamsSchema } from './schedule-schemas';
import { httpRoute } from './policies';

// The shift's person offers it to a colleague with the position; a manager decides.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/schedule/shifts/{shiftId}/swap', params: shiftParamsSchema, body: proposeSwapSchema, bodyLimit: 1024 },
  async ({ caller, params, body }) => ({ body: await proposeSwap(caller, params.siteId, params.shiftId, body.toUserId) }),
);
