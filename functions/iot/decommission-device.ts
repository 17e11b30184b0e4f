import { decommissionDevice } from './devices';
import { deviceParamsSchema } from './schemas';
import { httpRoute } from './policies';

// Revokes the certificate and deletes the thing; the device's record and history stay (the HACCP log needs them).
export const handler = httpRoute({ route: 'DELETE /sites/{siteId}/devices/{deviceId}', params: deviceParamsSchema }, async ({ params, correlationId }) => ({
  body: await decommissionDevice(params.siteId, params.deviceId, correlationId),
}));
