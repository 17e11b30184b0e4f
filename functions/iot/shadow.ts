// The device shadow through the IoT data plane: commands are the shadow's desired state; the device reports
// what it applied, and the difference (delta) is what it has not yet done.
import { GetThingShadowCommand, ResourceNotFoundException, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { iotDataClient } from '#shared/clients/iot-data';
import type { DeviceCommand } from './device-types';

type JsonObject = Record<string, unknown>;

export interface ShadowView {
  desired?: JsonObject;
  reported?: JsonObject;
  delta?: JsonObject;
  version: number;
}

interface ShadowDocument {
  version?: number;
  state?: { desired?: JsonObject; reported?: JsonObject; delta?: JsonObject };
}

const decode = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8') || '{}') as ShadowDocument;

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
    const { state = {}, version } = decode((await data.send(new GetThingShadowCommand({ thingName }))).payload);
    return { desired: state.desired, reported: state.reported, delta: state.delta, version: Number(version) };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
