// The device shadow through the IoT data plane: commands are the shadow's desired state; the device reports
// what it applied, and the difference (delta) is what it has not yet done.
import { GetThingShadowCommand, ResourceNotFoundException, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { iotDataClient } from '#shared/aws-clients';
import type { DeviceCommand } from './device-types';

export interface ShadowView {
  desired?: Record<string, unknown>;
  reported?: Record<string, unknown>;
  delta?: Record<string, unknown>;
  version: number;
}

const decode = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8') || '{}') as Record<string, any>;

export async function setDesired(thingName: string, command: DeviceCommand, clientToken: string): Promise<{ version: number }> {
  const data = await iotDataClient();
  const result = await data.send(
    new UpdateThingShadowCommand({ thingName, payload: Buffer.from(JSON.stringify({ state: { desired: command }, clientToken })) }),
  );
  return { version: Number(decode(result.payload).version) };
}

/** The shadow's state, or undefined when the device has none yet. */
export async function readShadow(thingName: string): Promise<ShadowView | undefined> {
  const data = await iotDataClient();
  try {
    const document = decode((await data.send(new GetThingShadowCommand({ thingName }))).payload);
    const state = (document.state ?? {}) as Record<string, Record<string, unknown> | undefined>;
    return { desired: state.desired, reported: state.reported, delta: state.delta, version: Number(document.version) };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
