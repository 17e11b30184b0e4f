// What the iot tests share: registering devices through the API, connecting them over MQTT as their own thing,
// and an SNS subscription to the alerts topic served by the test itself (a real `http` subscription).
import { connectAsync, type MqttClient } from 'mqtt';
import { readFileSync } from 'node:fs';
import { api, eventually } from './target';
import { bearer, type TestUser } from './identity';
import { subscribeHttp } from './sns-subscriber';

export interface RegisteredDevice {
  device: { deviceId: string; thingName: string; certificateId: string; [key: string]: unknown };
  credentials: { certificateId: string; certificatePem: string; privateKey: string; publicKey: string };
  connection: { endpoint: string; clientId: string; telemetryTopic: string; shadowTopicPrefix: string };
}

export async function registerDevice(siteId: string, manager: TestUser, body: Record<string, unknown>): Promise<RegisteredDevice> {
  const res = await api('POST', `/sites/${siteId}/devices`, { body, headers: bearer(manager) });
  if (res.status !== 201) throw new Error(`register device → ${res.status} ${res.text}`);
  return res.json as RegisteredDevice;
}

/**
 * A device's own MQTT connection: client id = thing name, as the device policy requires. On AWS it presents the
 * certificate from its registration; locally the broker holds the client id to the same policy.
 */
export async function connectDevice(registered: RegisteredDevice): Promise<MqttClient> {
  const url = process.env.BRIGADE_MQTT_URL;
  if (!url) throw new Error('BRIGADE_MQTT_URL is not set');
  const tls = url.startsWith('mqtts:');
  return connectAsync(url, {
    clientId: registered.connection.clientId,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...(tls && {
      cert: registered.credentials.certificatePem,
      key: registered.credentials.privateKey,
      ca: process.env.BRIGADE_MQTT_CA_FILE ? readFileSync(process.env.BRIGADE_MQTT_CA_FILE) : undefined,
    }),
  });
}

export interface Alert {
  type: string;
  severity: string;
  siteId: string;
  envelope: { id: string; type: string; source: string; siteId: string; occurredAt: string; correlationId: string; data: Record<string, any> };
}

export interface AlertsInbox {
  alerts: Alert[];
  of(type: string, deviceId: string): Alert[];
  waitFor(type: string, deviceId: string, timeoutMs?: number): Promise<Alert>;
  close(): Promise<void>;
}

/** Subscribes an HTTP endpoint of this test process to the alerts topic, filtered to one site. */
export async function alertsInbox(siteId: string): Promise<AlertsInbox> {
  const alerts: Alert[] = [];
  const subscriber = await subscribeHttp('alerts', { siteId: [siteId] }, (envelope, attributes) =>
    alerts.push({ type: attributes.type ?? '', severity: attributes.severity ?? '', siteId: attributes.siteId ?? '', envelope }),
  );
  const of = (type: string, deviceId: string) => alerts.filter((a) => a.type === type && a.envelope.data.deviceId === deviceId);
  return {
    alerts,
    of,
    waitFor: (type, deviceId, timeoutMs = 15_000) => eventually(async () => of(type, deviceId)[0], timeoutMs, `${type} alert for ${deviceId}`),
    close: () => subscriber.close(),
  };
}

/** Polls the device view until its last reading is at least at `t` (device time): ingest has caught up. */
export async function waitForReadingAt(siteId: string, deviceId: string, t: number, user: TestUser, timeoutMs = 20_000) {
  return eventually(
    async () => {
      const res = await api('GET', `/sites/${siteId}/devices/${deviceId}`, { headers: bearer(user) });
      const at = res.json?.lastReading?.at;
      return at && Date.parse(at) >= t ? res.json : undefined;
    },
    timeoutMs,
    `a reading at ${new Date(t).toISOString()} from ${deviceId}`,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
