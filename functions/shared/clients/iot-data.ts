import { DescribeEndpointCommand } from '@aws-sdk/client-iot';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { baseConfig } from './endpoint';
import { iotClient } from './iot';

let iotData: Promise<IoTDataPlaneClient> | undefined;

/**
 * On AWS the data plane lives at an account-specific ATS endpoint: taken from IOT_DATA_ENDPOINT when the
 * deployment sets it, otherwise looked up once with DescribeEndpoint on first use (not at cold start). Imported
 * statically although rare: a lazy import() of the SDK package would bundle all of it (esbuild cannot tree-shake
 * what it wraps for a lazy load), ~60 KB more than the one command.
 */
export function iotDataClient(): Promise<IoTDataPlaneClient> {
  iotData ??= (async () => {
    const config = baseConfig('IOT_DATA_PLANE');
    if (config.endpoint) return new IoTDataPlaneClient(config);
    const host =
      process.env.IOT_DATA_ENDPOINT?.trim() ||
      (await iotClient().send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }))).endpointAddress;
    if (!host) throw new Error('IoT data endpoint could not be determined');
    return new IoTDataPlaneClient({ ...config, endpoint: host.startsWith('http') ? host : `https://${host}` });
  })().catch((error: unknown) => {
    iotData = undefined; // let the next call try again instead of caching a failure
    throw error;
  });
  return iotData;
}
