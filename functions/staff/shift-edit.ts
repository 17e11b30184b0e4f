import { editShift } from './schedule';
import { editShiftSchema, shiftParamsSchema } from './schedule-schemas';
import { httpRoute } from './policies';

// A manager rewrites a shift on its version (its start day stays); a published one stays published, to be republished.
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/schedule/shifts/{shiftId}', params: shiftParamsSchema, body: editShiftSchema, bodyLimit: 4096 },
  async ({ caller, params, body }) => ({ body: await editShift(caller, params.siteId, params.shiftId, body) }),
);
