import * as z from 'zod';
import { baseUnitSchema as contractBaseUnitSchema, inventoryContract } from '../../functions/shared/contracts/inventory';
import { MOVEMENT_KINDS, WASTE_REASONS } from '../../functions/inventory/ledger-rules';
import { BASE_UNITS } from '../../functions/inventory/units';
import {
  adjustmentSchema,
  countSchema,
  createItemSchema,
  editPurchaseOrderSchema,
  purchaseOrderActionSchema,
  receiptSchema,
  receiveSchema,
  supplierItemSchema,
  supplierSchema,
  transferSchema,
  updateItemSchema,
  wasteSchema,
} from '../../functions/inventory/schemas';
import { inventoryKeys, indexKeys, stockPrefixes } from '../../functions/inventory/table';
import { flourFields } from './fixtures/inventory-items';

const issues = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

const flour = {
  itemId: 'flour',
  ...flourFields,
  locations: ['dry-store'],
  par: { quantity: 4, unit: 'case' },
  reorderPoint: { quantity: 6, unit: 'kg' },
  shelfLifeDays: 180,
};

describe('items', () => {
  it('takes an item with its units, locations, par and reorder point in any unit it converts', () => {
    expect(createItemSchema.parse(flour)).toEqual({ ...flour, kind: 'ingredient' });
  });

  it('refuses units that do not convert, at the field that uses them (400 before the 422 of the rules)', () => {
    expect(issues(createItemSchema, { ...flour, par: { quantity: 3, unit: 'each' } })).toEqual([expect.stringMatching(/^par: each does not convert for item flour/)]);
    expect(issues(createItemSchema, { ...flour, units: [{ name: 'sack', quantity: 25, unit: 'lb' }] })).toEqual([expect.stringMatching(/^units: lb does not convert/)]);
    expect(issues(createItemSchema, { ...flour, units: [{ name: 'a', quantity: 1, unit: 'b' }, { name: 'b', quantity: 1, unit: 'a' }] })).toHaveLength(1);
  });

  it.each([
    ['a quantity with 4 decimals', { par: { quantity: 1.0001, unit: 'kg' } }],
    ['an absurd quantity', { par: { quantity: 1e12, unit: 'kg' } }],
    ['a negative quantity', { reorderPoint: { quantity: -1, unit: 'kg' } }],
    ['an unknown base unit', { baseUnit: 'oz' }],
    ['no location', { locations: [] }],
    ['a location twice', { locations: ['a', 'a'] }],
    ['a depletion location it does not have', { depleteFrom: 'bar' }],
    ['an odd id', { itemId: 'flour/../x' }],
    ['a shelf life of ten years and more', { shelfLifeDays: 3651 }],
    ['too many units', { units: Array.from({ length: 11 }, (_, i) => ({ name: `u${i}`, quantity: 1, unit: 'g' })) }],
    ['an unknown field', { colour: 'white' }],
  ])('refuses %s', (_, change) => {
    expect(issues(createItemSchema, { ...flour, ...change })).not.toEqual([]);
  });

  it('an update changes something', () => {
    expect(issues(updateItemSchema, {})).toEqual([': nothing to update']);
    expect(issues(updateItemSchema, { expectedVersion: 3 })).toEqual([': nothing to update']);
    expect(updateItemSchema.parse({ archived: true, expectedVersion: 3 })).toEqual({ archived: true, expectedVersion: 3 });
  });
});

describe('suppliers', () => {
  const supplier = {
    supplierId: 'green-valley',
    name: 'Green Valley Produce',
    contact: { email: 'orders@greenvalley.example', phone: '+33 1 23 45 67 89' },
    leadTimeDays: 1,
    deliveryWeekdays: ['mon', 'wed', 'fri'],
    orderCutOff: '14:00',
    minimumOrderValue: 5000,
  };

  it('takes a supplier, with a default delivery time', () => {
    expect(supplierSchema.parse(supplier)).toEqual({ ...supplier, deliveryTime: '10:00' });
  });

  it.each([
    ['a cut-off that is not HH:MM', { orderCutOff: '2pm' }],
    ['a cut-off of 24:00', { orderCutOff: '24:00' }],
    ['no delivery day', { deliveryWeekdays: [] }],
    ['a weekday twice', { deliveryWeekdays: ['mon', 'mon'] }],
    ['an unknown weekday', { deliveryWeekdays: ['monday'] }],
    ['a lead time of months', { leadTimeDays: 61 }],
    ['a fractional minimum', { minimumOrderValue: 50.5 }],
    ['a bad email', { contact: { email: 'orders' } }],
  ])('refuses %s', (_, change) => {
    expect(issues(supplierSchema, { ...supplier, ...change })).not.toEqual([]);
  });

  it('a supplier item has a pack and a whole price', () => {
    expect(issues(supplierItemSchema, { itemId: 'flour', packUnit: 'case', packPrice: 1140 })).toEqual([]);
    expect(issues(supplierItemSchema, { itemId: 'flour', packUnit: 'case', packPrice: 11.4 })).toHaveLength(1);
    expect(issues(supplierItemSchema, { itemId: 'flour', packUnit: 'Case!', packPrice: 1140 })).toHaveLength(1);
  });
});

describe('movement bodies', () => {
  it('take quantities in a unit, bounded, and whole prices', () => {
    expect(issues(receiveSchema, { location: 'dry-store', quantity: 2, unit: 'case', unitCost: 1140 })).toEqual([]);
    expect(issues(receiveSchema, { location: 'dry-store', quantity: 0, unit: 'case', unitCost: 1140 })).toHaveLength(1);
    expect(issues(receiveSchema, { location: 'dry-store', quantity: 2, unit: 'case', unitCost: 1e12 })).toHaveLength(1);
    expect(issues(countSchema, { location: 'dry-store', counted: [{ quantity: 3, unit: 'case' }, { quantity: 2.5, unit: 'kg' }] })).toEqual([]);
    expect(issues(countSchema, { location: 'dry-store', counted: [] })).toHaveLength(1);
    expect(issues(wasteSchema, { location: 'walk-in', quantity: 1, unit: 'l', reason: 'spoiled' })).toEqual([]);
    expect(issues(transferSchema, { from: 'walk-in', to: 'bar', quantity: 1, unit: 'bottle' })).toEqual([]);
    expect(issues(transferSchema, { from: 'bar', to: 'bar', quantity: 1, unit: 'bottle' })).toEqual(['to: must differ from `from`']);
    expect(issues(adjustmentSchema, { location: 'bar', direction: 'remove', quantity: 1, unit: 'bottle', reason: 'broken seal' })).toEqual([]);
  });

  it('a manual waste has a manual reason: `voided` is booked by depletion only', () => {
    expect(issues(wasteSchema, { location: 'walk-in', quantity: 1, unit: 'l', reason: 'voided' })).toHaveLength(1);
  });

  it('purchase order bodies are bounded', () => {
    expect(issues(editPurchaseOrderSchema, { lines: [{ itemId: 'flour', packs: 3 }] })).toEqual([]);
    expect(issues(editPurchaseOrderSchema, { lines: [{ itemId: 'flour', packs: 3 }, { itemId: 'flour', packs: 1 }] })).toHaveLength(1);
    expect(issues(editPurchaseOrderSchema, { lines: [{ itemId: 'flour', packs: 10_001 }] })).toHaveLength(1);
    expect(issues(purchaseOrderActionSchema, { action: 'approve' })).toEqual([]);
    expect(issues(purchaseOrderActionSchema, { action: 'receive' })).toHaveLength(1);
    expect(issues(receiptSchema, { lines: [{ lineId: 'L1', packs: 2, packPrice: 1180, location: 'dry-store' }] })).toEqual([]);
    expect(issues(receiptSchema, { lines: [{ lineId: 'L1', packs: 0, packPrice: 1180, location: 'dry-store' }] })).toHaveLength(1);
    expect(issues(receiptSchema, { lines: [] })).toHaveLength(1);
  });
});

describe('the domain and its contract agree', () => {
  // Contracts import no domain, so what both keep is compared here.
  it('on movement kinds, base units and waste reasons', () => {
    const data = inventoryContract.events['inventory.movement-recorded'].data;
    expect(data.shape.kind.options).toEqual([...MOVEMENT_KINDS]);
    expect(contractBaseUnitSchema.options).toEqual([...BASE_UNITS]);
    for (const reason of WASTE_REASONS) expect(data.shape.reason.description).toContain(reason);
  });
});

describe('table keys', () => {
  it('never collide across aggregates', () => {
    const keys = [
      inventoryKeys.item('s', 'i'),
      inventoryKeys.onHand('s', 'i', 'l'),
      inventoryKeys.episode('s', 'i'),
      inventoryKeys.movement('s', 'i', '2026-11-25T19:30:00.000Z', 'm'),
      inventoryKeys.supplier('s', 'p'),
      inventoryKeys.offer('s', 'p', 'i'),
      inventoryKeys.price('s', 'p', 'i', '2026-11-25T19:30:00.000Z'),
      inventoryKeys.purchaseOrder('s', 'o'),
      inventoryKeys.depletion('s', 'o'),
      inventoryKeys.recipe('s', 'i'),
      inventoryKeys.unknownIngredient('s', 'i'),
      inventoryKeys.missingRecipe('s', 'i'),
      inventoryKeys.unconvertibleUnit('s', 'i', 'each'),
    ].map((k) => `${k.pk}|${k.sk}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(indexKeys.day('s', '2026-11-25', 't', 'm')).toEqual({ dayPk: 'SITE#s#DAY#2026-11-25', daySk: 't#m' });
  });

  it('keep a site apart from another whose id starts the same', () => {
    expect(inventoryKeys.item('bistro', 'x').pk).not.toBe(inventoryKeys.item('bistro-2', 'x').pk);
    // An item's on-hand rows are read by prefix: another item whose id starts the same is not among them.
    expect(inventoryKeys.onHand('s', 'flour-2', 'dry').sk.startsWith(stockPrefixes.onHand('flour'))).toBe(false);
  });
});
