import { sendCommand } from './commands';
import { deviceCommandSchema, deviceParamsSchema } from './schemas';
import { httpRoute } from './policies';

// 202: the shadow holds the desired state; the device applies it when connected and reports it back.
export const handler = httpRoute(
  { route: 'POST /sites/{siteId}/devices/{deviceId}/commands', params: deviceParamsSchema, body: deviceCommandSchema, bodyLimit: 1024 },
  async ({ params, body, caller }) => {
    const command = await sendCommand(params.siteId, params.deviceId, body, caller);
    return { status: 202, body: { commandId: command.commandId, desired: command.request, shadowVersion: command.shadowVersion, at: command.at } };
  },
);
