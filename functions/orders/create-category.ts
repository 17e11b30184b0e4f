import { createCategory } from './menu';
import { createCategorySchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/menu/categories', params: siteParamsSchema, body: createCategorySchema, bodyLimit: 1024 },
  async ({ params, body }) => ({ status: 201, body: await createCategory(params.siteId, body) }),
);
