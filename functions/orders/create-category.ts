import { httpRoute } from '#shared/http';
import { createCategory } from './menu';
import { createCategorySchema, siteParamsSchema } from './schemas';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/menu/categories', params: siteParamsSchema, body: createCategorySchema, bodyLimit: 1024 },
  async ({ params, body }) => ({ status: 201, body: await createCategory(params.siteId, body) }),
);
