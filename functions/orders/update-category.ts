import { updateCategory } from './menu';
import { categoryParamsSchema, updateCategorySchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PATCH /sites/{siteId}/menu/categories/{categoryId}', params: categoryParamsSchema, body: updateCategorySchema, bodyLimit: 1024 },
  async ({ params, body }) => ({ body: await updateCategory(params.siteId, params.categoryId, body) }),
);
