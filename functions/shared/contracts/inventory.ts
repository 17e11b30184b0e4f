// What the inventory domain publishes: on the events topic, menu items stock can no longer make (orders consumes
// them to 86 the item with reason `out-of-stock`, and to restore it), every ledger movement (analytics: waste with
// its cost, depletion), purchase orders as they go out and come in, and food-safety holds; on the alerts topic, low stock (severity
// warning, for the notifications path) once per episode, and its end.
//
// Quantities are decimals of the item's base unit (g, ml or each) with at most three decimals, exact: inventory
// keeps them as integer thousandths. Money is integer minor units; an average cost is minor units per 1 000 base
// units (per kg, per litre, per 1 000 each). Ids are deterministic per fact, so a retried decision publishes the
// same id: `low-stock:{itemId}:{episode}`, `stock-restored:{itemId}:{episode}`, `availability:{menuItemId}:v{version}`,
// `movement:{movementId}`, `purchase-order:{purchaseOrderId}:v{version}`, `stock-held:{holdId}`. Deduplicate by
// `id`; for a menu item's availability keep the highest `version`.
import * as z from 'zod';
import { dateSchema, moneySchema, signedMoneySchema, utcInstantSchema, versionSchema } from './values';

const MAX_QUANTITY = 10_000_000_000;

export const baseUnitSchema = z.enum(['g', 'ml', 'each']).describe('the base unit the item is kept in');

/** A quantity of an item in its base unit; negative where stock was sold below zero. */
const signedQuantity = (meaning: string) => z.number().min(-MAX_QUANTITY).max(MAX_QUANTITY).describe(`${meaning}, in \`unit\` (at most 3 decimals)`);
const quantity = (meaning: string) => z.number().min(0).max(MAX_QUANTITY).describe(`${meaning}, in \`unit\` (at most 3 decimals)`);

const item = {
  itemId: z.string().min(1).describe('the stock item (the `ingredientId` of recipes)'),
  itemName: z.string().min(1).describe('its name'),
  unit: baseUnitSchema,
};

const menuItem = {
  menuItemId: z.string().min(1).describe('the menu item (orders\' `itemId`)'),
  name: z.string().describe('its name'),
  version: versionSchema.describe('its availability version at inventory: apply only a newer one'),
};

const poLineSchema = z
  .strictObject({
    lineId: z.string().min(1).describe('the line (L1, L2…)'),
    itemId: item.itemId,
    packUnit: z.string().min(1).describe('what it is ordered in (case, bag, bottle, kg)'),
    packSize: quantity('base units in one pack').positive(),
    packs: z.number().int().min(1).describe('packs ordered'),
    packPrice: moneySchema.describe('price per pack'),
    receivedPacks: z.number().int().min(0).describe('packs received so far'),
  })
  .describe('a purchase order line');

const purchaseOrder = {
  purchaseOrderId: z.string().min(1).describe('the purchase order'),
  supplierId: z.string().min(1).describe('the supplier'),
  supplierName: z.string().min(1).describe('its name'),
  lines: z.array(poLineSchema).min(1).describe('the lines'),
  total: moneySchema.describe('value ordered: Σ packs × pack price'),
  version: versionSchema.describe('purchase order version after the change'),
};

export const inventoryContract = {
  source: 'inventory',
  topic: 'events',
  events: {
    'inventory.item-unavailable': {
      description:
        'Stock can no longer make one portion of a menu item (an ingredient below its recipe quantity): orders 86es it with reason `out-of-stock`. Id `availability:{menuItemId}:v{version}`.',
      data: z.strictObject({
        ...menuItem,
        reason: z.literal('out-of-stock').describe('why it is off'),
        short: z
          .array(
            z.strictObject({
              ingredientId: item.itemId,
              unit: item.unit,
              perPortion: quantity('what one portion needs').positive(),
              onHand: signedQuantity('sellable stock on hand'),
            }),
          )
          .min(1)
          .describe('the ingredients that are short'),
      }),
    },
    'inventory.item-available': {
      description:
        'A menu item inventory took off can be made again (after a receipt, a count or a return): orders restores it if it is still off for `out-of-stock`. Id `availability:{menuItemId}:v{version}`.',
      data: z.strictObject({ ...menuItem }),
    },
    'inventory.movement-recorded': {
      description:
        'One movement of the stock ledger (receive, count, waste, transfer, sale, sale-return, adjustment), with its value at the average cost: waste by reason and its cost, depletion by order. Id `movement:{movementId}`.',
      data: z.strictObject({
        movementId: z.string().min(1).describe('the movement'),
        kind: z.enum(['receive', 'count', 'waste', 'transfer', 'sale', 'sale-return', 'adjustment']).describe('what happened'),
        ...item,
        changes: z
          .array(
            z.strictObject({
              location: z.string().min(1).describe('storage location'),
              before: signedQuantity('on-hand before'),
              after: signedQuantity('on-hand after'),
            }),
          )
          .min(1)
          .max(2)
          .describe('on-hand per location changed (a transfer changes two)'),
        value: moneySchema.describe("what a receipt cost, otherwise the quantity moved at the item's average cost"),
        averageCost: moneySchema.describe('average cost after the movement, minor units per 1 000 base units'),
        reason: z.string().optional().describe('waste: spoiled, dropped, expired, comped, quarantined or voided (prepared, then voided); adjustment: the reason given'),
        orderId: z.string().optional().describe('sale, sale-return, voided waste: the order'),
        purchaseOrderId: z.string().optional().describe('receive: the purchase order, if against one'),
        by: z.string().min(1).describe('who recorded it (`orders` for depletion)'),
        at: utcInstantSchema.describe('when'),
      }),
    },
    'inventory.purchase-order-drafted': {
      description: 'An automatic draft for a supplier (fill to par, whole packs, raised to the minimum order value), waiting for a manager to review it.',
      data: z.strictObject({
        ...purchaseOrder,
        belowMinimum: z.boolean().describe('the minimum order value could not be reached by adding packs'),
        minimumOrderValue: moneySchema.describe("the supplier's minimum order value"),
      }),
    },
    'inventory.purchase-order-sent': {
      description: 'An approved purchase order sent to its supplier (POST …/purchase-orders/{purchaseOrderId} `send`): what was ordered and when it should come.',
      data: z.strictObject({
        ...purchaseOrder,
        deliveryDate: dateSchema.describe('the expected delivery date, site-local'),
        sentBy: z.string().min(1).describe('the manager who sent it'),
      }),
    },
    'inventory.purchase-order-received': {
      description: 'Goods received against a purchase order, partly or wholly, or the order closed short: with what the clerk should check.',
      data: z.strictObject({
        ...purchaseOrder,
        status: z.enum(['partially-received', 'received']).describe('after the receipt'),
        receivedCost: moneySchema.describe('cost of this receipt at the invoice prices'),
        priceDifference: signedMoneySchema.describe('invoice minus ordered price, over this receipt'),
        substitutions: z.number().int().min(0).describe('lines delivered as another item'),
        overReceived: z.array(z.string()).describe('lines received beyond what was ordered'),
        receivedBy: z.string().min(1).describe('who received it'),
      }),
    },
  },
} as const;

export const inventoryAlertsContract = {
  source: 'inventory',
  topic: 'alerts',
  events: {
    'inventory.low-stock': {
      description:
        'An item will not last until its next possible delivery (or is at its reorder point): once per low-stock episode, not on every sale. Id `low-stock:{itemId}:{episode}`.',
      data: z.strictObject({
        severity: z.literal('warning').describe('alert severity: always warning'),
        ...item,
        episode: z.number().int().min(1).describe('the episode (1, 2…): one alert each'),
        onHand: signedQuantity('on hand over the site'),
        reorderPoint: quantity('the reorder point'),
        neededUntilDelivery: quantity('what usage needs until the next delivery arrives'),
        runsOutAt: utcInstantSchema.nullable().describe('when it runs out at the usage rate, null without usage'),
        nextDelivery: z
          .strictObject({
            supplierId: z.string().min(1).describe('the supplier'),
            supplierName: z.string().min(1).describe('its name'),
            orderBy: utcInstantSchema.describe('the cut-off the order must be sent before'),
            deliveryDate: dateSchema.describe('the delivery date, site-local'),
          })
          .nullable()
          .describe('the next possible delivery, null when no supplier sells the item'),
      }),
    },
    'inventory.stock-held': {
      description:
        'Food-safety hold: the stock at a storage location must not be used until a manager releases or discards it (a refrigeration unit linked to the location started an excursion, or a manager held it). Auto-86 counts none of it. Id `stock-held:{holdId}`.',
      data: z.strictObject({
        severity: z.literal('warning').describe('alert severity: always warning (the excursion itself is iot’s alert)'),
        holdId: z.string().min(1).describe('the hold (POST …/inventory/holds/{holdId}/release or /discard)'),
        location: z.string().min(1).describe('the storage location held'),
        locationName: z.string().min(1).optional().describe('its name at the site, if set'),
        cause: z.enum(['excursion', 'manual']).describe('an IoT excursion of a linked unit, or a manager'),
        reason: z.string().min(1).describe('why: the excursion in words, or the reason the manager gave'),
        incidentId: z.string().min(1).optional().describe('excursion: the iot incident'),
        deviceId: z.string().min(1).optional().describe('excursion: the unit'),
        items: z
          .array(z.strictObject({ itemId: item.itemId, itemName: item.itemName, unit: item.unit, quantity: quantity('on hand at the location when it was held') }))
          .describe('what was on hand at the location when it was held'),
        value: moneySchema.describe('those quantities at the average cost'),
        heldBy: z.string().min(1).describe('the manager, or `iot` for an excursion'),
        heldAt: utcInstantSchema.describe('when'),
      }),
    },
    'inventory.stock-restored': {
      description: 'A low-stock episode ended: on-hand is back above the reorder point and lasts until the next delivery. Id `stock-restored:{itemId}:{episode}`.',
      data: z.strictObject({
        severity: z.literal('info').describe('alert severity: always info'),
        ...item,
        episode: z.number().int().min(1).describe('the episode that ended'),
        onHand: signedQuantity('on hand over the site'),
        lowSince: utcInstantSchema.describe('when the episode opened'),
      }),
    },
  },
} as const;
