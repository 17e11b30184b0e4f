import { z } from 'zod';
import { store } from './config';
import { requireDevice } from './devices';
import { deviceParamsSchema } from './schemas';
import { httpRoute } from './policies';

const querySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

export const handler = httpRoute(
  { route: 'GET /sites/{siteId}/devices/{deviceId}/commands', params: deviceParamsSchema, query: querySchema },
  async ({ params, query }) => {
    await requireDevice(params.siteId, params.deviceId);
    return { body: { commands: await store.listCommands(params.siteId, params.deviceId, query.limit) } };
  },
);
