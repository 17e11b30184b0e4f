// `npm run simulate -- --devices 10 --site demo-bistro`: N simulated units publishing telemetry over MQTT, to the
// local broker or to AWS IoT Core (TLS with the certificates from provisioning), answering their shadows,
// with faults on request. It prints progress every 2 s and stops by itself after --duration seconds.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEVICE_TYPES, type DeviceType } from '../../functions/iot/device-types';
import { MAX_READING_AGE_MS } from '../../functions/iot/readings';
import { DEMO_FLEET } from '../seed/iot';
import { FAULTS, type Fault } from './device-model';
import { SimulatedDevice } from './simulated-device';

const USAGE = `usage: npm run simulate -- [options]
  --devices N          how many units (default 10: the demo site's fleet; more get ids sim-<n>)
  --ids a,b,c          these device ids instead (their type from the demo fleet, else --type)
  --type T             type of units not in the demo fleet: ${DEVICE_TYPES.join(', ')} (default fridge)
  --site S             site id (default demo-bistro)
  --url U              MQTT broker (default $BRIGADE_MQTT_URL, else mqtt://127.0.0.1:$BRIGADE_MQTT_PORT, port 1883 by default)
  --endpoint HOST      AWS IoT Core endpoint instead (mqtts://HOST:8883), with:
  --cert F --key F --ca F   device certificate, private key, Amazon root CA; {id} in a path is the device id
  --rate R             readings per second per device (default 1)
  --speed X            device time runs X times faster, ending at now (default 1; X × duration ≤ 24 h)
  --duration S         seconds to run, then stop (default 60)
  --fault F --device D inject a fault (${FAULTS.join(', ')}) into device D
  --fault-after S      seconds before the fault starts (default 0)
  --fault-for S        seconds the fault lasts (default: until the end)
  --seed N             random seed (default 1)`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '10' },
    ids: { type: 'string' },
    type: { type: 'string', default: 'fridge' },
    site: { type: 'string', default: 'demo-bistro' },
    url: { type: 'string' },
    endpoint: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    ca: { type: 'string' },
    rate: { type: 'string', default: '1' },
    speed: { type: 'string', default: '1' },
    duration: { type: 'string', default: '60' },
    fault: { type: 'string' },
    device: { type: 'string' },
    'fault-after': { type: 'string', default: '0' },
    'fault-for': { type: 'string' },
    seed: { type: 'string', default: '1' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const number = (name: string, value: string | undefined, min: number, max: number): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) fail(`--${name} must be a number from ${min} to ${max}`);
  return n;
};
const count = number('devices', args.devices, 1, 10_000);
const rate = number('rate', args.rate, 0.01, 100);
const speed = number('speed', args.speed, 1, 10_000);
const durationS = number('duration', args.duration, 1, 24 * 3600);
const faultAfterS = number('fault-after', args['fault-after'], 0, durationS);
const faultForS = args['fault-for'] === undefined ? Infinity : number('fault-for', args['fault-for'], 1, durationS);
const seed = number('seed', args.seed, 0, 2 ** 31);
if (!DEVICE_TYPES.includes(args.type as DeviceType)) fail(`--type must be one of ${DEVICE_TYPES.join(', ')}`);
if (speed * durationS * 1000 > MAX_READING_AGE_MS) fail('--speed × --duration may cover at most 24 hours: older readings are refused');
const fault = args.fault as Fault | undefined;
if (fault !== undefined && (!FAULTS.includes(fault) || !args.device)) fail(`--fault takes one of ${FAULTS.join(', ')}, with --device`);

const fleet = new Map(DEMO_FLEET.map((unit) => [unit.deviceId, unit.type]));
const ids = args.ids
  ? args.ids.split(',').map((id) => id.trim()).filter(Boolean)
  : Array.from({ length: count }, (_, i) => DEMO_FLEET[i]?.deviceId ?? `sim-${i + 1}`);
if (fault && args.device && !ids.includes(args.device)) fail(`--device ${args.device} is not one of the simulated devices (${ids.join(', ')})`);

const tlsFile = (path: string | undefined, id: string) => (path ? readFileSync(path.replaceAll('{id}', id)) : undefined);
const url = args.endpoint
  ? `mqtts://${args.endpoint}:8883`
  : (args.url ?? process.env.BRIGADE_MQTT_URL ?? `mqtt://127.0.0.1:${process.env.BRIGADE_MQTT_PORT ?? 1883}`);
if (args.endpoint && (!args.cert || !args.key)) fail('--endpoint needs --cert and --key (and usually --ca)');

const startedAt = Date.now();
// Device time ends at "now" when the run ends, so fast-forwarded readings are never in the future.
const deviceTimeAt = (realNow: number) => realNow - (speed - 1) * durationS * 1000 + (realNow - startedAt) * (speed - 1);
const devices = ids.map((id, i) => new SimulatedDevice(id, args.site, fleet.get(id) ?? (args.type as DeviceType), deviceTimeAt(startedAt), seed + i));

const unregistered = ids.filter((id) => !fleet.has(id));
if (unregistered.length > 0 && args.site === 'demo-bistro') {
  console.log(`note: ${unregistered.length} device(s) are not in the seeded demo fleet; register them (POST /sites/${args.site}/devices) or ingest rejects their readings`);
}
console.log(`simulating ${devices.length} device(s) of site ${args.site} on ${url}: ${rate}/s each, device time ×${speed}, for ${durationS} s`);

const CONNECT_TIMEOUT_S = 10;
let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  clearInterval(progress);
  await Promise.all(devices.map((d) => d.stop()));
  report(true);
  process.exit(code);
}
process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));

let lastReport = { at: startedAt, acked: 0 };
function report(final = false): void {
  const now = Date.now();
  const totals = devices.reduce(
    (sum, d) => ({ sent: sum.sent + d.counters.sent, acked: sum.acked + d.counters.acked, failed: sum.failed + d.counters.failed, shadow: sum.shadow + d.counters.shadowReports }),
    { sent: 0, acked: 0, failed: 0, shadow: 0 },
  );
  const window = (now - lastReport.at) / 1000;
  const rateNow = window > 0 ? (totals.acked - lastReport.acked) / window : 0;
  lastReport = { at: now, acked: totals.acked };
  const connected = devices.filter((d) => d.connected).length;
  const faulty = devices.filter((d) => FAULTS.some((f) => d.model.hasFault(f))).map((d) => `${d.deviceId}:${FAULTS.filter((f) => d.model.hasFault(f)).join('+')}`);
  console.log(
    `${final ? 'done ' : ''}[${((now - startedAt) / 1000).toFixed(1).padStart(6)} s] connected ${connected}/${devices.length}  sent ${totals.sent}  acked ${totals.acked}` +
      `  failed ${totals.failed}  ${final ? `avg ${(totals.acked / ((now - startedAt) / 1000)).toFixed(1)}` : rateNow.toFixed(1)} msg/s` +
      `  shadow reports ${totals.shadow}  device time ${new Date(deviceTimeAt(now)).toISOString().slice(0, 19)}Z${faulty.length ? `  faults ${faulty.join(' ')}` : ''}`,
  );
}

const ticker = setInterval(() => {
  const now = Date.now();
  const elapsedS = (now - startedAt) / 1000;
  if (elapsedS >= durationS) return void stop(devices.some((d) => d.counters.acked > 0) ? 0 : 1);
  // mqtt.js keeps retrying a broker that is not there: say so and fail instead of simulating into nothing.
  if (elapsedS >= CONNECT_TIMEOUT_S && !devices.some((d) => d.connected || d.counters.acked > 0)) {
    console.error(`could not connect to ${url} within ${CONNECT_TIMEOUT_S} s: is the stack running (npm start), and is the port right (BRIGADE_MQTT_PORT)?`);
    return void stop(1);
  }
  if (fault && args.device) {
    devices.find((d) => d.deviceId === args.device)?.setFault(fault, elapsedS >= faultAfterS && elapsedS < faultAfterS + faultForS);
  }
  for (const device of devices) if (device.connected) device.tick(deviceTimeAt(now));
}, 1000 / rate);
const progress = setInterval(() => report(), 2_000);

Promise.all(devices.map((d) => d.connect(url, { cert: tlsFile(args.cert, d.deviceId), key: tlsFile(args.key, d.deviceId), ca: tlsFile(args.ca, d.deviceId) }))).catch(
  (error: Error) => {
    console.error(`could not connect: ${error.message}`);
    void stop(1);
  },
);
