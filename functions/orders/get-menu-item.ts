import { httpRoute } from '#shared/http';
import { getItem } from './menu';
import { itemParamsSchema } from './schemas';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/menu/items/{itemId}', params: itemParamsSchema }, async ({ params }) => ({
  body: await getItem(params.siteId, params.itemId),
}));
