import { claimShift } from './schedule';
import { shiftParamsSchema } from './schedule-schemas';
import { httpRoute } from './policies';

// The caller takes a published open shift of one of their positions; of two claims at once one wins, the other 409s.
export const handler = httpRoute({ route: 'POST /sites/{siteId}/schedule/shifts/{shiftId}/claim', params: shiftParamsSchema }, async ({ caller, params }) => ({
  body: await claimShift(caller, params.siteId, params.shiftId),
}));
