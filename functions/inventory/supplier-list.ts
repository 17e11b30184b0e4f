import { httpRoute } from './policies';
import { pageQuerySchema, siteParamsSchema } from './schemas';
import { listSuppliers } from './suppliers';

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/inventory/suppliers', params: siteParamsSchema, query: pageQuerySchema },
  async ({ params, query }) => ({ body: await listSuppliers(params.siteId, query) }),
);
