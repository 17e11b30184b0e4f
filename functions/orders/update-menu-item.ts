import { updateItem } from './menu';
import { itemParamsSchema, updateItemSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PATCH /sites/{siteId}/menu/items/{itemId}', params: itemParamsSchema, body: updateItemSchema, bodyLimit: 32 * 1024 },
  async ({ params, body, correlationId }) => ({ body: await updateItem(params.siteId, params.itemId, body, correlationId) }),
);
