// Request bodies and records of the food-safety hold (hold-rules.ts): storage locations linked to refrigeration
// units, and holds. Quantities in records are integer milli-base units, money integer minor units.
import * as z from 'zod';
import { siteIdSchema } from '#shared/identity';
import { HOLD_STATUSES } from './hold-rules';
import { baseUnitSchema, idSchema, milliQuantitySchema } from './schemas';

/** A unit as the iot domain names it (its thing name). */
const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');
const note = z.string().trim().min(1).max(200).optional();

export const locationParamsSchema = z.object({ siteId: siteIdSchema, location: idSchema });
export const holdParamsSchema = z.object({ siteId: siteIdSchema, holdId: idSchema });

/** PUT replaces the location's links: `deviceIds: []` unlinks every unit. */
export const linkLocationSchema = z.strictObject({
  deviceIds: z
    .array(deviceIdSchema)
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, 'a device appears twice'),
  name: z.string().trim().min(1).max(80).optional(),
});

export const manualHoldSchema = z.strictObject({ location: idSchema, reason: z.string().trim().min(3).max(200) });
export const closeHoldSchema = z.strictObject({ note });
export const holdsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(25), cursor: z.string().max(2048).optional() });

export const locationRecordSchema = z.strictObject({
  siteId: z.string(),
  location: idSchema,
  name: z.string().optional(),
  deviceIds: z.array(deviceIdSchema),
  version: z.number().int().min(1),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type LocationRecord = z.infer<typeof locationRecordSchema>;

const heldItemSchema = z.strictObject({ itemId: idSchema, itemName: z.string(), unit: baseUnitSchema, quantity: milliQuantitySchema });
const discardedItemSchema = z.strictObject({ itemId: idSchema, quantity: milliQuantitySchema, gone: milliQuantitySchema, value: z.number().int().min(0), movementId: z.string() });

export const holdRecordSchema = z.strictObject({
  siteId: z.string(),
  holdId: idSchema,
  location: idSchema,
  locationName: z.string().optional(),
  status: z.enum(HOLD_STATUSES),
  cause: z.enum(['excursion', 'manual']),
  reason: z.string(),
  incidentId: z.string().optional(),
  deviceId: z.string().optional(),
  items: z.array(heldItemSchema),
  /** Minor units: the held quantities at the average cost when held. */
  value: z.number().int().min(0),
  heldBy: z.string(),
  heldAt: z.string(),
  /** Discarding, item by item (several transactions for a large location); complete once the hold is discarded. */
  discarded: z.array(discardedItemSchema).optional(),
  closedBy: z.string().optional(),
  closedAt: z.string().optional(),
  note: z.string().optional(),
  version: z.number().int().min(1),
});
export type HoldRecord = z.infer<typeof holdRecordSchema>;
export type HeldItem = z.infer<typeof heldItemSchema>;
export type DiscardedItem = z.infer<typeof discardedItemSchema>;
