import { commandStore } from './config';
import { requireDevice } from './devices';
import { commandsQuerySchema, deviceParamsSchema } from './schemas';
import { httpRoute } from './policies';

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/devices/{deviceId}/commands', params: deviceParamsSchema, query: commandsQuerySchema },
  async ({ params, query }) => {
    await requireDevice(params.siteId, params.deviceId);
    return { body: await commandStore.listCommands(params.siteId, params.deviceId, query) };
  },
);
