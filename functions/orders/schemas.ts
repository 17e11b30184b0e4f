// Request bodies, query strings and the records this domain keeps. Money is always an integer number of minor
// units (cents) of the site's currency; a tax rate is a decimal percentage string ("8.875"), exact to four
// decimals, never a float; recipe quantities carry units.
import * as z from 'zod';
import { expectedVersionSchema } from '#shared/versions';
import { isoDateSchema, timeZoneSchema } from '#shared/time';
import { siteIdSchema } from '#shared/identity';
import { ANSWER_PAGE_BYTES, pageQueryFields } from '#shared/pages';

const MAX_MONEY = 100_000_000; // a million in two-decimal currencies: far above any restaurant bill
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');
const label = (max: number) => z.string().trim().min(1).max(max);

export const moneySchema = z.number().int().min(0).max(MAX_MONEY);
export const taxRateSchema = z
  .string()
  .regex(/^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/, 'must be a percentage from "0" to "100" with at most 4 decimals, such as "8.875"');
export const stationSchema = z.enum(['kitchen', 'bar']);
export const unitSchema = z.enum(['g', 'kg', 'ml', 'l', 'each']);
// Recipe quantities: at most three decimals, so scaling them by an order quantity is exact in milli-units.
const measureSchema = z
  .number()
  .positive()
  .max(1_000_000)
  .refine((q) => Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6, 'at most 3 decimals');
const expectedVersion = expectedVersionSchema.optional();

export const siteParamsSchema = z.object({ siteId: siteIdSchema });
export const categoryParamsSchema = z.object({ siteId: siteIdSchema, categoryId: id });
export const itemParamsSchema = z.object({ siteId: siteIdSchema, itemId: id });
export const orderParamsSchema = z.object({ siteId: siteIdSchema, orderId: id });
export const lineParamsSchema = z.object({ siteId: siteIdSchema, orderId: id, lineId: id });

// --- menu ------------------------------------------------------------------------------------------------------


export const menuSettingsSchema = z.strictObject({
  timeZone: timeZoneSchema,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  // Orders placed before this local time belong to the previous business day (late service, bar).
  businessDayStartsAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')
    .default('04:00'),
});
export type MenuSettingsInput = z.infer<typeof menuSettingsSchema>;

export const createCategorySchema = z.strictObject({
  name: label(80),
  position: z.number().int().min(0).max(1000).default(0),
  active: z.boolean().default(true),
});
/**
 * Every category's name also lives on one item of the site (store.ts, CATEGORY-NAMES), which DynamoDB caps at
 * 400 KB: some 1,500 categories of the longest names filled it, and no category could be created after (a 500).
 */
export const MAX_CATEGORIES_PER_SITE = 200;
export const updateCategorySchema = createCategorySchema
  .partial()
  .extend({ expectedVersion })
  .refine((c) => c.name !== undefined || c.position !== undefined || c.active !== undefined, 'nothing to update');
export type CategoryInput = z.infer<typeof createCategorySchema>;

export const recipeSchema = z
  .array(z.strictObject({ ingredientId: id, quantity: measureSchema, unit: unitSchema }))
  .max(50)
  .refine((r) => new Set(r.map((c) => `${c.ingredientId}/${c.unit}`)).size === r.length, 'an ingredient appears twice with one unit');

export const modifierSchema = z.strictObject({
  modifierId: id,
  name: label(80),
  // Negative for "without": the line's unit price may not end below zero (checked when priced).
  priceDelta: z.number().int().min(-MAX_MONEY).max(MAX_MONEY),
  // A line takes at most one modifier of a group (size: small / large).
  group: label(40).optional(),
  recipe: recipeSchema.default([]),
});

const itemFields = {
  categoryId: id,
  name: label(120),
  description: z.string().trim().max(500).optional(),
  price: moneySchema,
  taxRate: taxRateSchema,
  station: stationSchema,
  active: z.boolean().default(true),
  modifiers: z
    .array(modifierSchema)
    .max(30)
    .default([])
    .refine((m) => new Set(m.map((x) => x.modifierId)).size === m.length, 'modifier ids must be unique'),
  recipe: recipeSchema.default([]),
};
export const createItemSchema = z.strictObject(itemFields);
export type ItemInput = z.infer<typeof createItemSchema>;
export const updateItemSchema = z
  .strictObject({
    categoryId: itemFields.categoryId.optional(),
    name: itemFields.name.optional(),
    description: itemFields.description,
    price: itemFields.price.optional(),
    taxRate: itemFields.taxRate.optional(),
    station: itemFields.station.optional(),
    active: z.boolean().optional(),
    modifiers: z
      .array(modifierSchema)
      .max(30)
      .refine((m) => new Set(m.map((x) => x.modifierId)).size === m.length, 'modifier ids must be unique')
      .optional(),
    recipe: recipeSchema.optional(),
    expectedVersion,
  })
  .refine((u) => Object.keys(u).some((k) => k !== 'expectedVersion'), 'nothing to update');
export type ItemUpdate = z.infer<typeof updateItemSchema>;

// 86'ing: `available: false` takes the item off (manual); `available: true` puts it back, optionally with a
// countdown (`remaining`) that every order decrements and that 86's the item at zero; `remaining: null` drops it.
export const availabilitySchema = z
  .strictObject({
    available: z.boolean(),
    remaining: z.number().int().min(1).max(100_000).nullable().optional(),
  })
  .refine((a) => a.available || a.remaining === undefined, 'remaining goes with available: true');
export type AvailabilityInput = z.infer<typeof availabilitySchema>;

// --- orders ----------------------------------------------------------------------------------------------------

export const channelSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('dine-in'), table: label(20), covers: z.number().int().min(1).max(50) }),
  z.strictObject({ type: z.literal('takeaway'), customerName: label(80).optional() }),
  z.strictObject({ type: z.literal('delivery'), customerName: label(80).optional(), address: label(300).optional() }),
]);
export type Channel = z.infer<typeof channelSchema>;

// No price field anywhere: the server prices every line from the menu, and strict objects refuse one.
const lineInputFields = {
  itemId: id,
  quantity: z.number().int().min(1).max(99),
  modifierIds: z
    .array(id)
    .max(10)
    .default([])
    .refine((m) => new Set(m).size === m.length, 'a modifier appears twice'),
  notes: z.string().trim().min(1).max(200).optional(),
};
export const lineInputSchema = z.strictObject(lineInputFields);
export type LineInput = z.infer<typeof lineInputSchema>;

// A customer to recognise on a later visit: kept only as a keyed hash (customer-ref.ts), never in clear. A phone
// is normalised to its digits with an optional leading +, so "+33 6 12-34-56-78" and "+33612345678" are one
// customer; a national form ("06 12 34 56 78") is another: send E.164 (+ and country code) where you can.
const phoneSchema = z
  .string()
  .max(32)
  .transform((phone) => phone.replace(/[\s().-]/g, ''))
  .pipe(z.string().regex(/^(\+[1-9]\d{5,14}|\d{6,15})$/, 'must be a phone number: 6-15 digits, an optional leading +, spaces, dashes, dots or parentheses'));
export const customerSchema = z.union(
  [
    z.strictObject({ phone: phoneSchema }),
    // The site's loyalty card or account number, as printed: compared exactly, case included.
    z.strictObject({ loyaltyId: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . -') }),
  ],
  { error: 'must be either { phone } or { loyaltyId }' },
);
export type CustomerInput = z.infer<typeof customerSchema>;
export const setCustomerSchema = z.strictObject({ customer: customerSchema, expectedVersion });

export const MAX_LINES_PER_ORDER = 100;
/** Payments and refunds each; with the line limit this keeps an order item far below DynamoDB's 400 KB. */
export const MAX_PAYMENTS_PER_ORDER = 100;
export const createOrderSchema = z.strictObject({ channel: channelSchema, lines: z.array(lineInputSchema).min(1).max(40), customer: customerSchema.optional() });
export type CreateOrderInput = z.infer<typeof createOrderSchema>;
export const addLineSchema = z.strictObject({ ...lineInputFields, expectedVersion });

export const ORDER_STATUSES = ['open', 'sent', 'preparing', 'ready', 'served', 'closed', 'voided'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const statusChangeSchema = z.strictObject({
  status: z.enum(['sent', 'preparing', 'ready', 'served', 'closed']),
  expectedVersion,
});
export const lineStatusSchema = z.strictObject({ status: z.enum(['fired', 'done']) });
export const voidSchema = z.strictObject({ reason: label(200), expectedVersion });

export const discountSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('amount'), amount: moneySchema, reason: label(200), expectedVersion }),
  z.strictObject({ type: z.literal('percent'), percentBps: z.number().int().min(0).max(10_000), reason: label(200), expectedVersion }),
]);
export type DiscountInput = z.infer<typeof discountSchema>;

export const splitSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none'), expectedVersion }),
  z.strictObject({ mode: z.literal('even'), parts: z.number().int().min(2).max(20), expectedVersion }),
  z.strictObject({ mode: z.literal('lines'), parts: z.array(z.array(id).min(1).max(MAX_LINES_PER_ORDER)).min(2).max(20), expectedVersion }),
]);
export type SplitInput = z.infer<typeof splitSchema>;

export const paymentSchema = z
  .strictObject({
    method: z.enum(['cash', 'card']),
    amount: moneySchema.min(1),
    tip: moneySchema.default(0),
    // Cash handed over; the response says how much change to give.
    tendered: moneySchema.optional(),
    // Card: the token or terminal reference the processor knows the card by.
    cardReference: label(64).optional(),
    checkId: id.optional(),
  })
  .refine((p) => p.method === 'card' || p.cardReference === undefined, { message: 'cash payments take no cardReference', path: ['cardReference'] })
  .refine((p) => p.method === 'cash' || p.tendered === undefined, { message: 'card payments take no tendered amount', path: ['tendered'] })
  .refine((p) => p.method === 'cash' || p.cardReference !== undefined, { message: 'card payments need a cardReference', path: ['cardReference'] })
  .refine((p) => p.tendered === undefined || p.tendered >= p.amount + p.tip, { message: 'tendered must cover amount and tip', path: ['tendered'] });
export type PaymentInput = z.infer<typeof paymentSchema>;

export const refundSchema = z.strictObject({ paymentId: id, amount: moneySchema.min(1), reason: label(200) });
export type RefundInput = z.infer<typeof refundSchema>;

export const listOrdersQuerySchema = z.object({
  businessDay: isoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
/**
 * Items per menu page, in bytes of Lambda's answer: with the settings and up to 200 categories (~0.1 MB at their
 * longest), a page stays under Lambda's 6 MB. An ordinary menu (a thousand items of 1–2 KB) is one page.
 */
export const MENU_PAGE_BYTES = ANSWER_PAGE_BYTES;
export const menuPageQuerySchema = z.object(pageQueryFields(1000));
export type MenuPageQuery = z.infer<typeof menuPageQuerySchema>;
export const openOrdersQuerySchema = z.object({ station: stationSchema.optional() });

// --- records ---------------------------------------------------------------------------------------------------

export type Station = z.infer<typeof stationSchema>;
export type Unit = z.infer<typeof unitSchema>;
export interface Consumption {
  ingredientId: string;
  quantity: number;
  unit: Unit;
}
export type Modifier = z.infer<typeof modifierSchema>;
export type EightySixReason = 'manual' | 'sold-out' | 'out-of-stock';

export interface MenuSettingsRecord extends MenuSettingsInput {
  siteId: string;
  updatedAt: string;
  version: number;
}

export interface CategoryRecord extends CategoryInput {
  siteId: string;
  categoryId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface MenuItemRecord {
  siteId: string;
  itemId: string;
  categoryId: string;
  name: string;
  description?: string;
  price: number;
  /** Percent, as a decimal string: "8.875". */
  taxRate: string;
  station: Station;
  active: boolean;
  modifiers: Modifier[];
  recipe: Consumption[];
  /**
   * Off the menu for now: by hand ('manual'), because the countdown reached zero ('sold-out'), or because
   * inventory can no longer make a portion ('out-of-stock', from inventory.item-unavailable).
   */
  eightySixed: boolean;
  eightySixedReason?: EightySixReason;
  /** The newest inventory availability version applied (inventory.item-unavailable / item-available); absent before any. */
  stockVersion?: number;
  /** Countdown: portions left; absent when the item is not counted. */
  remaining?: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export type LineStatus = 'pending' | 'fired' | 'done';
export interface OrderLine {
  lineId: string;
  itemId: string;
  name: string;
  /** The item's category when ordered; absent on lines ordered before lines carried it. */
  categoryId?: string;
  /** The category's name when ordered; absent when the category could not be read then. */
  categoryName?: string;
  station: Station;
  quantity: number;
  modifiers: Array<{ modifierId: string; name: string; priceDelta: number }>;
  /** Item price plus modifier deltas, per unit. */
  unitPrice: number;
  /** unitPrice × quantity, before discount and tax. */
  amount: number;
  taxRate: string;
  /** This line's share of the order discount. */
  discount: number;
  tax: number;
  notes?: string;
  status: LineStatus;
  /** Recipe quantities for the whole line (item and modifiers, times quantity): what inventory consumes. */
  consumption: Consumption[];
  firedAt?: string;
  doneAt?: string;
}

export type Discount =
  | { type: 'amount'; amount: number; reason: string; by: string; at: string }
  | { type: 'percent'; percentBps: number; reason: string; by: string; at: string };

export type Split = { mode: 'even'; parts: number } | { mode: 'lines'; parts: string[][] };

export interface Payment {
  paymentId: string;
  method: 'cash' | 'card';
  amount: number;
  tip: number;
  processor: string;
  processorReference?: string;
  checkId?: string;
  by: string;
  at: string;
}

/** Reserved ('pending') before the processor is asked, so concurrent refunds cannot give back more than was paid. */
export interface Refund {
  refundId: string;
  paymentId: string;
  amount: number;
  reason: string;
  status: 'pending' | 'completed';
  processorReference?: string;
  by: string;
  at: string;
}

export interface Totals {
  /** Σ line amounts. */
  subtotal: number;
  discount: number;
  /** Σ line taxes, each on the line's amount after its share of the discount. */
  tax: number;
  /** Σ tips given with payments. */
  tip: number;
  /** subtotal − discount + tax + tip. */
  total: number;
  /** Σ payments, amount and tip. */
  paid: number;
  /** Σ completed refunds. */
  refunded: number;
  /** total − (paid − refunded): what is still owed. */
  balance: number;
}

export interface OrderRecord {
  siteId: string;
  orderId: string;
  ticketNumber: number;
  businessDay: string;
  currency: string;
  channel: Channel;
  serverId: string;
  /** The customer as a keyed hash (customer-ref.ts), never the phone or loyalty id itself. */
  customerRef?: string;
  status: OrderStatus;
  lines: OrderLine[];
  nextLineNumber: number;
  discount?: Discount;
  split?: Split;
  payments: Payment[];
  refunds: Refund[];
  totals: Totals;
  voided?: { reason: string; by: string; at: string; from: OrderStatus };
  placedAt: string;
  sentAt?: string;
  closedAt?: string;
  updatedAt: string;
  version: number;
}
