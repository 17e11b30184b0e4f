import { createItem } from './menu';
import { createItemSchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/menu/items', params: siteParamsSchema, body: createItemSchema, bodyLimit: 32 * 1024 },
  async ({ params, body, correlationId }) => ({ status: 201, body: await createItem(params.siteId, body, correlationId) }),
);
