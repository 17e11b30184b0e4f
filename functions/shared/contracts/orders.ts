// What the orders domain publishes on the events topic: orders as they change, payments and refunds, menu items
// as a manager creates and changes them (with their recipes: what inventory judges availability by), and menu
// items going off and back on. Order events carry the order `version` after the change (two events of one change
// share it), menu events the item's `version`. Delivery is at least once and unordered: deduplicate by `id`,
// order by `version`.
import * as z from 'zod';
import { currencySchema, dateSchema, moneySchema, quantitySchema, signedMoneySchema, timeZoneSchema, unitSchema, utcInstantSchema, versionSchema } from './values';

export const orderStatusSchema = z.enum(['open', 'sent', 'preparing', 'ready', 'served', 'closed', 'voided']);
export const stationSchema = z.enum(['kitchen', 'bar']);
const paymentMethodSchema = z.enum(['cash', 'card']).describe('how it was paid');
const userId = (meaning: string) => z.string().min(1).describe(meaning);

export const channelSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('dine-in'),
      table: z.string().min(1).max(20).describe('table name or number'),
      covers: z.number().int().min(1).max(50).describe('guests at the table'),
    }),
    z.strictObject({ type: z.literal('takeaway'), customerName: z.string().min(1).max(80).optional().describe('name to call out') }),
    z.strictObject({
      type: z.literal('delivery'),
      customerName: z.string().min(1).max(80).optional().describe('who it is for'),
      address: z.string().min(1).max(300).optional().describe('where it goes'),
    }),
  ])
  .describe('how the order is served');

const totalsSchema = z
  .strictObject({
    subtotal: moneySchema.describe('sum of the line amounts'),
    discount: moneySchema.describe('the order discount'),
    tax: moneySchema.describe('sum of the line taxes, each after its share of the discount'),
    tip: moneySchema.describe('sum of the tips given with payments'),
    total: moneySchema.describe('subtotal - discount + tax + tip'),
    paid: moneySchema.describe('sum of the payments, amount and tip'),
    refunded: moneySchema.describe('sum of the completed refunds'),
    balance: signedMoneySchema.describe('total - (paid - refunded): what is still owed'),
  })
  .describe('the order totals after the change, in minor units');

/** Recipe quantities for a whole line: what inventory depletes. */
const consumptionSchema = z.strictObject({
  ingredientId: z.string().min(1).describe('the ingredient'),
  quantity: quantitySchema.describe('how much of it, in `unit`'),
  unit: unitSchema.describe('unit of `quantity`'),
});

const lineSchema = z
  .strictObject({
    lineId: z.string().min(1).describe('the line, unique in the order (L1, L2…)'),
    itemId: z.string().min(1).describe('the menu item'),
    name: z.string().describe('the item name when ordered'),
    categoryId: z.string().min(1).optional().describe("the item's menu category when ordered; absent on lines ordered before lines carried it"),
    categoryName: z.string().optional().describe("that category's name when ordered; absent with categoryId, or if the category could not be read then"),
    station: stationSchema.describe('where it is prepared'),
    quantity: z.number().int().min(1).describe('portions'),
    modifiers: z
      .array(
        z.strictObject({
          modifierId: z.string().min(1).describe('the modifier'),
          name: z.string().describe('its name when ordered'),
          priceDelta: signedMoneySchema.describe('what it adds to the unit price'),
        }),
      )
      .describe('modifiers chosen'),
    unitPrice: moneySchema.describe('item price plus modifier deltas, per portion'),
    amount: moneySchema.describe('unitPrice × quantity, before discount and tax'),
    taxRate: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,4})?$/)
      .describe('tax rate in percent as a decimal string ("8.875"), never a float'),
    discount: moneySchema.describe("this line's share of the order discount"),
    tax: moneySchema.describe('tax on the amount after the discount share'),
    notes: z.string().optional().describe('notes for the kitchen'),
    status: z.enum(['pending', 'fired', 'done']).describe('kitchen state of the line'),
    consumption: z.array(consumptionSchema).describe('recipe quantities for the whole line (item and modifiers × quantity): what inventory depletes'),
  })
  .describe('an order line');

/** Who set a discount, when and why: the same for both kinds. */
const discountSet = {
  reason: z.string().describe('why'),
  by: userId('the manager who set it'),
  at: utcInstantSchema.describe('when it was set'),
};

const discountSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('amount'), amount: moneySchema.describe('amount off'), ...discountSet }),
    z.strictObject({ type: z.literal('percent'), percentBps: z.number().int().min(0).max(10_000).describe('percent off in basis points (1000 = 10 %)'), ...discountSet }),
  ])
  .describe('the order discount');

const paymentSchema = z
  .strictObject({
    paymentId: z.string().min(1).describe('the payment'),
    method: paymentMethodSchema,
    amount: moneySchema.describe('amount paid, without the tip'),
    tip: moneySchema.describe('tip given with it'),
    processor: z.string().min(1).describe('payment processor (cash for cash)'),
    processorReference: z.string().optional().describe("the processor's reference of the charge"),
    checkId: z.string().optional().describe('the split check it paid, if the bill was split'),
    by: userId('who took it'),
    at: utcInstantSchema.describe('when it was taken'),
  })
  .describe('a payment');

const refundSchema = z
  .strictObject({
    refundId: z.string().min(1).describe('the refund'),
    paymentId: z.string().min(1).describe('the payment refunded'),
    amount: moneySchema.describe('amount given back'),
    reason: z.string().describe('why'),
    processorReference: z.string().optional().describe("the processor's reference of the refund"),
    by: userId('the manager who refunded'),
    at: utcInstantSchema.describe('when'),
  })
  .describe('a completed refund');

const orderRef = {
  orderId: z.string().min(1).describe('the order'),
  ticketNumber: z.number().int().min(1).describe('ticket number, per site and business day'),
  businessDay: dateSchema.describe('the business day the order belongs to (site-local)'),
  version: versionSchema.describe('order version after the change'),
};

/** The whole order: what inventory and analytics need without asking for anything else. */
const orderSnapshotSchema = z.strictObject({
  ...orderRef,
  currency: currencySchema,
  channel: channelSchema,
  serverId: userId('the user who placed it'),
  customerRef: z
    .string()
    .regex(/^(phone|loyalty):[A-Za-z0-9_-]{43}$/)
    .optional()
    .describe(
      "the customer, if one was named: `phone:` or `loyalty:` and the HMAC-SHA-256 (base64url) of the normalised phone number or loyalty id under the stage's secret key. Never the phone or loyalty id itself; the same customer has the same ref on every site of the deployment until the key is rotated",
    ),
  status: orderStatusSchema.describe('order status after the change'),
  lines: z.array(lineSchema).min(1).describe('the lines'),
  discount: discountSchema.nullable().describe('the order discount, null if none'),
  payments: z.array(paymentSchema).describe('payments so far'),
  refunds: z.array(refundSchema).describe('completed refunds so far'),
  totals: totalsSchema,
  placedAt: utcInstantSchema.describe('when the order was placed'),
});

/** One portion's recipe: the ingredients and quantities it takes. */
const recipeSchema = z.array(consumptionSchema).describe('what one portion takes');

const itemRef = {
  itemId: z.string().min(1).describe('the menu item'),
  name: z.string().describe('its name'),
};

export const ordersContract = {
  source: 'orders',
  topic: 'events',
  events: {
    'order.placed': {
      description: 'A new order, priced by the server: the whole order. Published when an order is created (POST /sites/{siteId}/orders).',
      data: orderSnapshotSchema,
    },
    'order.line-added': {
      description: 'A line added to an open order (POST …/orders/{orderId}/lines), with the new totals.',
      data: z.strictObject({ ...orderRef, line: lineSchema, totals: totalsSchema }),
    },
    'order.line-removed': {
      description: 'A line removed from an open order (DELETE …/orders/{orderId}/lines/{lineId}), as it was before removal, with the new totals.',
      data: z.strictObject({ ...orderRef, line: lineSchema, totals: totalsSchema }),
    },
    'order.status-changed': {
      description:
        'One step of the kitchen flow (POST …/orders/{orderId}/status); `closed` also comes from the payment that settles the balance. Notifications tell `serverId` when it is `ready`.',
      data: z.strictObject({
        ...orderRef,
        serverId: userId('the user who placed the order'),
        from: orderStatusSchema.describe('status before'),
        to: orderStatusSchema.describe('status after'),
        changedBy: userId('who changed it'),
        changedAt: utcInstantSchema.describe('when'),
      }),
    },
    'order.voided': {
      description: 'Voided by a manager (POST …/orders/{orderId}/void); the lines say what may have been prepared already.',
      data: z.strictObject({
        ...orderRef,
        from: orderStatusSchema.describe('status before the void'),
        reason: z.string().describe('why'),
        voidedBy: userId('the manager who voided it'),
        serverId: userId('the user who placed the order; absent on voids published before it was carried').optional(),
        lines: z.array(lineSchema).describe('the lines at the void'),
        totals: totalsSchema,
      }),
    },
    'order.discount-applied': {
      description: 'A discount set, replaced or removed (null) by a manager (PUT …/orders/{orderId}/discount).',
      data: z.strictObject({ ...orderRef, discount: discountSchema.nullable().describe('the new discount, null when removed'), totals: totalsSchema }),
    },
    'order.paid': {
      description: 'The balance reached zero (the settling payment): the whole order with lines, recipe quantities, payments and totals.',
      data: orderSnapshotSchema,
    },
    'payment.recorded': {
      description: 'A payment, part or whole, against an order (POST …/orders/{orderId}/payments).',
      data: z.strictObject({ ...orderRef, payment: paymentSchema, totals: totalsSchema }),
    },
    'payment.refunded': {
      description: 'Money given back on a payment by a manager (POST …/orders/{orderId}/refunds), once the processor confirmed it.',
      data: z.strictObject({ ...orderRef, refund: refundSchema, method: paymentMethodSchema, totals: totalsSchema }),
    },
    'menu.settings-changed': {
      description:
        "A site's ordering settings as a manager set them (PUT /sites/{siteId}/menu/settings): its time zone, currency and the local time its business day starts. An order's `businessDay` is its date in `timeZone`, the day before when placed before `businessDayStartsAt`; analytics files shifts, stock movements and incidents by the same rule. Keep the highest `version`.",
      data: z.strictObject({
        timeZone: timeZoneSchema.describe('IANA time zone the business day is reckoned in'),
        currency: currencySchema.describe('the currency menu prices and orders are in'),
        businessDayStartsAt: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
          .describe('local time HH:MM a business day starts; what is earlier belongs to the day before (00:00: the calendar date)'),
        version: versionSchema.describe('settings version after the change'),
      }),
    },
    'menu.item-changed': {
      description:
        'A menu item created or changed by a manager (POST …/menu/items, PATCH …/menu/items/{itemId}, deactivation included), published when its name, `active` or a recipe changed: the recipes of one portion and of each modifier. Keep the highest `version`.',
      data: z.strictObject({
        ...itemRef,
        active: z.boolean().describe('on the menu at all (false: deactivated by a manager)'),
        recipe: recipeSchema.describe('one portion of the item without modifiers'),
        modifiers: z
          .array(
            z.strictObject({
              modifierId: z.string().min(1).describe('the modifier'),
              recipe: recipeSchema.describe('what the modifier adds to one portion (may be empty)'),
            }),
          )
          .describe("the item's modifiers with their recipes"),
        version: versionSchema.describe('item version after the change'),
      }),
    },
    'menu.item-86d': {
      description:
        "An item went off the menu: by hand (PUT …/menu/items/{itemId}/availability), its countdown reached zero with an order, or inventory can no longer make a portion (inventory.item-unavailable).",
      data: z.strictObject({
        ...itemRef,
        reason: z.enum(['manual', 'sold-out', 'out-of-stock']).describe('by hand, the countdown reached zero, or out of stock at inventory'),
        version: versionSchema.describe('item version after the change'),
      }),
    },
    'menu.item-restored': {
      description:
        "An 86'd item is back on the menu (PUT …/menu/items/{itemId}/availability, or inventory.item-available for an item off for `out-of-stock`), with its countdown or none.",
      data: z.strictObject({
        ...itemRef,
        remaining: z.number().int().min(1).nullable().describe('portions left, null when not counted'),
        version: versionSchema.describe('item version after the change'),
      }),
    },
  },
} as const;
