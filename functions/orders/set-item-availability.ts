import { setAvailability } from './menu';
import { availabilitySchema, itemParamsSchema } from './schemas';
import { httpRoute } from './policies';

// 86 an item, bring it back, or give it a countdown. Staff may: the line cook is the one who runs out.
export const handler = httpRoute(
  { route: 'PUT /sites/{siteId}/menu/items/{itemId}/availability', params: itemParamsSchema, body: availabilitySchema, bodyLimit: 1024 },
  async ({ params, body, correlationId }) => ({ body: await setAvailability(params.siteId, params.itemId, body, correlationId) }),
);
