import { publicHold, releaseHold } from './holds';
import { closeHoldSchema, holdParamsSchema } from './hold-schemas';
import { httpRoute } from './policies';

// The manager judged the food fit: the stock counts again. 409 once the hold is closed.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/inventory/holds/{holdId}/release', params: holdParamsSchema, body: closeHoldSchema, bodyLimit: 2 * 1024 },
  async ({ params, body, caller, correlationId }) => ({ body: { hold: publicHold(await releaseHold({ siteId: params.siteId, caller, correlationId }, params.holdId, body.note)) } }),
);
