// A site ready to take orders, made through the API the way a manager would: ordering settings, a category and
// a few items with modifiers and recipes. Shared by the menu and orders integration tests.
import { api, uniqueId } from './target';
import { bearer, createSite, createUser, type TestUser } from './identity';

export interface OrderingSite {
  siteId: string;
  manager: TestUser;
  staff: TestUser;
  /** Menu item ids by short name. */
  items: { burger: string; fries: string; lemonade: string };
}

export const idempotencyKey = () => ({ 'idempotency-key': uniqueId('key') });

export async function expectStatus<T extends { status: number; text: string }>(response: Promise<T>, status: number): Promise<T> {
  const res = await response;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res;
}

export async function createItem(site: { siteId: string; manager: TestUser }, categoryId: string, body: Record<string, unknown>): Promise<string> {
  const res = await expectStatus(api('POST', `/sites/${site.siteId}/menu/items`, { body: { categoryId, ...body }, headers: bearer(site.manager) }), 201);
  return res.json.itemId as string;
}

/** A site (Paris, euros unless `where` says otherwise) with its ordering settings and a small menu. */
export async function orderingSite(where = { timeZone: 'Europe/Paris', currency: 'EUR' }, menu: { businessDayStartsAt?: string } = {}): Promise<OrderingSite> {
  const siteId = await createSite(undefined, where);
  const [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
  await expectStatus(
    api('PUT', `/sites/${siteId}/menu/settings`, { body: { ...where, ...menu }, headers: bearer(manager) }),
    200,
  );
  const category = await expectStatus(api('POST', `/sites/${siteId}/menu/categories`, { body: { name: 'Everything' }, headers: bearer(manager) }), 201);
  const categoryId = category.json.categoryId as string;
  const site = { siteId, manager };
  const [burger, fries, lemonade] = await Promise.all([
    createItem(site, categoryId, {
      name: 'Burger',
      price: 1250,
      taxRate: '8.25',
      station: 'kitchen',
      recipe: [{ ingredientId: 'beef-patty', quantity: 1, unit: 'each' }],
      modifiers: [
        { modifierId: 'cheese', name: 'Cheese', priceDelta: 150, recipe: [{ ingredientId: 'cheddar', quantity: 25, unit: 'g' }] },
        { modifierId: 'bacon', name: 'Bacon', priceDelta: 200 },
      ],
    }),
    createItem(site, categoryId, { name: 'Fries', price: 450, taxRate: '8.25', station: 'kitchen', recipe: [{ ingredientId: 'potato', quantity: 0.2, unit: 'kg' }] }),
    createItem(site, categoryId, {
      name: 'Lemonade',
      price: 399,
      taxRate: '6',
      station: 'bar',
      modifiers: [
        { modifierId: 'small', name: 'Small', priceDelta: -50, group: 'size' },
        { modifierId: 'large', name: 'Large', priceDelta: 100, group: 'size' },
      ],
    }),
  ]);
  return { siteId, manager, staff, items: { burger, fries, lemonade } };
}

export function placeOrder(site: { siteId: string }, user: TestUser, lines: unknown[], channel: unknown = { type: 'takeaway' }) {
  return api('POST', `/sites/${site.siteId}/orders`, { body: { channel, lines }, headers: { ...bearer(user), ...idempotencyKey() } });
}
