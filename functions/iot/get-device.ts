import { deviceDetail } from './devices';
import { deviceParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/devices/{deviceId}', params: deviceParamsSchema }, async ({ params }) => ({
  body: await deviceDetail(params.siteId, params.deviceId),
}));
