import { httpRoute } from './policies';
import { siteParamsSchema } from './schemas';
import { staffingOf } from './staffing';
import { staffingQuerySchema } from './staffing-schemas';

// The people the next 1–7 days need per hour and position at the site's productivity targets, with labour hours,
// cost and labour % of the forecast sales; ?format=csv.
export const handler = httpRoute({ route: 'GET /sites/{siteId}/forecast/staffing', params: siteParamsSchema, query: staffingQuerySchema }, async ({ params, query }) => staffingOf(params.siteId, query));
