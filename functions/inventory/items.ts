// Stock item use cases: create, read with its on-hand, list, edit (pars, names, archiving) on the version read.
// Units and locations are fixed at creation: the ledger's quantities and on-hand rows are kept in them.
import type * as z from 'zod';
import { NotFoundError } from '#shared/errors';
import { itemStore, stockStore } from './config';
import { totalOnHand } from './ledger-rules';
import type { CreateItemInput, ItemRecord, updateItemSchema } from './schemas';
import type { OnHandRow } from './stock-store';
import { MILLI, toBaseQuantity } from './units';

type UpdateItemInput = z.infer<typeof updateItemSchema>;

export async function loadItem(siteId: string, itemId: string): Promise<ItemRecord> {
  const item = await itemStore.get(siteId, itemId);
  if (!item) throw new NotFoundError('Stock item not found');
  return item;
}

/** On-hand as a response shows it: decimals of the base unit per location, and their sum. */
export function onHandView(rows: Iterable<Pick<OnHandRow, 'location' | 'quantity'>>) {
  const list = [...rows];
  return {
    onHand: Object.fromEntries(list.map((row) => [row.location, row.quantity / MILLI])),
    totalOnHand: totalOnHand({ onHand: Object.fromEntries(list.map((row) => [row.location, row.quantity])) }) / MILLI,
  };
}

/** What a response shows of an item: quantities (par, reorder point) as decimals of the base unit. */
export function publicItem(item: ItemRecord) {
  return { ...item, par: item.par / MILLI, reorderPoint: item.reorderPoint / MILLI };
}

export async function createItem(siteId: string, input: CreateItemInput): Promise<ItemRecord> {
  const now = new Date().toISOString();
  const { par, reorderPoint, depleteFrom, ...fields } = input;
  const units = { itemId: input.itemId, baseUnit: input.baseUnit, units: input.units };
  const item: ItemRecord = {
    siteId,
    ...fields,
    depleteFrom: depleteFrom ?? input.locations[0]!,
    par: par ? toBaseQuantity(units, par.quantity, par.unit) : 0,
    reorderPoint: reorderPoint ? toBaseQuantity(units, reorderPoint.quantity, reorderPoint.unit) : 0,
    averageCost: 0,
    archived: false,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await itemStore.create(item);
  return item;
}

export async function getItem(siteId: string, itemId: string) {
  const [item, rows] = await Promise.all([loadItem(siteId, itemId), stockStore.onHandOf(siteId, itemId)]);
  return { ...publicItem(item), ...onHandView(rows.values()) };
}

export async function listItems(siteId: string, query: { limit: number; cursor?: string }) {
  const page = await itemStore.list(siteId, query.limit, query.cursor);
  return { items: page.items.map(publicItem), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** Without `expectedVersion`, the edit applies to the version read now (last writer wins on the fields it names). */
export async function updateItem(siteId: string, itemId: string, input: UpdateItemInput): Promise<ItemRecord> {
  const { expectedVersion, par, reorderPoint, ...fields } = input;
  const item = await loadItem(siteId, itemId);
  const version = expectedVersion ?? item.version;
  return itemStore.update(
    siteId,
    itemId,
    version,
    {
      ...fields,
      ...(par ? { par: toBaseQuantity(item, par.quantity, par.unit) } : {}),
      ...(reorderPoint ? { reorderPoint: toBaseQuantity(item, reorderPoint.quantity, reorderPoint.unit) } : {}),
    },
    new Date().toISOString(),
  );
}
