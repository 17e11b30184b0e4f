import { z } from 'zod';
import { siteIdSchema } from '#shared/identity';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

export const siteParamsSchema = z.object({ siteId: siteIdSchema });
export const noteParamsSchema = z.object({ siteId: siteIdSchema, noteId: id });
export const deviceParamsSchema = z.object({ siteId: siteIdSchema, deviceId: id });

export const createNoteSchema = z.strictObject({ text: z.string().trim().min(1).max(500) });
export type CreateNote = z.infer<typeof createNoteSchema>;

export const noteSchema = z.object({
  siteId: z.string(),
  noteId: z.string(),
  text: z.string(),
  createdAt: z.string(),
  eventDeliveries: z.number().int(),
});
export type Note = z.infer<typeof noteSchema>;

export const noteCreatedDataSchema = z.object({ noteId: id });

/** What the telemetry topic rule hands the ingest function: the device's JSON plus topic-derived fields. */
export const telemetryRuleOutputSchema = z.object({
  siteId: siteIdSchema,
  deviceId: id,
  receivedAt: z.number().int().positive(),
  temperatureC: z.number().finite().min(-100).max(400),
  t: z.number().int().positive().optional(),
  seq: z.number().int().nonnegative().optional(),
});
export type TelemetryReading = z.infer<typeof telemetryRuleOutputSchema>;

export const readingsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

export const deviceCommandSchema = z
  .strictObject({
    setpointC: z.number().min(-30).max(100).optional(),
    mode: z.enum(['normal', 'defrost']).optional(),
  })
  .refine((c) => c.setpointC !== undefined || c.mode !== undefined, 'give setpointC or mode');
export type DeviceCommand = z.infer<typeof deviceCommandSchema>;

/** The payload AWS IoT sends to a rule's error action. */
export const ruleErrorSchema = z.object({
  ruleName: z.string(),
  topic: z.string().optional(),
  clientId: z.string().optional(),
  base64OriginalPayload: z.string().optional(),
  failures: z.array(z.object({ failedAction: z.string(), failedResource: z.string().optional(), errorMessage: z.string() })),
});
export type RuleError = z.infer<typeof ruleErrorSchema>;
