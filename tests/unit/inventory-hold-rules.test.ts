// The food-safety hold, pure parts: hold ids (deterministic per incident and location, sorted by age), which
// locations a unit holds, what a hold lists and what discarding takes after stock moved; held stock not sellable
// for auto-86; the writes that keep one open hold per location; the event against its contract; the subscription.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseEvent } from '../../functions/shared/contracts/index';
import { planAvailability, stockFor } from '../../functions/inventory/availability-plan';
import { stockHeld } from '../../functions/inventory/events';
import { HOLD_EVENTS } from '../../functions/inventory/hold-from-excursions';
import { assertOpen, discardLines, excursionReason, heldQuantities, holdIdFor, HoldClosedError, locationsOfDevice } from '../../functions/inventory/hold-rules';
import type { HoldRecord } from '../../functions/inventory/hold-schemas';
import { HoldStore } from '../../functions/inventory/hold-store';
import type { RecipeRecord } from '../../functions/inventory/recipe-store';
import { idSchema, type ItemRecord } from '../../functions/inventory/schemas';
import type { OnHandRow } from '../../functions/inventory/stock-store';
import { sampleEvent } from './fixtures/events';

jest.mock('../../functions/inventory/config', () => ({ config: { TABLE_NAME: 'brigade-test-inventory' } }));

const NOW = '2026-11-25T14:15:02.000Z';

describe('hold ids', () => {
  it('are the same for the same incident and location, another for another location or incident', () => {
    const id = holdIdFor('2026-11-25T14:00:00.000Z', 'incident:i-1', 'freezer');
    expect(holdIdFor('2026-11-25T14:00:00.000Z', 'incident:i-1', 'freezer')).toBe(id);
    expect(holdIdFor('2026-11-25T14:00:00.000Z', 'incident:i-1', 'walk-in')).not.toBe(id);
    expect(holdIdFor('2026-11-25T14:00:00.000Z', 'incident:i-2', 'freezer')).not.toBe(id);
  });

  it('are valid path ids that sort by the time the hold began', () => {
    const earlier = holdIdFor('2026-11-25T09:59:59.999Z', 'incident:z', 'freezer');
    const later = holdIdFor('2026-11-25T10:00:00.000Z', 'incident:a', 'freezer');
    expect(earlier).toMatch(/^h20261125095959-[0-9a-f]{12}$/);
    expect(idSchema.safeParse(later).success).toBe(true);
    expect(earlier < later).toBe(true);
  });
});

describe('what a hold takes in', () => {
  it('holds every location the unit is linked to, and no other', () => {
    const links = [
      { location: 'freezer', deviceIds: ['freezer-1', 'freezer-2'] },
      { location: 'walk-in', deviceIds: ['walkin-1'] },
      { location: 'prep', deviceIds: ['freezer-2'] },
    ];
    expect(locationsOfDevice(links, 'freezer-2').map((l) => l.location)).toEqual(['freezer', 'prep']);
    expect(locationsOfDevice(links, 'unknown')).toEqual([]);
  });

  it('lists the items with stock at the location, in item order; empty and oversold rows are not held', () => {
    const rows = [
      { itemId: 'fries', quantity: 12_500_000 },
      { itemId: 'beef', quantity: 48_000 },
      { itemId: 'ice', quantity: 0 },
      { itemId: 'peas', quantity: -2_000 },
    ];
    expect(heldQuantities(rows)).toEqual([
      { itemId: 'beef', quantity: 48_000 },
      { itemId: 'fries', quantity: 12_500_000 },
    ]);
  });

  it('says what the excursion was', () => {
    expect(excursionReason({ deviceName: 'Walk-in freezer', startedAt: '2026-11-25T14:00:00.000Z', peakC: -10, severity: 'critical' })).toBe(
      'Walk-in freezer out of its safe range since 2026-11-25T14:00:00.000Z (peak -10 °C, critical)',
    );
  });
});

describe('discarding after stock moved', () => {
  const held = [
    { itemId: 'beef', quantity: 48_000 },
    { itemId: 'fries', quantity: 12_500_000 },
    { itemId: 'peas', quantity: 3_000 },
    { itemId: 'ice', quantity: 1_000 },
  ];

  it('takes what is there now up to the quantity held: sold stock is not wasted twice, stock received since is not the hold’s', () => {
    const now = new Map([
      ['beef', 40_000], // 8 sold since
      ['fries', 20_000_000], // a delivery put there since
      ['peas', -1_000], // oversold
    ]);
    expect(discardLines(held, now)).toEqual([
      { itemId: 'beef', quantity: 40_000, gone: 8_000 },
      { itemId: 'fries', quantity: 12_500_000, gone: 0 },
      { itemId: 'peas', quantity: 0, gone: 3_000 },
      { itemId: 'ice', quantity: 0, gone: 1_000 },
    ]);
  });

  it('refuses a hold already released or discarded', () => {
    expect(() => assertOpen({ holdId: 'h1', status: 'open' })).not.toThrow();
    expect(() => assertOpen({ holdId: 'h1', status: 'released' })).toThrow(HoldClosedError);
    expect(() => assertOpen({ holdId: 'h1', status: 'discarded' })).toThrow('Hold h1 is already discarded');
  });
});

describe('auto-86 does not count held stock', () => {
  const item = (itemId: string): ItemRecord => ({
    siteId: 'bistro',
    itemId,
    name: itemId,
    category: 'food',
    kind: 'ingredient',
    baseUnit: 'each',
    units: [],
    locations: ['freezer', 'line'],
    depleteFrom: 'freezer',
    par: 0,
    reorderPoint: 0,
    averageCost: 0,
    archived: false,
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
  });
  const row = (itemId: string, location: string, quantity: number): OnHandRow => ({ siteId: 'bistro', itemId, location, quantity, version: 3, updatedAt: NOW });
  const items = new Map([['beef', item('beef')]]);
  const rows = new Map([['beef', new Map([['freezer', row('beef', 'freezer', 40_000)], ['line', row('beef', 'line', 2_000)]])]]);
  const recipe: RecipeRecord = { menuItemId: 'burger', name: 'Burger', recipe: [{ ingredientId: 'beef', quantity: 3, unit: 'each' }], active: true, menuVersion: 1, takenOff: false, availabilityVersion: 0 };

  it('leaves out the on-hand at held locations', () => {
    expect(stockFor({ items, rows }).get('beef')!.onHand).toBe(42_000);
    expect(stockFor({ items, rows, heldLocations: new Set(['freezer']) }).get('beef')!.onHand).toBe(2_000);
  });

  it('takes a dish off when only held stock would make it, and not otherwise', () => {
    expect(planAvailability('t', 'bistro', { recipes: [recipe], items, rows }, NOW, 'c').takenOff).toEqual([]);
    expect(planAvailability('t', 'bistro', { recipes: [recipe], items, rows, heldLocations: new Set(['freezer']) }, NOW, 'c').takenOff).toEqual(['burger']);
  });
});

const hold: HoldRecord = {
  siteId: 'bistro',
  holdId: 'h20261125140000-3b9c0e7d5a21',
  location: 'freezer',
  locationName: 'Walk-in freezer',
  status: 'open',
  cause: 'excursion',
  reason: 'Walk-in freezer out of its safe range',
  incidentId: 'i-1',
  deviceId: 'freezer-1',
  items: [{ itemId: 'beef', itemName: 'Beef patty', unit: 'each', quantity: 48_000 }],
  value: 4_800,
  heldBy: 'iot',
  heldAt: NOW,
  version: 1,
};

describe('the hold’s writes', () => {
  const store = new HoldStore('brigade-test-inventory');

  it('opens a hold only under a new id and only where no hold is open', () => {
    const [put, marker] = store.openWrites(hold);
    expect(put!.Put!.Item).toMatchObject({ pk: 'SITE#bistro#HOLDS', sk: `HOLD#${hold.holdId}`, status: 'open' });
    expect(put!.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(marker!.Put!.Item).toMatchObject({ pk: 'SITE#bistro#HOLDS', sk: 'OPEN#freezer', holdId: hold.holdId });
    expect(marker!.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('closes it on the version read, with its location’s marker, only if the marker names it', () => {
    const writes = store.updateWrites(hold, { ...hold, status: 'released', version: 2 });
    expect(writes[0]!.Put!.ExpressionAttributeValues).toEqual({ ':version': 1 });
    expect(writes[1]!.Delete).toMatchObject({ Key: { pk: 'SITE#bistro#HOLDS', sk: 'OPEN#freezer' }, ConditionExpression: 'holdId = :holdId', ExpressionAttributeValues: { ':holdId': hold.holdId } });
    expect(store.updateWrites(hold, { ...hold, version: 2 })).toHaveLength(1);
  });

  it('announces it with inventory.stock-held, quantities in the base unit, held to its contract', () => {
    const parsed = parseEvent(stockHeld(hold, 'corr-1'), ['inventory.stock-held']);
    if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.event.id).toBe(`stock-held:${hold.holdId}`);
    expect(parsed.event.data.items).toEqual([{ itemId: 'beef', itemName: 'Beef patty', unit: 'each', quantity: 48 }]);
  });
});

describe('the excursions subscription', () => {
  const functions = parse(readFileSync(join(__dirname, '../../functions/inventory/functions.yml'), 'utf8'));
  const sns = functions.holdFromExcursions.events[0].sns;

  it('takes excursion starts only from the alerts topic, by message attribute, with the dead-letter queue', () => {
    expect(sns.arn).toEqual({ Ref: 'AlertsTopic' });
    expect(sns.filterPolicyScope).toBe('MessageAttributes');
    expect(sns.filterPolicy.type).toEqual([...HOLD_EVENTS]);
    expect(sns.redrivePolicy).toEqual({ deadLetterTargetRef: 'InventoryDeadLetterQueue' });
  });

  it('reads the iot contract’s excursion as published', () => {
    expect(parseEvent(sampleEvent('iot.excursion-started'), HOLD_EVENTS).success).toBe(true);
  });
});
