import { listDeviceViews } from './devices';
import { siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/devices', params: siteParamsSchema }, async ({ params }) => ({
  body: { devices: await listDeviceViews(params.siteId) },
}));
