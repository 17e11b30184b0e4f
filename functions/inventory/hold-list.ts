import { listHolds } from './holds';
import { holdsQuerySchema } from './hold-schemas';
import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';

// Open holds first, then closed ones newest first, by cursor.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/inventory/holds', params: siteParamsSchema, query: holdsQuerySchema }, async ({ params, query }) => ({
  body: await listHolds(params.siteId, query),
}));
