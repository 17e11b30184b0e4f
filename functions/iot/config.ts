import * as z from 'zod';
import { loadConfig } from '#shared/config';
import { alertOutboxDeps } from './alerts';
import { CommandStore } from './command-store';
import { DeviceStore } from './device-store';
import { IncidentStore } from './incident-store';
import { RejectStore } from './reject-store';
import { SettingsStore } from './settings-store';
import { TelemetryStore } from './telemetry-store';

export const config = loadConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    ALERTS_TOPIC_ARN: z.string().startsWith('arn:'),
    /** The AWS::IoT::Policy every device certificate gets (resources.yml). */
    DEVICE_POLICY_NAME: z.string().min(1),
    STAGE: z.string().min(1),
    OUTBOX_RELAY_MIN_AGE_SECONDS: z.coerce.number().int().min(1).default(30),
  }),
);

// One table, one store per aggregate (table.ts maps which store owns which items).
export const deviceStore = new DeviceStore(config.TABLE_NAME, { topicArn: config.ALERTS_TOPIC_ARN, deps: alertOutboxDeps() });
export const telemetryStore = new TelemetryStore(config.TABLE_NAME);
export const incidentStore = new IncidentStore(config.TABLE_NAME);
export const commandStore = new CommandStore(config.TABLE_NAME);
export const rejectStore = new RejectStore(config.TABLE_NAME);
export const settingsStore = new SettingsStore(config.TABLE_NAME);
export const outboxTarget = { tableName: config.TABLE_NAME, topicArn: config.ALERTS_TOPIC_ARN };
