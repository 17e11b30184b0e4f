import { httpRoute } from '#shared/http';
import { getIncident } from './incidents';
import { incidentParamsSchema } from './schemas';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/incidents/{incidentId}', params: incidentParamsSchema }, async ({ params }) => ({
  body: await getIncident(params.siteId, params.incidentId),
}));
