// Request bodies and the records this domain keeps. People type quantities in a unit ("2.5 kg", "3 case"):
// decimals with at most three places, bounded; records keep them as integer milli-base units (units.ts) and money
// as integer minor units. Nothing here is unbounded: an absurd quantity, price or list is a 400 at the door.
import * as z from 'zod';
import { expectedVersionSchema } from '#shared/versions';
import { siteIdSchema } from '#shared/identity';
import { moneySchema as kitMoneySchema } from '#shared/money';
import { MANUAL_WASTE_REASONS, MOVEMENT_KINDS, WASTE_REASONS } from './ledger-rules';
import { PO_STATUSES } from './purchase-rules';
import { WEEKDAYS } from './delivery-rules';
import { assertUnitsConvert, BASE_UNITS, InexactQuantityError, MAX_QUANTITY, toBaseQuantity, UnitConversionError, type ItemUnits } from './units';

/** A million in two-decimal currencies: above any one purchase. */
export const MAX_MONEY = 100_000_000;
/** The most of anything typed in one unit: a million cases, litres or kilograms. */
export const MAX_TYPED_QUANTITY = 1_000_000;
export const MAX_PACKS = 10_000;

export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');
const label = (max: number) => z.string().trim().min(1).max(max);
const moneySchema = kitMoneySchema.max(MAX_MONEY);
const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const expectedVersion = expectedVersionSchema.optional();

const hasThreeDecimals = (q: number) => Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6;
/** A quantity as typed: positive, at most 3 decimals, at most MAX_TYPED_QUANTITY. */
export const typedQuantitySchema = z.number().positive().max(MAX_TYPED_QUANTITY).refine(hasThreeDecimals, 'at most 3 decimals');
/** A unit name: a standard unit (g, kg, ml, l, each) or one the item defines (case, bag, bottle). */
export const unitNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,23}$/, 'must be 1-24 characters of a-z 0-9 -, starting with a letter');
export const amountSchema = z.strictObject({ quantity: typedQuantitySchema, unit: unitNameSchema });
/** A stored quantity: integer milli-base units. */
export const milliQuantitySchema = z.number().int().min(0).max(MAX_QUANTITY);
const signedMilliSchema = z.number().int().min(-MAX_QUANTITY).max(MAX_QUANTITY);

export const baseUnitSchema = z.enum(BASE_UNITS);
export const unitDefinitionSchema = z.strictObject({ name: unitNameSchema, quantity: typedQuantitySchema, unit: unitNameSchema });

// --- items -------------------------------------------------------------------------------------------------------

/** The first unit the item defines, or amount it is given in, that does not convert: an issue at its field. */
function checkConversions(item: ItemUnits, amounts: ReadonlyArray<[string, z.infer<typeof amountSchema> | undefined]>, ctx: z.RefinementCtx): void {
  let field = 'units';
  try {
    assertUnitsConvert(item);
    for (const [name, amount] of amounts) {
      field = name;
      if (amount) toBaseQuantity(item, amount.quantity, amount.unit);
    }
  } catch (error) {
    // zod runs this refinement even when a field already failed: an inexact amount is reported here too.
    if (!(error instanceof UnitConversionError || error instanceof InexactQuantityError)) throw error;
    ctx.addIssue({ code: 'custom', path: [field], message: error.message });
  }
}

const itemFields = {
  name: label(80),
  category: label(40),
  kind: z.enum(['ingredient', 'sellable']).default('ingredient'),
  baseUnit: baseUnitSchema,
  units: z.array(unitDefinitionSchema).max(10).default([]),
  locations: z.array(idSchema).min(1).max(10),
  /** Where sales deplete it from; the first location when absent. */
  depleteFrom: idSchema.optional(),
  par: amountSchema.optional(),
  reorderPoint: amountSchema.optional(),
  shelfLifeDays: z.number().int().min(0).max(3650).optional(),
};

export const createItemSchema = z
  .strictObject({ itemId: idSchema, ...itemFields })
  .refine((i) => new Set(i.locations).size === i.locations.length, { path: ['locations'], message: 'a location appears twice' })
  .refine((i) => i.depleteFrom === undefined || i.locations.includes(i.depleteFrom), { path: ['depleteFrom'], message: 'must be one of the locations' })
  .superRefine((i, ctx) => checkConversions(i, [['par', i.par], ['reorderPoint', i.reorderPoint]], ctx));
export type CreateItemInput = z.infer<typeof createItemSchema>;

export const updateItemSchema = z
  .strictObject({
    name: itemFields.name.optional(),
    category: itemFields.category.optional(),
    par: amountSchema.optional(),
    reorderPoint: amountSchema.optional(),
    shelfLifeDays: itemFields.shelfLifeDays,
    archived: z.boolean().optional(),
    // Added, never changed or removed: what the ledger, offers and open orders hold stays true.
    addLocations: z.array(idSchema).min(1).max(10).optional(),
    addUnits: z.array(unitDefinitionSchema).min(1).max(10).optional(),
    depleteFrom: idSchema.optional(),
    expectedVersion,
  })
  .refine((u) => Object.keys(u).some((k) => k !== 'expectedVersion'), 'nothing to update')
  .refine((u) => !u.addLocations || new Set(u.addLocations).size === u.addLocations.length, { path: ['addLocations'], message: 'a location appears twice' });

export const itemRecordSchema = z.strictObject({
  siteId: z.string(),
  itemId: idSchema,
  name: itemFields.name,
  category: itemFields.category,
  kind: z.enum(['ingredient', 'sellable']),
  baseUnit: baseUnitSchema,
  units: z.array(unitDefinitionSchema).max(10),
  locations: z.array(idSchema).min(1).max(10),
  depleteFrom: idSchema,
  par: milliQuantitySchema,
  reorderPoint: milliQuantitySchema,
  shelfLifeDays: itemFields.shelfLifeDays,
  /** Minor units per 1 000 base units (ledger-rules.ts). */
  averageCost: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  archived: z.boolean(),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ItemRecord = z.infer<typeof itemRecordSchema>;

// --- suppliers -----------------------------------------------------------------------------------------------------

export const supplierSchema = z
  .strictObject({
    supplierId: idSchema,
    name: label(80),
    contact: z.strictObject({ name: label(80).optional(), email: z.email().max(254).optional(), phone: z.string().regex(/^\+?[0-9 ()-]{5,20}$/).optional() }),
    leadTimeDays: z.number().int().min(0).max(60),
    deliveryWeekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    orderCutOff: clockSchema,
    deliveryTime: clockSchema.default('10:00'),
    minimumOrderValue: moneySchema.default(0),
  })
  .refine((s) => new Set(s.deliveryWeekdays).size === s.deliveryWeekdays.length, { path: ['deliveryWeekdays'], message: 'a weekday appears twice' });
export type SupplierInput = z.infer<typeof supplierSchema>;
/** The site's time zone is not kept: cut-offs and delivery days are read in the zone the site has when computing. */
export const supplierRecordSchema = z.strictObject({
  siteId: z.string(),
  ...supplierSchema.shape,
  /** No longer ordered from: no drafts, no new purchase orders, offers or sends; its open orders can still be received. */
  archived: z.boolean().optional(),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SupplierRecord = z.infer<typeof supplierRecordSchema>;
const supplierFields = supplierSchema.shape;
export const updateSupplierSchema = z
  .strictObject({
    name: supplierFields.name.optional(),
    contact: supplierFields.contact.optional(),
    leadTimeDays: supplierFields.leadTimeDays.optional(),
    deliveryWeekdays: supplierFields.deliveryWeekdays.optional(),
    orderCutOff: clockSchema.optional(),
    deliveryTime: clockSchema.optional(),
    minimumOrderValue: moneySchema.optional(),
    archived: z.boolean().optional(),
    expectedVersion,
  })
  .refine((u) => Object.keys(u).some((k) => k !== 'expectedVersion'), 'nothing to update')
  .refine((u) => !u.deliveryWeekdays || new Set(u.deliveryWeekdays).size === u.deliveryWeekdays.length, { path: ['deliveryWeekdays'], message: 'a weekday appears twice' });
export type SupplierEdit = Omit<z.infer<typeof updateSupplierSchema>, 'expectedVersion'>;

/** What a supplier sells an item in: one pack unit the item defines (or a standard one), at a price per pack. */
export const supplierItemSchema = z.strictObject({
  itemId: idSchema,
  packUnit: unitNameSchema,
  packPrice: moneySchema,
  supplierSku: z.string().trim().min(1).max(40).optional(),
});
export const priceEntrySchema = z.strictObject({ packPrice: moneySchema, at: z.string(), by: z.string().min(1) });
export const supplierItemRecordSchema = z.strictObject({
  ...supplierItemSchema.shape,
  siteId: z.string(),
  supplierId: idSchema,
  /** Milli-base units in one pack, from the item's units when the offer was set. */
  packSize: milliQuantitySchema.min(1),
  /** The latest prices, newest first; the whole history is kept as separate price items (table.ts). */
  recentPrices: z.array(priceEntrySchema).max(10),
  version: z.number().int().min(1),
  updatedAt: z.string(),
});
export type OfferRecord = z.infer<typeof supplierItemRecordSchema>;
export type PriceEntry = z.infer<typeof priceEntrySchema>;
/** The PUT of an offer: the item is in the path; `preferred` makes this supplier the one the item's drafts go to. */
export const putOfferSchema = z.strictObject({ ...supplierItemSchema.omit({ itemId: true }).shape, preferred: z.boolean().optional() });
export type PutOfferInput = z.infer<typeof putOfferSchema>;

// --- movements -----------------------------------------------------------------------------------------------------

const note = z.string().trim().min(1).max(200).optional();
export const receiveSchema = z.strictObject({ location: idSchema, ...amountSchema.shape, unitCost: moneySchema.describe('minor units per `unit`'), note });
/** A stocktake line: the quantity may be given in several units ("3 case and 2.5 kg"), summed; 0 when the shelf is empty. */
const countedAmountSchema = z.strictObject({ quantity: z.number().min(0).max(MAX_TYPED_QUANTITY).refine(hasThreeDecimals, 'at most 3 decimals'), unit: unitNameSchema });
export const countSchema = z.strictObject({ location: idSchema, counted: z.array(countedAmountSchema).min(1).max(10), note });
export const wasteSchema = z.strictObject({ location: idSchema, ...amountSchema.shape, reason: z.enum(MANUAL_WASTE_REASONS), note });
export const transferSchema = z
  .strictObject({ from: idSchema, to: idSchema, ...amountSchema.shape, note })
  .refine((t) => t.from !== t.to, { path: ['to'], message: 'must differ from `from`' });
export const adjustmentSchema = z.strictObject({
  location: idSchema,
  direction: z.enum(['add', 'remove']),
  ...amountSchema.shape,
  reason: z.string().trim().min(3).max(200),
});

export const movementRecordSchema = z.strictObject({
  siteId: z.string(),
  itemId: idSchema,
  movementId: z.string().min(1).max(200),
  kind: z.enum(MOVEMENT_KINDS),
  at: z.string(),
  by: z.string().min(1),
  /** Per location changed: before and after, milli-base units (a transfer changes two). */
  changes: z.array(z.strictObject({ location: idSchema, before: signedMilliSchema, after: signedMilliSchema })).min(1).max(2),
  /** Minor units: a receipt's cost, otherwise the quantity at the average cost. */
  value: z.number().int().min(0),
  variance: signedMilliSchema.optional(),
  reason: z.union([z.enum(WASTE_REASONS), z.string().min(3).max(200)]).optional(),
  orderId: idSchema.optional(),
  purchaseOrderId: idSchema.optional(),
  note,
});
export type MovementRecord = z.infer<typeof movementRecordSchema>;

// --- purchase orders -----------------------------------------------------------------------------------------------

/** The most lines a purchase order has. */
export const MAX_PO_LINES = 100;
/** What a manager orders: packs of items, priced from the supplier's offers. */
const orderedLinesSchema = z
  .array(z.strictObject({ itemId: idSchema, packs: z.number().int().min(1).max(MAX_PACKS) }))
  .min(1)
  .max(MAX_PO_LINES)
  .refine((lines) => new Set(lines.map((l) => l.itemId)).size === lines.length, 'an item appears twice');
export const createPurchaseOrderSchema = z.strictObject({ supplierId: idSchema, lines: orderedLinesSchema });
export const editPurchaseOrderSchema = z.strictObject({ lines: orderedLinesSchema, expectedVersion });
export const purchaseOrderActionSchema = z.strictObject({ action: z.enum(['approve', 'send', 'cancel', 'close-short']), expectedVersion });
/** `expectedVersion`: the version the clerk received against; a line received by someone else since is a 409. */
export const receiptSchema = z.strictObject({
  expectedVersion,
  lines: z
    .array(
      z.strictObject({
        lineId: idSchema,
        packs: z.number().int().min(1).max(MAX_PACKS),
        packPrice: moneySchema,
        location: idSchema,
        substituteItemId: idSchema.optional(),
      }),
    )
    .min(1)
    .max(MAX_PO_LINES),
});

const poLineRecordSchema = z.strictObject({
  lineId: idSchema,
  itemId: idSchema,
  packUnit: unitNameSchema,
  packSize: milliQuantitySchema.min(1),
  packPrice: moneySchema,
  packs: z.number().int().min(1).max(MAX_PACKS),
  receivedPacks: z.number().int().min(0),
  receivedCost: z.number().int().min(0),
  /** What receipts flagged on the line, once each (purchase-rules.ts ReceiptFlag kinds). */
  flags: z.array(z.enum(['price-difference', 'substituted', 'over-received'])).max(3).optional(),
  /** The PO version of the receipt that last received the line: a receipt made against an older one is a 409. */
  receivedAtVersion: z.number().int().min(1).optional(),
});
export type PurchaseOrderLineRecord = z.infer<typeof poLineRecordSchema>;
export const purchaseOrderRecordSchema = z.strictObject({
  siteId: z.string(),
  purchaseOrderId: idSchema,
  supplierId: idSchema,
  status: z.enum(PO_STATUSES),
  lines: z.array(poLineRecordSchema).min(1).max(100),
  total: z.number().int().min(0),
  belowMinimum: z.boolean(),
  shortClosed: z.boolean().optional(),
  /** Set by `send`: when, and the delivery date expected then (site-local). */
  sentAt: z.string().optional(),
  deliveryDate: z.string().optional(),
  /** Receipts taken (purchase-order-receiving.ts caps them). */
  receiptCount: z.number().int().min(0).optional(),
  /** When it was received in full, closed short or cancelled. */
  closedAt: z.string().optional(),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PurchaseOrderRecord = z.infer<typeof purchaseOrderRecordSchema>;
export const purchaseOrderParamsSchema = z.object({ siteId: siteIdSchema, purchaseOrderId: idSchema });
/** `open` (the default): every status but received and cancelled. */
export const purchaseOrderListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
  status: z.enum(['open', ...PO_STATUSES]).default('open'),
});

// --- routes --------------------------------------------------------------------------------------------------------

export const siteParamsSchema = z.object({ siteId: siteIdSchema });
export const itemParamsSchema = z.object({ siteId: siteIdSchema, itemId: idSchema });
const pageFields = { limit: z.coerce.number().int().min(1).max(100).default(25), cursor: z.string().max(2048).optional() };
export const pageQuerySchema = z.object(pageFields);
export const supplierParamsSchema = z.object({ siteId: siteIdSchema, supplierId: idSchema });
export const offerParamsSchema = z.object({ siteId: siteIdSchema, supplierId: idSchema, itemId: idSchema });
export const onHandQuerySchema = z.object({ ...pageFields, itemId: idSchema.optional() });
