// The alerts the iot domain publishes on the alerts topic: food-safety excursions of a unit and units falling
// silent. Each also goes out with a `severity` message attribute (the same value as `data.severity`), so a
// subscriber can take only critical excursions. An alert's id is deterministic per fact (the incident, the
// silence): a retried decision publishes the same id, so deduplicate by `id`.
import * as z from 'zod';
import { utcInstantSchema } from './values';

export const DEVICE_TYPES = ['fridge', 'freezer', 'hot-holding', 'oven', 'fryer', 'ambient'] as const;

const temperatureC = z.number().min(-100).max(400);

const limitsSchema = z
  .strictObject({
    minC: temperatureC.optional().describe('lowest safe temperature, °C'),
    maxC: temperatureC.optional().describe('highest safe temperature, °C'),
  })
  .describe('the safe range of the unit; a missing bound does not constrain');

/** Which unit: every alert names it as the site knows it. */
const device = {
  deviceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .describe('the device (its thing name)'),
  deviceName: z.string().min(1).max(80).describe('its name at the site, such as "Walk-in freezer"'),
  deviceType: z.enum(DEVICE_TYPES).describe('kind of unit'),
  location: z.string().min(1).max(80).optional().describe('where it stands, if set'),
};

/** Also sent as the `severity` message attribute, for filter policies. */
const severity = <T extends z.ZodType>(schema: T, meaning: string) => schema.describe(`alert severity: ${meaning}`);

const incidentId = z.string().min(1).describe('the incident (GET /sites/{siteId}/incidents/{incidentId}); it names the alert');
const peakC = temperatureC.describe('the temperature furthest beyond the limits during the excursion, °C');

export const iotContract = {
  source: 'iot',
  topic: 'alerts',
  events: {
    'iot.excursion-started': {
      description:
        'A unit stayed out of its safe range for longer than its grace period (judged on the readings\' device time): an incident is opened. Critical when the peak is 5 °C or more beyond the limits.',
      data: z.strictObject({
        severity: severity(z.enum(['critical', 'warning']), 'critical when 5 °C or more beyond the limits'),
        ...device,
        incidentId,
        startedAt: utcInstantSchema.describe('first reading out of range (device time)'),
        detectedAt: utcInstantSchema.describe('the reading that outlasted the grace period (device time)'),
        temperatureC: temperatureC.describe('that reading, °C'),
        peakC,
        limits: limitsSchema,
        gracePeriodMinutes: z.number().int().min(1).max(240).describe('how long the unit may be out of range before it is an excursion'),
      }),
    },
    'iot.excursion-ended': {
      description: 'The unit is back in its safe range, or it was decommissioned during the excursion; its incident stays open for a corrective action.',
      data: z.strictObject({
        severity: severity(z.literal('info'), 'always info'),
        ...device,
        incidentId,
        startedAt: utcInstantSchema.describe('when the excursion started (device time)'),
        endedAt: utcInstantSchema.describe('first reading back in range, or the decommissioning'),
        durationMinutes: z.number().min(0).describe('minutes out of range, to one decimal'),
        peakC,
        limits: limitsSchema,
        endedBy: z.enum(['reading', 'decommissioned']).describe('what ended it'),
        excursionSeverity: z.enum(['critical', 'warning']).describe('the severity the excursion started with'),
      }),
    },
    'iot.device-offline': {
      description: 'A unit sent nothing for three reporting intervals: its temperatures are not being watched. Published by the silent-device watch (every minute), once per silence.',
      data: z.strictObject({
        severity: severity(z.literal('warning'), 'always warning'),
        ...device,
        lastSeenAt: utcInstantSchema.describe('when its last message arrived'),
        silentForSeconds: z.number().int().min(0).describe('seconds since then'),
        reportingIntervalSeconds: z.number().int().min(1).describe('how often it should report'),
      }),
    },
    'iot.device-online': {
      description: 'A unit that was reported offline sent readings again.',
      data: z.strictObject({
        severity: severity(z.literal('info'), 'always info'),
        ...device,
        lastSeenAt: utcInstantSchema.describe('its last message before the silence'),
        backAt: utcInstantSchema.describe('when it was heard again'),
        silentForSeconds: z.number().int().min(0).describe('how long it was silent'),
      }),
    },
  },
} as const;
