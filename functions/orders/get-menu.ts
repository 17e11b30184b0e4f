import { getMenu } from './menu';
import { menuPageQuerySchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/menu', params: siteParamsSchema, query: menuPageQuerySchema },
  async ({ params, query }) => ({ body: await getMenu(params.siteId, query) }),
);
