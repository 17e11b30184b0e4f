// A site with stock items, made through the API the way a kitchen manager would, and the calls the inventory
// tests share: recording movements (each with its own Idempotency-Key), reading on-hand, publishing orders events
// on the real events topic as the orders domain does.
import { randomUUID } from 'node:crypto';
import { publishEvent } from '../../../functions/shared/event-publisher';
import { buildEvent, type EventEnvelope } from '../../../functions/shared/events';
import { sampleData } from '../../unit/fixtures/events';
import { bearer, createSite, createUser, type TestUser } from './identity';
import { expectStatus, idempotencyKey } from './orders';
import { api, eventually, topicArn, uniqueId } from './target';

export interface StockSite {
  siteId: string;
  manager: TestUser;
  staff: TestUser;
}

export async function stockSite(): Promise<StockSite> {
  const siteId = await createSite();
  const [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
  return { siteId, manager, staff };
}

/** Cheddar kept in grams, bought in 2.5 kg blocks: par 3 blocks, reorder point 1 (the purchasing tests' item). */
export const cheeseItem = () => ({
  itemId: uniqueId('cheese'),
  name: 'Aged cheddar',
  category: 'dairy',
  baseUnit: 'g',
  units: [{ name: 'block', quantity: 2.5, unit: 'kg' }],
  locations: ['walk-in'],
  par: { quantity: 3, unit: 'block' },
  reorderPoint: { quantity: 1, unit: 'block' },
});

export const itemsPath = (siteId: string) => `/sites/${siteId}/inventory/items`;
export const itemPath = (siteId: string, itemId: string) => `${itemsPath(siteId)}/${itemId}`;

export async function createStockItem(site: StockSite, body: Record<string, unknown>) {
  return (await expectStatus(api('POST', itemsPath(site.siteId), { body, headers: bearer(site.manager) }), 201)).json;
}

/** A movement POST (receipts, counts, waste, transfers, adjustments) with a fresh Idempotency-Key. */
export function move(site: StockSite, user: TestUser, itemId: string, kind: string, body: Record<string, unknown>, key = idempotencyKey()) {
  return api('POST', `${itemPath(site.siteId, itemId)}/${kind}`, { body, headers: { ...bearer(user), ...key } });
}

/** The item's on-hand per location in its base unit, and their sum. */
export async function onHandOf(site: StockSite, itemId: string): Promise<{ onHand: Record<string, number>; totalOnHand: number }> {
  const res = await expectStatus(api('GET', itemPath(site.siteId, itemId), { headers: bearer(site.manager) }), 200);
  return { onHand: res.json.onHand, totalOnHand: res.json.totalOnHand };
}

/** Waits until the item's total on-hand is `expected` (depletion is asynchronous), failing with the last value. */
export async function waitForTotal(site: StockSite, itemId: string, expected: number, timeoutMs = 30_000): Promise<void> {
  let last: number | undefined;
  await eventually(
    async () => {
      last = (await onHandOf(site, itemId)).totalOnHand;
      return last === expected ? true : undefined;
    },
    timeoutMs,
    `${itemId} on-hand ${expected} (last seen ${String(last)})`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen ${String(last)}`);
  });
}

/** An `order.placed` of one line consuming `consumption`, as the orders domain publishes it (its contract holds). */
export function orderPlaced(siteId: string, consumption: Array<{ ingredientId: string; quantity: number; unit: string }>, orderId = randomUUID()): EventEnvelope {
  const sample = sampleData('order.placed', {}) as { lines: Array<Record<string, unknown>> };
  return buildEvent({
    type: 'order.placed',
    source: 'orders',
    siteId,
    correlationId: randomUUID(),
    data: sampleData('order.placed', { orderId, lines: [{ ...sample.lines[0], lineId: 'L1', consumption }] }),
  });
}

export const publishOrdersEvent = (event: EventEnvelope) => publishEvent(topicArn('events'), event);
