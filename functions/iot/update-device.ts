import { changeDevice } from './devices';
import { deviceParamsSchema, updateDeviceSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'PATCH /sites/{siteId}/devices/{deviceId}', params: deviceParamsSchema, body: updateDeviceSchema, bodyLimit: 4 * 1024 },
  async ({ params, body }) => ({ body: await changeDevice(params.siteId, params.deviceId, body) }),
);
