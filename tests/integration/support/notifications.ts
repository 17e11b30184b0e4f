// Helpers for the notifications tests: inbox calls, the local SMS and email logs, events published on the real
// topics with the handler kit's own publisher (as the IoT and orders domains do), and the escalation sweep.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { randomUUID } from 'node:crypto';
import { publishEvent } from '../../../functions/shared/event-publisher';
import { buildEvent } from '../../../functions/shared/events';
import { eventCatalog, type EventType } from '../../../functions/shared/contracts/index';
import { sampleData } from '../../unit/fixtures/events';
import { api, eventually, region, stage, topicArn } from './target';
import { bearer, type TestUser } from './identity';

const edge = () => process.env.AWS_ENDPOINT_URL!;

export interface Notification {
  notificationId: string;
  userId: string;
  siteId: string;
  eventId: string;
  eventType: string;
  severity: string;
  title: string;
  alertId?: string;
  read: boolean;
  deliveries: Record<'realtime' | 'sms' | 'email', { status: string; reason?: string }>;
  alert?: { acknowledged: { by: string; at: string } | null; resolvedAt: string | null; escalation: { status: string; stopReason?: string; steps: Array<{ step: number; recipients: Array<{ userId: string; sms: { status: string; reason?: string } }> }> } };
  data: Record<string, any>;
}

/** A number in the 555 fictional range, unique per call, so each test reads only its own SMS log. */
export const uniquePhone = () => `+1555${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;

export async function putSettings(user: TestUser, settings: Record<string, unknown>) {
  const res = await api('PUT', '/me/notification-settings', { body: settings, headers: bearer(user) });
  if (res.status !== 200) throw new Error(`settings → ${res.status} ${res.text}`);
  return res.json;
}

export async function inbox(user: TestUser, query = ''): Promise<Notification[]> {
  const res = await api('GET', `/me/notifications${query}`, { headers: bearer(user) });
  if (res.status !== 200) throw new Error(`inbox → ${res.status} ${res.text}`);
  return res.json.notifications;
}

/** Waits until the user's inbox holds a notification matching `match`, and returns it. */
export function waitForNotification(user: TestUser, match: (n: Notification) => boolean, timeoutMs = 45_000, what = 'a notification') {
  return eventually(async () => (await inbox(user, '?limit=100')).find(match), timeoutMs, what);
}

export async function smsTo(phoneNumber: string): Promise<Array<{ PhoneNumber: string; Message: string }>> {
  const res = await fetch(`${edge()}/_aws/sns/sms-messages?phoneNumber=${encodeURIComponent(phoneNumber)}`);
  const body = (await res.json()) as { sms_messages: Record<string, Array<{ PhoneNumber: string; Message: string }>> };
  return body.sms_messages[phoneNumber] ?? [];
}

export async function emailsTo(address: string): Promise<Array<{ Email: string; Subject: string | null; Message: string }>> {
  const res = await fetch(`${edge()}/_local/sns/emails`);
  const body = (await res.json()) as { emails: Array<{ Email: string; Subject: string | null; Message: string }> };
  return body.emails.filter((e) => e.Email === address);
}

/**
 * Publishes an alert on the alerts topic exactly as its producer (IoT, inventory) does (the shared envelope and
 * publisher): the type's sample data (its contract holds), with the test's own fields.
 */
export async function publishAlert(input: AlertInput) {
  const event = alertEvent(input);
  await publishEvent(topicArn('alerts'), event, { severity: input.severity });
  return event;
}

type AlertInput = { siteId: string; type: string; severity: string; data?: Record<string, unknown>; id?: string };

/** The envelope publishAlert publishes. */
export function alertEvent(input: AlertInput) {
  const { source } = eventCatalog[input.type as EventType];
  const device = source === 'iot' ? { deviceId: 'test-device', deviceName: 'Test freezer', location: undefined } : {};
  // An excursion detected just now, as a unit reporting live raises it (older ones are routed as found late).
  const now = Date.now();
  const detected = input.type === 'iot.excursion-started' ? { startedAt: new Date(now - 15 * 60_000).toISOString(), detectedAt: new Date(now).toISOString() } : {};
  return buildEvent({
    ...(input.id && { id: input.id }),
    type: input.type,
    source,
    siteId: input.siteId,
    correlationId: randomUUID(),
    data: sampleData(input.type as EventType, { ...device, ...detected, severity: input.severity, ...input.data }),
  });
}

/** Publishes `order.status-changed` to `ready` on the events topic, as the orders domain does. */
export async function publishOrderReady(input: { siteId: string; serverId: string; ticketNumber?: number }) {
  const event = buildEvent({
    type: 'order.status-changed',
    source: 'orders',
    siteId: input.siteId,
    correlationId: randomUUID(),
    data: sampleData('order.status-changed', { orderId: randomUUID(), ticketNumber: input.ticketNumber ?? 1, serverId: input.serverId, from: 'preparing', to: 'ready' }),
  });
  await publishEvent(topicArn('events'), event);
  return event;
}

/** Runs the escalation sweep now (it is also scheduled every minute), through the Lambda invoke API. */
export async function runEscalationSweep(): Promise<{ due: number; paged: number }> {
  const lambda = new LambdaClient({
    endpoint: `http://127.0.0.1:${process.env.BRIGADE_LAMBDA_PORT ?? '3002'}`,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const result = await lambda.send(new InvokeCommand({ FunctionName: `brigade-${stage}-escalateAlerts`, Payload: Buffer.from('{}') }));
  if (result.FunctionError) throw new Error(`escalateAlerts failed: ${Buffer.from(result.Payload ?? []).toString()}`);
  return JSON.parse(Buffer.from(result.Payload ?? []).toString());
}
