// Request schemas and the records this domain keeps. Temperatures in °C, durations with their unit in the name,
// instants as ISO-8601 UTC in the API (epoch ms inside device state, where the state machine computes with them).
import * as z from 'zod';
import { expectedVersionSchema } from '#shared/versions';
import { siteIdSchema } from '#shared/identity';
import { DEVICE_TYPES, GRACE_PERIOD_MINUTES, REPORTING_INTERVAL_SECONDS, type DeviceCommand, type DeviceType, type Limits } from './device-types';
import type { MonitorState, Severity } from './excursion';
import type { HaccpSettings } from './haccp';
import { instantSchema, isoDateSchema, timeZoneSchema } from '#shared/time';
import { deviceIdSchema } from './readings';

const label = (max: number) => z.string().trim().min(1).max(max);
/** To 0.01 °C, as readings are (readings.ts): which also keeps what DynamoDB cannot store (1e-200) out. */
const temperature = z
  .number()
  .min(-100)
  .max(400)
  .transform((v) => Math.round(v * 100) / 100);
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

export const siteParamsSchema = z.object({ siteId: siteIdSchema });
export const deviceParamsSchema = z.object({ siteId: siteIdSchema, deviceId: deviceIdSchema });
export const incidentParamsSchema = z.object({ siteId: siteIdSchema, incidentId: z.string().regex(/^[a-z0-9]{9}-[0-9a-f]{8}$/, 'not an incident id') });

export const limitsSchema = z.strictObject({ minC: temperature.optional(), maxC: temperature.optional() });

const deviceSettings = {
  name: label(80),
  location: label(80).optional(),
  limits: limitsSchema.optional(),
  gracePeriodMinutes: z.number().int().min(GRACE_PERIOD_MINUTES.min).max(GRACE_PERIOD_MINUTES.max).optional(),
  reportingIntervalSeconds: z.number().int().min(REPORTING_INTERVAL_SECONDS.min).max(REPORTING_INTERVAL_SECONDS.max).optional(),
};

export const registerDeviceSchema = z.strictObject({ deviceId: deviceIdSchema, type: z.enum(DEVICE_TYPES), ...deviceSettings });
export type RegisterDevice = z.infer<typeof registerDeviceSchema>;

export const updateDeviceSchema = z
  .strictObject({ ...deviceSettings, name: deviceSettings.name.optional(), expectedVersion: expectedVersionSchema.optional() })
  .refine((u) => Object.keys(u).some((k) => k !== 'expectedVersion'), 'nothing to update');
export type UpdateDevice = z.infer<typeof updateDeviceSchema>;

// Bounds per device type are the service's (422); here only the shape.
export const deviceCommandSchema = z
  .strictObject({ setpointC: temperature.optional(), mode: z.string().min(1).max(20).optional() })
  .refine((c) => c.setpointC !== undefined || c.mode !== undefined, 'give setpointC, mode or both');

// Opaque; whether it belongs to the query it is sent with is the store's to say (a 400 when it does not).
const cursor = z.string().max(1024).optional();

export const readingsQuerySchema = z.object({
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  order: z.enum(['asc', 'desc']).default('desc'),
  cursor,
});

export const aggregatesQuerySchema = z.object({ from: instantSchema.optional(), to: instantSchema.optional() });

export const siteSettingsSchema = z
  .strictObject({
    timeZone: timeZoneSchema,
    amCheckAt: localTime,
    pmCheckAt: localTime,
  })
  .refine((s) => s.amCheckAt < s.pmCheckAt, 'amCheckAt must be before pmCheckAt');

export const incidentsQuerySchema = z.object({
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor,
});

export const CORRECTIVE_ACTIONS = ['moved-stock', 'discarded-stock', 'called-service', 'adjusted-setpoint', 'repaired', 'other'] as const;
export const correctiveActionSchema = z
  .strictObject({ kind: z.enum(CORRECTIVE_ACTIONS), notes: label(1000).optional() })
  .refine((a) => a.kind !== 'other' || a.notes !== undefined, { message: 'say what was done', path: ['notes'] });
export type CorrectiveActionInput = z.infer<typeof correctiveActionSchema>;

export const closeIncidentSchema = z.strictObject({ note: label(1000).optional() });

export const haccpQuerySchema = z.object({ date: isoDateSchema, format: z.enum(['csv', 'json']).default('csv') });
export const rejectsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor });
export const commandsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor });

// ---- records ----

export interface ThingLink {
  thingName: string;
  thingArn: string;
  certificateId: string;
  certificateArn: string;
  policyName: string;
}

export interface LiveState {
  lastReading?: { t: number; temperatureC: number; doorOpen?: boolean; batteryPct?: number };
  /** Receive time (IoT Core's clock) of the last message: what silence is measured against. */
  lastSeenAt?: number;
  batteryPct?: number;
  /** Last receive time before the silence, once the device was reported offline. */
  offlineSince?: number;
  monitor: MonitorState;
}

export interface DeviceRecord {
  siteId: string;
  deviceId: string;
  type: DeviceType;
  name: string;
  location?: string;
  limits: Limits;
  gracePeriodMinutes: number;
  reportingIntervalSeconds: number;
  status: 'active' | 'decommissioned';
  thing?: ThingLink;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  decommissionedAt?: string;
  /** Guards every write (each reading moves it); internal. */
  version: number;
  /** Moves only when the settings change: what `expectedVersion` of a PATCH is compared with. */
  settingsVersion: number;
  live: LiveState;
  /** The silence deadline as stored in the `silence` index (absent while not watched); internal. */
  silentAt?: number;
  acceptedReadings?: number;
  duplicateReadings?: number;
  rejectedReadings?: number;
}

export interface CorrectiveAction {
  actionId: string;
  kind: (typeof CORRECTIVE_ACTIONS)[number];
  notes?: string;
  by: string;
  role: string;
  at: string;
}

export interface IncidentRecord {
  siteId: string;
  incidentId: string;
  kind: 'excursion';
  deviceId: string;
  deviceName: string;
  deviceType: DeviceType;
  limits: Limits;
  severity: Severity;
  startedAt: string;
  detectedAt: string;
  peakC: number;
  endedAt?: string;
  durationMinutes?: number;
  endedBy?: 'reading' | 'decommissioned';
  status: 'open' | 'closed';
  actions: CorrectiveAction[];
  closedAt?: string;
  closedBy?: string;
  closingNote?: string;
  version: number;
}

export interface CommandRecord {
  commandId: string;
  siteId: string;
  deviceId: string;
  at: string;
  by: string;
  role: string;
  request: DeviceCommand;
  result: 'accepted' | 'rejected' | 'failed';
  reason?: string;
  shadowVersion?: number;
}

export interface RejectRecord {
  siteId: string;
  deviceId?: string;
  receivedAt: string;
  kind: 'invalid-reading' | 'invalid-message' | 'unknown-device' | 'decommissioned-device' | 'rule-error';
  reason: string;
  payload: unknown;
}

export interface SiteSettings extends HaccpSettings {
  updatedAt?: string;
  updatedBy?: string;
}
