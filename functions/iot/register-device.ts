import { registerDevice } from './devices';
import { registerDeviceSchema, siteParamsSchema } from './schemas';
import { httpRoute } from './policies';

// No Idempotency-Key here: a stored replay would keep the device's private key, which Brigade never stores.
// A lost response is recovered by decommissioning the device and registering a new id.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/devices', params: siteParamsSchema, body: registerDeviceSchema, bodyLimit: 4 * 1024 },
  async ({ params, body, caller }) => {
    const registered = await registerDevice(params.siteId, body, caller);
    return { status: 201, body: registered, headers: { location: `/sites/${params.siteId}/devices/${body.deviceId}` } };
  },
);
