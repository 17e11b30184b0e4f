// Stock item use cases: create, read with its on-hand, list, edit (pars, names, archiving, where sales deplete from)
// on the version read. Units and locations are only ever added: the ledger's rows, offers' packs and orders' lines
// name them, so one that is there stays as it is.
import type * as z from 'zod';
import { NotFoundError, UnprocessableError } from '#shared/errors';
import { itemStore, stockStore } from './config';
import { totalOnHand } from './ledger-rules';
import type { CreateItemInput, ItemRecord, updateItemSchema } from './schemas';
import type { OnHandRow } from './stock-store';
import { assertUnitsConvert, MILLI, toBaseQuantity, UnitConversionError, type UnitDefinition } from './units';

/** An item has at most this many units and locations (the record's limits). */
const MAX_UNITS = 10;
const MAX_LOCATIONS = 10;

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
  const { expectedVersion, par, reorderPoint, addLocations, addUnits, ...fields } = input;
  const item = await loadItem(siteId, itemId);
  const version = expectedVersion ?? item.version;
  const locations = addedLocations(item.locations, addLocations ?? []);
  const units = addedUnits(item, addUnits ?? []);
  if (fields.depleteFrom !== undefined && !locations.includes(fields.depleteFrom)) {
    throw new UnprocessableError(`${fields.depleteFrom} is not a location of the item`, { field: 'depleteFrom' });
  }
  // A par may be given in a unit this edit adds.
  const withUnits = { ...item, units };
  return itemStore.update(
    siteId,
    itemId,
    version,
    {
      ...fields,
      ...(addLocations ? { locations } : {}),
      ...(addUnits ? { units } : {}),
      ...(par ? { par: toBaseQuantity(withUnits, par.quantity, par.unit) } : {}),
      ...(reorderPoint ? { reorderPoint: toBaseQuantity(withUnits, reorderPoint.quantity, reorderPoint.unit) } : {}),
    },
    new Date().toISOString(),
  );
}

/** The locations with `added` after them; one already there is left as it is (a retried edit adds nothing). */
function addedLocations(locations: readonly string[], added: readonly string[]): string[] {
  const next = [...locations, ...added.filter((location) => !locations.includes(location))];
  if (next.length > MAX_LOCATIONS) throw new UnprocessableError(`An item has at most ${MAX_LOCATIONS} locations`, { field: 'addLocations' });
  return next;
}

/** The units with `added` after them: one defined alike is left as it is, one defined otherwise is a 422. */
function addedUnits(item: ItemRecord, added: readonly UnitDefinition[]): UnitDefinition[] {
  const next = [...item.units];
  for (const unit of added) {
    const existing = next.find((u) => u.name === unit.name);
    if (existing && (existing.quantity !== unit.quantity || existing.unit !== unit.unit)) {
      throw new UnprocessableError(`Unit ${unit.name} is already ${existing.quantity} ${existing.unit}: a unit is never redefined`, { field: 'addUnits' });
    }
    if (!existing) next.push(unit);
  }
  if (next.length > MAX_UNITS) throw new UnprocessableError(`An item has at most ${MAX_UNITS} units`, { field: 'addUnits' });
  try {
    assertUnitsConvert({ itemId: item.itemId, baseUnit: item.baseUnit, units: next });
  } catch (error) {
    if (error instanceof UnitConversionError) throw new UnprocessableError(error.message, { field: 'addUnits', unit: error.unit });
    throw error;
  }
  return next;
}
