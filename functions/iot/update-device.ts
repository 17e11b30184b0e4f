import { httpRoute } from '#shared/http';
import { changeDevice } from './devices';
import { deviceParamsSchema, updateDeviceSchema } from './schemas';

export const handler = httpRoute(
  { route: 'PATCH /sites/{siteId}/devices/{deviceId}', params: deviceParamsSchema, body: updateDeviceSchema, bodyLimit: 4 * 1024 },
  async ({ params, body }) => ({ body: await changeDevice(params.siteId, params.deviceId, body) }),
);
