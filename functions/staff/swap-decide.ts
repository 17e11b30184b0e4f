import { decideSwap } from './schedule';
import { shiftParamsSchema, swapDecisionSchema } from './schedule-schemas';
import { httpRoute } from './policies';

// A manager approves a proposed swap (the shift is the colleague's, conflicts checked for them) or declines it.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/schedule/shifts/{shiftId}/swap/decision', params: shiftParamsSchema, body: swapDecisionSchema, bodyLimit: 1024 },
  async ({ caller, params, body }) => ({ body: await decideSwap(caller, params.siteId, params.shiftId, body.decision, body.override) }),
);
