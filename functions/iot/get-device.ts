import { httpRoute } from '#shared/http';
import { deviceDetail } from './devices';
import { deviceParamsSchema } from './schemas';

export const handler = httpRoute({ route: 'GET /sites/{siteId}/devices/{deviceId}', params: deviceParamsSchema }, async ({ params }) => ({
  body: await deviceDetail(params.siteId, params.deviceId),
}));
