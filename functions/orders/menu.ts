// Menu use cases: ordering settings, categories, items and 86'ing.
import { randomUUID } from 'node:crypto';
import { retryOnConflict, VersionConflictError } from '#shared/dynamodb';
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors';
import { answerBudget } from '#shared/pages';
import { store } from './config';
import { buildEvents, menuSettingsEvent } from './events';
import { applyStockSignal, changeAvailability, isAvailable, itemChangeEvents, type StockSignal } from './menu-rules';
import type {
  AvailabilityInput,
  CategoryInput,
  CategoryRecord,
  ItemInput,
  ItemUpdate,
  MenuItemRecord,
  MenuPageQuery,
  MenuSettingsInput,
  MenuSettingsRecord,
} from './schemas';
import { MAX_CATEGORIES_PER_SITE, MENU_PAGE_BYTES } from './schemas';

/** An absolute change (86 / restore) is retried on a version conflict: it does not depend on what was read. */
const AVAILABILITY_ATTEMPTS = 5;

// stockVersion is this domain's bookkeeping of inventory's messages, not part of the item a client sees.
export const publicItem = ({ stockVersion: _stock, ...item }: MenuItemRecord) => ({ ...item, available: isAvailable(item) });
const publicSettings = ({ siteId: _site, ...settings }: MenuSettingsRecord) => settings;

function assertVersion(current: { version: number }, expected: number | undefined, what: string): void {
  if (expected !== undefined && expected !== current.version) throw new VersionConflictError(what, { version: current.version });
}

/**
 * The site's time zone and currency live here, written by a manager when the site starts taking orders: this
 * domain never reads the users table where sites are kept. Prices are in this currency, so it cannot change
 * once the menu has items.
 */
export async function putSettings(siteId: string, input: MenuSettingsInput, correlationId: string) {
  const [current, hasItems] = await Promise.all([store.getSettings(siteId), store.hasMenuItems(siteId)]);
  if (current && current.currency !== input.currency && hasItems) {
    throw new ConflictError('The currency cannot change once the menu has items: their prices are in it', { currency: current.currency });
  }
  const at = new Date();
  const settings: MenuSettingsRecord = { siteId, ...input, updatedAt: at.toISOString(), version: (current?.version ?? 0) + 1 };
  await store.putSettings(settings, current?.version, [menuSettingsEvent(settings, { correlationId })]);
  return publicSettings(settings);
}

/**
 * The menu in one answer, or in pages when its items pass MENU_PAGE_BYTES (or the caller's `limit`): Lambda answers
 * at most 6 MB, and some 180 of the largest items a request creates would pass it. Every page carries the settings and the
 * categories (at most 200); `nextCursor` asks for the next items. Items are in name order within a page.
 */
export async function getMenu(siteId: string, page: MenuPageQuery = {}) {
  const fits = answerBudget({ limit: page.limit, bytes: MENU_PAGE_BYTES, shown: publicItem });
  const [settings, categories, items] = await Promise.all([
    store.getSettings(siteId),
    store.listCategories(siteId),
    store.menuItemsPage(siteId, page.cursor, fits),
  ]);
  const byPosition = (a: CategoryRecord, b: CategoryRecord) => a.position - b.position || a.name.localeCompare(b.name);
  return {
    settings: settings ? publicSettings(settings) : null,
    categories: categories.sort(byPosition),
    items: items.items.sort((a, b) => a.name.localeCompare(b.name)).map(publicItem),
    ...(items.nextCursor && { nextCursor: items.nextCursor }),
  };
}

// Counted before each create (MAX_CATEGORIES_PER_SITE, schemas.ts), so two created at once at the limit may each
// pass it by one: far below what the names item can hold.
export async function createCategory(siteId: string, input: CategoryInput) {
  if ((await store.countCategories(siteId)) >= MAX_CATEGORIES_PER_SITE) {
    throw new UnprocessableError(`A menu holds at most ${MAX_CATEGORIES_PER_SITE} categories: rename one you no longer use`, { max: MAX_CATEGORIES_PER_SITE });
  }
  const now = new Date().toISOString();
  const category: CategoryRecord = { siteId, categoryId: randomUUID(), ...input, createdAt: now, updatedAt: now, version: 1 };
  await store.putCategory(category, undefined);
  return category;
}

export async function updateCategory(siteId: string, categoryId: string, update: Partial<CategoryInput> & { expectedVersion?: number }) {
  const category = await store.getCategory(siteId, categoryId);
  if (!category) throw new NotFoundError('Category not found');
  const { expectedVersion, ...fields } = update;
  assertVersion(category, expectedVersion, 'category');
  const next: CategoryRecord = { ...category, ...fields, updatedAt: new Date().toISOString(), version: category.version + 1 };
  await store.putCategory(next, category.version);
  return next;
}

async function existingItem(siteId: string, itemId: string): Promise<MenuItemRecord> {
  const item = await store.getItem(siteId, itemId);
  if (!item) throw new NotFoundError('Menu item not found');
  return item;
}

export async function getItem(siteId: string, itemId: string) {
  return publicItem(await existingItem(siteId, itemId));
}

// Creating and changing an item publish menu.item-changed (its recipes, for inventory) in the item's transaction.
export async function createItem(siteId: string, input: ItemInput, correlationId: string) {
  if (!(await store.getSettings(siteId))) {
    throw new ConflictError('Set the menu settings (time zone, currency) of this site before adding items');
  }
  const at = new Date();
  const now = at.toISOString();
  const item: MenuItemRecord = { siteId, itemId: randomUUID(), ...input, eightySixed: false, createdAt: now, updatedAt: now, version: 1 };
  await store.putItem(item, undefined, buildEvents(itemChangeEvents(undefined, item), { siteId, correlationId, at }));
  return publicItem(item);
}

export async function updateItem(siteId: string, itemId: string, update: ItemUpdate, correlationId: string) {
  const item = await existingItem(siteId, itemId);
  const { expectedVersion, ...fields } = update;
  assertVersion(item, expectedVersion, 'item');
  const at = new Date();
  const next: MenuItemRecord = { ...item, ...fields, updatedAt: at.toISOString(), version: item.version + 1 };
  await store.putItem(next, item.version, buildEvents(itemChangeEvents(item, next), { siteId, correlationId, at }));
  return publicItem(next);
}

// Orders counting the item down bump its version; the manual change simply applies to the newer one.
export function setAvailability(siteId: string, itemId: string, input: AvailabilityInput, correlationId: string) {
  return retryOnConflict(
    async () => {
      const item = await existingItem(siteId, itemId);
      const at = new Date();
      const change = changeAvailability(item, input, at.toISOString());
      if (!change) return publicItem(item);
      await store.putItem(change.next, item.version, buildEvents(change.events, { siteId, correlationId, at }));
      return publicItem(change.next);
    },
    { attempts: AVAILABILITY_ATTEMPTS },
  );
}

/**
 * Inventory's word on an item (apply-stock-availability.ts): applied if newer than the last applied, with the 86 or
 * restore event in the same transaction. Undefined when the item is not on this site's menu (nothing to apply);
 * otherwise whether the word was new. Retried on a version conflict like a manual change: it is absolute.
 */
export function applyStockAvailability(siteId: string, itemId: string, signal: StockSignal, correlationId: string) {
  return retryOnConflict(
    async () => {
      const item = await store.getItem(siteId, itemId);
      if (!item) return undefined;
      const at = new Date();
      const change = applyStockSignal(item, signal, at.toISOString());
      if (!change) return { applied: false, item: publicItem(item) };
      await store.putItem(change.next, item.version, buildEvents(change.events, { siteId, correlationId, at }));
      return { applied: true, item: publicItem(change.next) };
    },
    { attempts: AVAILABILITY_ATTEMPTS },
  );
}
