import { createItem, publicItem } from './items';
import { httpRoute } from './policies';
import { createItemSchema, siteParamsSchema } from './schemas';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/inventory/items', params: siteParamsSchema, body: createItemSchema, bodyLimit: 8 * 1024 },
  async ({ params, body }) => {
    const item = await createItem(params.siteId, body);
    return { status: 201, body: publicItem(item), headers: { location: `/sites/${item.siteId}/inventory/items/${item.itemId}` } };
  },
);
