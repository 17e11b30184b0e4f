import { publicItem, updateItem } from './items';
import { httpRoute } from './policies';
import { itemParamsSchema, updateItemSchema } from './schemas';

// Names, pars, shelf life and archiving; `expectedVersion` makes it conditional on the version the manager saw.
export const handler = httpRoute(
  { route: 'PATCH /sites/{siteId}/inventory/items/{itemId}', params: itemParamsSchema, body: updateItemSchema, bodyLimit: 4 * 1024 },
  async ({ params, body }) => ({ body: publicItem(await updateItem(params.siteId, params.itemId, body)) }),
);
