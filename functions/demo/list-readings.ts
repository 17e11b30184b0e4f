import { httpRoute } from '#shared/http';
import { store } from './config';
import { deviceParamsSchema, readingsQuerySchema } from './schemas';

export const handler = httpRoute(
  { route: 'GET /demo/sites/{siteId}/devices/{deviceId}/readings', params: deviceParamsSchema, query: readingsQuerySchema },
  async ({ params, query }) => ({ body: { readings: await store.listReadings(params.siteId, params.deviceId, query.limit) } }),
);
