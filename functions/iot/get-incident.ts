import { getIncident } from './incidents';
import { incidentParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/incidents/{incidentId}', params: incidentParamsSchema }, async ({ params }) => ({
  body: await getIncident(params.siteId, params.incidentId),
}));
