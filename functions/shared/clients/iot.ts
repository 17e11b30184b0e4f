import { IoTClient } from '@aws-sdk/client-iot';
import { baseConfig } from './endpoint';

let iot: IoTClient | undefined;

export function iotClient(): IoTClient {
  iot ??= new IoTClient(baseConfig('IOT'));
  return iot;
}
