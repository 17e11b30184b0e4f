// The menu through the API: who may change it, what it validates, and 86'ing (by hand and by countdown).
import { api } from './support/target';
import { bearer, createSite, createUser, type TestUser } from './support/identity';
import { createItem, expectStatus, orderingSite, placeOrder, type OrderingSite } from './support/orders';

let site: OrderingSite;
let outsider: TestUser;

beforeAll(async () => {
  site = await orderingSite();
  outsider = await createUser('staff', [await createSite()]);
}, 120_000);

const menuPath = () => `/sites/${site.siteId}/menu`;
const itemPath = (itemId: string) => `/sites/${site.siteId}/menu/items/${itemId}`;
const setAvailability = (itemId: string, body: object, user: TestUser = site.staff) =>
  api('PUT', `${itemPath(itemId)}/availability`, { body, headers: bearer(user) });

describe('the menu', () => {
  it('lists settings, categories and items with their availability to staff of the site', async () => {
    const res = await expectStatus(api('GET', menuPath(), { headers: bearer(site.staff) }), 200);
    expect(res.json.settings).toMatchObject({ timeZone: 'Europe/Paris', currency: 'EUR', businessDayStartsAt: '04:00' });
    expect(res.json.categories).toHaveLength(1);
    expect(res.json.items.map((i: { name: string; available: boolean }) => [i.name, i.available])).toEqual([
      ['Burger', true],
      ['Fries', true],
      ['Lemonade', true],
    ]);
  });

  it('is closed to another site’s staff (403)', async () => {
    expect((await api('GET', menuPath(), { headers: bearer(outsider) })).status).toBe(403);
    expect((await api('GET', itemPath(site.items.fries), { headers: bearer(outsider) })).status).toBe(403);
  });

  it('is changed by managers only: staff get 403 on items, categories and settings', async () => {
    const item = { categoryId: 'x', name: 'Nope', price: 100, taxRate: '10', station: 'kitchen' };
    expect((await api('POST', `${menuPath()}/items`, { body: item, headers: bearer(site.staff) })).status).toBe(403);
    expect((await api('PATCH', itemPath(site.items.fries), { body: { price: 1 }, headers: bearer(site.staff) })).status).toBe(403);
    expect((await api('POST', `${menuPath()}/categories`, { body: { name: 'Nope' }, headers: bearer(site.staff) })).status).toBe(403);
    const settings = { timeZone: 'UTC', currency: 'EUR' };
    expect((await api('PUT', `${menuPath()}/settings`, { body: settings, headers: bearer(site.staff) })).status).toBe(403);
  });

  it('validates strictly: unknown fields, float prices, float tax rates → 400; unknown category → 422', async () => {
    const base = { categoryId: 'none', name: 'Tart', price: 700, taxRate: '10', station: 'kitchen' };
    for (const body of [{ ...base, secret: 1 }, { ...base, price: 7.5 }, { ...base, taxRate: 10 }, { ...base, taxRate: '8.12345' }, { ...base, station: 'grill' }]) {
      const res = await api('POST', `${menuPath()}/items`, { body, headers: bearer(site.manager) });
      expect({ body, status: res.status, code: res.json?.error?.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
    const orphan = await api('POST', `${menuPath()}/items`, { body: base, headers: bearer(site.manager) });
    expect(orphan.status).toBe(422);
  });

  it('keeps the currency once items are priced in it (409)', async () => {
    const res = await api('PUT', `${menuPath()}/settings`, { body: { timeZone: 'Europe/Paris', currency: 'USD' }, headers: bearer(site.manager) });
    expect(res.status).toBe(409);
  });

  it('updates an item with optimistic locking: a stale expectedVersion is 409', async () => {
    const current = await expectStatus(api('GET', itemPath(site.items.fries), { headers: bearer(site.manager) }), 200);
    const updated = await expectStatus(
      api('PATCH', itemPath(site.items.fries), { body: { description: 'Hand cut', expectedVersion: current.json.version }, headers: bearer(site.manager) }),
      200,
    );
    expect(updated.json).toMatchObject({ description: 'Hand cut', version: current.json.version + 1, price: 450 });
    const stale = await api('PATCH', itemPath(site.items.fries), { body: { price: 1, expectedVersion: current.json.version }, headers: bearer(site.manager) });
    expect(stale.status).toBe(409);
    expect((await api('GET', itemPath(site.items.fries), { headers: bearer(site.manager) })).json.price).toBe(450);
  });

  it('answers 404 for an unknown item or category', async () => {
    expect((await api('GET', itemPath('no-such-item'), { headers: bearer(site.staff) })).status).toBe(404);
    expect((await api('PATCH', `${menuPath()}/categories/no-such-category`, { body: { name: 'X' }, headers: bearer(site.manager) })).status).toBe(404);
  });
});

describe("86'ing", () => {
  it("staff 86 an item; ordering it is a 409 with the reason; restored, it sells again", async () => {
    const off = await expectStatus(setAvailability(site.items.lemonade, { available: false }), 200);
    expect(off.json).toMatchObject({ available: false, eightySixed: true, eightySixedReason: 'manual' });
    const refused = await placeOrder(site, site.staff, [{ itemId: site.items.lemonade, quantity: 1 }]);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'CONFLICT', message: "Lemonade is 86'd (out of stock)", details: { itemId: site.items.lemonade, reason: '86d' } });
    // One 86'd line refuses the whole order, and nothing of it is kept.
    const mixed = await placeOrder(site, site.staff, [{ itemId: site.items.fries, quantity: 1 }, { itemId: site.items.lemonade, quantity: 1 }]);
    expect(mixed.status).toBe(409);
    await expectStatus(setAvailability(site.items.lemonade, { available: true }), 200);
    await expectStatus(placeOrder(site, site.staff, [{ itemId: site.items.lemonade, quantity: 1 }]), 201);
  });

  it('refuses a countdown on an 86 and a countdown of zero (400)', async () => {
    expect((await setAvailability(site.items.fries, { available: false, remaining: 3 })).status).toBe(400);
    expect((await setAvailability(site.items.fries, { available: true, remaining: 0 })).status).toBe(400);
  });

  it('the countdown 86’s the item at exactly zero under concurrent orders: 5 left, 12 orders of 1 → 5 sold', async () => {
    const soup = await createItem(site, (await api('GET', menuPath(), { headers: bearer(site.staff) })).json.categories[0].categoryId, {
      name: 'Soup',
      price: 650,
      taxRate: '10',
      station: 'kitchen',
    });
    await expectStatus(setAvailability(soup, { available: true, remaining: 5 }), 200);

    const results = await Promise.all(Array.from({ length: 12 }, () => placeOrder(site, site.staff, [{ itemId: soup, quantity: 1 }])));

    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(201), ...Array(7).fill(409)]);
    for (const refused of results.filter((r) => r.status === 409)) expect(refused.json.error.details).toMatchObject({ itemId: soup, reason: '86d' });
    const item = await expectStatus(api('GET', itemPath(soup), { headers: bearer(site.staff) }), 200);
    expect(item.json).toMatchObject({ remaining: 0, eightySixed: true, eightySixedReason: 'sold-out', available: false });

    const restocked = await expectStatus(setAvailability(soup, { available: true, remaining: 2 }), 200);
    expect(restocked.json).toMatchObject({ remaining: 2, available: true });
    const tooMany = await placeOrder(site, site.staff, [{ itemId: soup, quantity: 3 }]);
    expect(tooMany.status).toBe(409);
    expect(tooMany.json.error.details).toMatchObject({ reason: 'insufficient', remaining: 2 });
  }, 60_000);
});
