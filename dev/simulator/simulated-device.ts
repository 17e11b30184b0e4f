// One simulated unit on MQTT: it publishes its readings as telemetry at QoS 1, answers its shadow (reports the
// setpoint and mode it applied when a delta arrives, and fetches pending desired state on connect), and counts
// what it sent and what the broker acknowledged.
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import type { DeviceType } from '../../functions/iot/device-types';
import { DeviceModel, type Fault } from './device-model';

export interface DeviceCounters {
  sent: number;
  acked: number;
  failed: number;
  shadowReports: number;
}

export class SimulatedDevice {
  readonly counters: DeviceCounters = { sent: 0, acked: 0, failed: 0, shadowReports: 0 };
  readonly model: DeviceModel;
  private client?: MqttClient;
  private seq = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    readonly deviceId: string,
    readonly siteId: string,
    type: DeviceType,
    start: number,
    seed: number,
  ) {
    this.model = new DeviceModel(type, start, seed);
  }

  get telemetryTopic(): string {
    return `brigade/${this.siteId}/devices/${this.deviceId}/telemetry`;
  }

  private shadowTopic(suffix: string): string {
    return `$aws/things/${this.deviceId}/shadow/${suffix}`;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** The client id is the thing name: on AWS the device policy allows no other. */
  async connect(url: string, tls: Pick<IClientOptions, 'cert' | 'key' | 'ca'> = {}): Promise<void> {
    const client = await connectAsync(url, { clientId: this.deviceId, clean: true, reconnectPeriod: 1_000, connectTimeout: 10_000, ...tls });
    this.client = client;
    client.on('message', (topic, payload) => this.onShadowMessage(topic, payload));
    await client.subscribeAsync([this.shadowTopic('update/delta'), this.shadowTopic('get/accepted')], { qos: 1 });
    await client.publishAsync(this.shadowTopic('get'), '{}', { qos: 1 });
  }

  /** Measures at device time `t` and publishes it, unless the sensor is silent. */
  tick(t: number): void {
    const reading = this.model.read(t);
    if (this.model.hasFault('silent') || !this.client) return;
    const payload = JSON.stringify({ ...reading, seq: ++this.seq });
    this.counters.sent++;
    const publish = this.client
      .publishAsync(this.telemetryTopic, payload, { qos: 1 })
      .then(() => void this.counters.acked++)
      .catch(() => void this.counters.failed++)
      .finally(() => this.inFlight.delete(publish));
    this.inFlight.add(publish);
  }

  setFault(fault: Fault, active: boolean): void {
    this.model.setFault(fault, active);
  }

  /** Waits for every publish still unacknowledged (or `timeoutMs`), then disconnects. */
  async stop(timeoutMs = 5_000): Promise<void> {
    await Promise.race([Promise.all(this.inFlight), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    await this.client?.endAsync(true);
  }

  private onShadowMessage(topic: string, payload: Buffer): void {
    let document: { state?: Record<string, unknown> & { delta?: Record<string, unknown> } };
    try {
      document = JSON.parse(payload.toString('utf8')) as typeof document;
    } catch {
      return;
    }
    // update/delta carries the delta as `state`; get/accepted carries the whole document with `state.delta`.
    const delta = topic.endsWith('/update/delta') ? document.state : document.state?.delta;
    if (!delta || Object.keys(delta).length === 0) return;
    const reported = this.model.apply(delta);
    this.counters.shadowReports++;
    this.client?.publishAsync(this.shadowTopic('update'), JSON.stringify({ state: { reported } }), { qos: 1 }).catch(() => void this.counters.failed++);
  }
}
