import { deleteShift } from './schedule';
import { deleteShiftQuerySchema, shiftParamsSchema } from './schedule-schemas';
import { httpRoute } from './policies';

// A manager deletes a draft shift on its version (204); a published one is a 409.
export const handler = httpRoute(
  { route: 'DELETE /sites/{siteId}/schedule/shifts/{shiftId}', params: shiftParamsSchema, query: deleteShiftQuerySchema },
  async ({ params, query }) => {
    await deleteShift(params.siteId, params.shiftId, query.expectedVersion);
    return { status: 204 };
  },
);
