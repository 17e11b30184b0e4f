import { httpRoute } from '#shared/http';
import { closeIncident } from './incidents';
import { closeIncidentSchema, incidentParamsSchema } from './schemas';

export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/incidents/{incidentId}/close', params: incidentParamsSchema, body: closeIncidentSchema, bodyLimit: 4 * 1024 },
  async ({ params, body, caller }) => ({ body: await closeIncident(params.siteId, params.incidentId, body.note, caller) }),
);
