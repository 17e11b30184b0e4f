import { holdByHand, publicHold } from './holds';
import { manualHoldSchema } from './hold-schemas';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// A manager holds a location's stock by hand (a pest, a power cut the sensors missed); 409 if it is already held.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/inventory/holds', params: siteParamsSchema, body: manualHoldSchema, bodyLimit: 2 * 1024 },
  async ({ params, body, caller, correlationId }) => {
    const hold = await holdByHand({ siteId: params.siteId, caller, correlationId }, body);
    return { status: 201, body: { hold: publicHold(hold) }, headers: { location: `/sites/${params.siteId}/inventory/holds` } };
  },
);
