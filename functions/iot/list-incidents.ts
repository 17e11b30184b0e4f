import { incidentStore } from './config';
import { incidentsQuerySchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/incidents', params: siteParamsSchema, query: incidentsQuerySchema },
  async ({ params, query }) => {
    const page = await incidentStore.listIncidents(params.siteId, query);
    return { body: { incidents: page.incidents, ...(page.nextCursor && { nextCursor: page.nextCursor }) } };
  },
);
