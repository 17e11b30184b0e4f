import { PublishCommand, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { httpRoute } from '#shared/http';
import { iotDataClient } from '#shared/aws-clients';
import { deviceCommandSchema, deviceParamsSchema } from './schemas';

// Writes the desired state to the device's shadow and announces the command on its commands topic.
export const handler = httpRoute(
  { route: 'POST /demo/sites/{siteId}/devices/{deviceId}/commands', params: deviceParamsSchema, body: deviceCommandSchema, bodyLimit: 2 * 1024 },
  async ({ params, body, correlationId }) => {
    const iot = await iotDataClient();
    const shadow = await iot.send(
      new UpdateThingShadowCommand({
        thingName: params.deviceId,
        payload: Buffer.from(JSON.stringify({ state: { desired: body }, clientToken: correlationId.slice(0, 64) })),
      }),
    );
    const accepted = JSON.parse(Buffer.from(shadow.payload ?? new Uint8Array()).toString('utf8')) as { version?: number };
    await iot.send(
      new PublishCommand({
        topic: `brigade/${params.siteId}/devices/${params.deviceId}/commands`,
        qos: 1,
        payload: Buffer.from(JSON.stringify({ ...body, shadowVersion: accepted.version, correlationId })),
      }),
    );
    return { status: 202, body: { deviceId: params.deviceId, desired: body, shadowVersion: accepted.version } };
  },
);
