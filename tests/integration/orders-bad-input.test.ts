// Every orders route with a path or query parameter, fed what a client should not send (odd ids, extreme dates,
// odd page sizes, foreign or crafted cursors): each answer is a 4xx with a JSON error, never a 5xx. Business-day
// cursors are bound to the site and day that issued them; a real next page still works.
import { MAX_CATEGORIES_PER_SITE } from '../../functions/orders/schemas';
import { policies } from '../../functions/orders/policies';
import { badQuery, misanswered, ODD_CURSORS, ODD_DATES, ODD_LIMITS, oddIdProbes } from './support/bad-input';
import { bearer, createSite, theOwner, type TestUser } from './support/identity';
import { createItem, expectStatus, idempotencyKey, orderingSite, placeOrder, type OrderingSite } from './support/orders';
import { api } from './support/target';

jest.setTimeout(120_000);

let site: OrderingSite;
let owner: TestUser;
let valid: Record<string, string>;
let businessDay: string;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ordersPath = (siteId = site.siteId) => `/sites/${siteId}/orders`;

beforeAll(async () => {
  [site, owner] = await Promise.all([orderingSite(), theOwner()]);
  const orders = [];
  for (let i = 0; i < 3; i++) orders.push((await expectStatus(placeOrder(site, site.staff, [{ itemId: site.items.fries, quantity: 1 }]), 201)).json);
  const menu = await expectStatus(api('GET', `/sites/${site.siteId}/menu`, { headers: bearer(owner) }), 200);
  businessDay = orders[0].businessDay;
  valid = {
    siteId: site.siteId,
    orderId: orders[0].orderId,
    lineId: orders[0].lines[0].lineId,
    itemId: site.items.fries,
    categoryId: menu.json.categories[0].categoryId,
  };
}, 120_000);

async function firstPageCursor(): Promise<string> {
  const page = await expectStatus(api('GET', `${ordersPath()}?businessDay=${businessDay}&limit=1`, { headers: bearer(owner) }), 200);
  expect(page.json.nextCursor).toEqual(expect.any(String));
  return page.json.nextCursor;
}

it('odd path ids on every route are a 4xx with a JSON error, never a 5xx', async () => {
  const routes = Object.keys(policies).filter((route) => route.includes('{'));
  expect(routes.length).toBeGreaterThanOrEqual(20);
  const probes = routes.flatMap((route) => oddIdProbes(route, valid));
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});

it('extreme or impossible business days are a 400, never a 500', async () => {
  const probes = ODD_DATES.map((day) => badQuery(`businessDay=${day}`, `${ordersPath()}?businessDay=${encodeURIComponent(day)}`));
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
  for (const day of ['2000-01-01', '2199-12-31', '2024-02-29']) {
    const res = await api('GET', `${ordersPath()}?businessDay=${day}`, { headers: bearer(owner) });
    expect({ day, status: res.status }).toEqual({ day, status: 200 });
  }
});

it('huge, negative, fractional and non-numeric page sizes and unknown stations are a 400', async () => {
  const probes = [
    ...ODD_LIMITS.map((limit) => badQuery(`limit=${limit.slice(0, 20)}`, `${ordersPath()}?limit=${limit}`)),
    ...['grill', '', 'KITCHEN'].map((station) => badQuery(`station=${station}`, `/sites/${site.siteId}/open-orders?station=${station}`)),
  ];
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});

describe('business-day cursors', () => {
  it('regression: a crafted cursor of empty key strings is a 400 JSON error (it was a 500 from DynamoDB)', async () => {
    const dayPk = `SITE#${site.siteId}#DAY#${businessDay}`;
    const crafted = [
      { pk: '', sk: '', byDayPk: '', byDaySk: '' },
      { pk: '', sk: '', dayPk: '', daySk: '' },
      { pk: '', sk: '', dayPk, daySk: '' },
      { pk: `SITE#${site.siteId}#ORDER#x`, sk: 'ORDER', dayPk, daySk: '9999#x' },
    ];
    const probes = crafted.map((key) => badQuery(`cursor=${JSON.stringify(key)}`, `${ordersPath()}?businessDay=${businessDay}&cursor=${b64(key)}`));
    expect(await misanswered(probes, bearer(owner))).toEqual([]);
  });

  it('an empty, non-base64, tampered, too long cursor, or one from another day or site is a 400', async () => {
    const cursor = await firstPageCursor();
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const otherSite = await createSite();
    const cases: Array<[string, string]> = [
      ...Object.entries(ODD_CURSORS).map(([what, odd]): [string, string] => [what, `${ordersPath()}?businessDay=${businessDay}&cursor=${odd}`]),
      ['a tampered cursor', `${ordersPath()}?businessDay=${businessDay}&cursor=${b64({ ...decoded, k: { ...decoded.k, daySk: '0#x' } })}`],
      ['a cursor from another business day', `${ordersPath()}?businessDay=2020-01-01&cursor=${cursor}`],
      ['a cursor from another site', `${ordersPath(otherSite)}?businessDay=${businessDay}&cursor=${cursor}`],
    ];
    expect(await misanswered(cases.map(([what, path]) => badQuery(what, path)), bearer(owner))).toEqual([]);
  });

  it('a real next-page cursor still pages through the day, one order at a time', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await expectStatus(
        api('GET', `${ordersPath()}?businessDay=${businessDay}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(owner) }),
        200,
      );
      seen.push(...page.json.orders.map((order: { orderId: string }) => order.orderId));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

it('regression: an order takes lines until it would be too large to record (422); paying it then records the payment (it was a 500 after the charge)', async () => {
  // The longest names, notes and modifiers the schemas take, in a script of 3 bytes a character.
  const wide = (n: number) => '漢'.repeat(n);
  const menu = await expectStatus(api('GET', `/sites/${site.siteId}/menu`, { headers: bearer(owner) }), 200);
  const modifiers = Array.from({ length: 10 }, (_, i) => ({ modifierId: `m${i}`, name: wide(80), priceDelta: 0, group: `${wide(39)}${i}` }));
  const itemId = await createItem({ siteId: site.siteId, manager: site.manager }, menu.json.categories[0].categoryId, {
    name: wide(120),
    price: 100,
    taxRate: '10',
    station: 'kitchen',
    modifiers,
  });
  const line = { itemId, quantity: 1, modifierIds: modifiers.map((m) => m.modifierId), notes: wide(200) };
  const order = await expectStatus(placeOrder(site, site.staff, Array.from({ length: 10 }, () => line)), 201);
  let refused: Awaited<ReturnType<typeof api>> | undefined;
  let added = 0;
  for (; added < 90 && !refused; added++) {
    const res = await api('POST', `${ordersPath()}/${order.json.orderId}/lines`, { body: line, headers: { ...bearer(site.staff), ...idempotencyKey() } });
    if (res.status !== 201) refused = res;
  }
  expect(refused).toMatchObject({ status: 422, json: { error: { message: expect.stringMatching(/too large to record/) } } });
  const before = await expectStatus(api('GET', `${ordersPath()}/${order.json.orderId}`, { headers: bearer(owner) }), 200);
  expect(before.json.lines.length).toBe(10 + added - 1);
  const paid = await api('POST', `${ordersPath()}/${order.json.orderId}/payments`, {
    body: { method: 'cash', amount: before.json.totals.balance },
    headers: { ...bearer(site.staff), ...idempotencyKey() },
  });
  expect(paid.status).toBe(201);
  expect(paid.json.order.totals.balance).toBe(0);
});

it('regression: a menu takes 200 categories, then a 422 (past ~1,500 of the longest names their names item passed 400 KB: a 500, for good)', async () => {
  const fresh = await orderingSite();
  const create = (i: number) => api('POST', `/sites/${fresh.siteId}/menu/categories`, { body: { name: `${i} ${'漢'.repeat(70)}`, position: i % 1000 }, headers: bearer(fresh.manager) });
  const queue = Array.from({ length: MAX_CATEGORIES_PER_SITE - 1 }, (_, i) => i);
  const statuses: number[] = [];
  await Promise.all(Array.from({ length: 4 }, async () => { for (let i = queue.shift(); i !== undefined; i = queue.shift()) statuses.push((await create(i)).status); }));
  expect(statuses.filter((s) => s !== 201)).toEqual([]);
  const refused = await create(MAX_CATEGORIES_PER_SITE);
  expect(refused).toMatchObject({ status: 422, json: { error: { message: `A menu holds at most ${MAX_CATEGORIES_PER_SITE} categories: rename one you no longer use` } } });
  const menu = await expectStatus(api('GET', `/sites/${fresh.siteId}/menu`, { headers: bearer(fresh.manager) }), 200);
  expect(menu.json.categories).toHaveLength(MAX_CATEGORIES_PER_SITE);
});

describe('menu pages', () => {
  const menuPath = (siteId: string, query = '') => `/sites/${siteId}/menu${query}`;
  /** The bytes an answer takes in Lambda's response, where the body is a string of JSON (local-cloud/offline-response-limit.cjs). */
  const lambdaBytes = (text: string) => Buffer.byteLength(JSON.stringify(text));
  const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;

  async function allPages(siteId: string, query: string, user: TestUser) {
    const pages: Array<{ itemIds: string[]; names: string[]; bytes: number; categories: number }> = [];
    let cursor: string | undefined;
    do {
      const res = await expectStatus(api('GET', menuPath(siteId, `?${query}${cursor ? `&cursor=${cursor}` : ''}`), { headers: bearer(user) }), 200);
      const items = res.json.items as Array<{ itemId: string; name: string }>;
      pages.push({ itemIds: items.map((i) => i.itemId), names: items.map((i) => i.name), bytes: lambdaBytes(res.text), categories: res.json.categories.length });
      cursor = res.json.nextCursor;
    } while (cursor && pages.length < 50);
    return pages;
  }

  it('regression: a menu whose items pass Lambda’s 6 MB comes in pages under it, every item once (it was one answer: a 500 on AWS)', async () => {
    const fresh = await orderingSite();
    const menu = await expectStatus(api('GET', menuPath(fresh.siteId), { headers: bearer(fresh.manager) }), 200);
    const categoryId = menu.json.categories[0].categoryId as string;
    // The largest item a 32 KB request creates, in a script of 3 bytes a character.
    const wide = (n: number) => '漢'.repeat(n);
    const recipe = (prefix: string, lines: number) => Array.from({ length: lines }, (_, i) => ({ ingredientId: `${prefix}${i}`.padEnd(64, 'x'), quantity: 999999.999, unit: 'each' }));
    const largest = (n: number) => ({
      categoryId,
      name: `${n} ${wide(110)}`,
      description: wide(500),
      price: 100,
      taxRate: '10',
      station: 'kitchen',
      modifiers: Array.from({ length: 30 }, (_, i) => ({ modifierId: `m${i}`, name: wide(80), priceDelta: 0, group: wide(40), recipe: recipe(`m${i}-`, i < 2 ? 50 : i === 2 ? 12 : 0) })),
    });
    const first = await expectStatus(api('POST', menuPath(fresh.siteId, '/items'), { body: largest(0), headers: bearer(fresh.manager) }), 201);
    const count = Math.ceil((LAMBDA_RESPONSE_LIMIT * 1.1) / lambdaBytes(first.text));
    const queue = Array.from({ length: count - 1 }, (_, i) => i + 1);
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let n = queue.shift(); n !== undefined; n = queue.shift()) statuses.push((await api('POST', menuPath(fresh.siteId, '/items'), { body: largest(n), headers: bearer(fresh.manager) })).status);
      }),
    );
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    const expected = menu.json.items.length + count;

    const pages = await allPages(fresh.siteId, '', fresh.manager);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const page of pages) {
      expect(page.bytes).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
      expect(page.categories).toBe(menu.json.categories.length);
      expect(page.names).toEqual([...page.names].sort((a, b) => a.localeCompare(b)));
    }
    const ids = pages.flatMap((page) => page.itemIds);
    expect(ids).toHaveLength(expected);
    expect(new Set(ids).size).toBe(expected);

    const small = await allPages(fresh.siteId, 'limit=25', fresh.manager);
    expect(small.map((page) => page.itemIds.length)).toEqual([...Array(Math.floor(expected / 25)).fill(25), ...(expected % 25 ? [expected % 25] : [])]);
    expect(new Set(small.flatMap((page) => page.itemIds))).toEqual(new Set(ids));
  });

  it('an ordinary menu is one answer, with no cursor', async () => {
    const res = await expectStatus(api('GET', menuPath(site.siteId), { headers: bearer(owner) }), 200);
    expect(res.json.items.length).toBeGreaterThan(0);
    expect(res.json.nextCursor).toBeUndefined();
  });

  it('odd page sizes, odd cursors and a cursor of another site’s menu are a 400', async () => {
    const paged = await expectStatus(api('GET', menuPath(site.siteId, '?limit=1'), { headers: bearer(owner) }), 200);
    expect(paged.json.items).toHaveLength(1);
    const cursor = paged.json.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const otherSite = await createSite();
    const limits = [...ODD_LIMITS.filter((limit) => limit !== '101'), '1001'];
    const probes = [
      ...limits.map((limit) => badQuery(`limit=${limit.slice(0, 20)}`, menuPath(site.siteId, `?limit=${limit}`))),
      ...Object.entries(ODD_CURSORS).map(([what, odd]) => badQuery(what, menuPath(site.siteId, `?cursor=${odd}`))),
      badQuery('a cursor from another site', menuPath(otherSite, `?cursor=${cursor}`)),
      badQuery('an orders cursor', menuPath(site.siteId, `?cursor=${await firstPageCursor()}`)),
    ];
    expect(await misanswered(probes, bearer(owner))).toEqual([]);
  });
});
