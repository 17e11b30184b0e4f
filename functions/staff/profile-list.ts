import { listProfiles } from './profiles';
import { httpRoute } from './policies';
import { pageQuerySchema, siteParamsSchema } from './schemas';

// The site's staff profiles in pages (managers), or the caller's own (staff).
export const handler = httpRoute({ route: 'GET /sites/{siteId}/staff', params: siteParamsSchema, query: pageQuerySchema }, async ({ caller, params, query }) => ({
  body: await listProfiles(caller, params.siteId, query.limit, query.cursor),
}));
