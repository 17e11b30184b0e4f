// Orders through the API: server-side pricing, idempotency, the kitchen flow with optimistic locking, managers'
// powers, split bills, payments and refunds, and the queries.
import { api, uniqueId } from './support/target';
import { bearer, createSite, createUser, theOwner, type TestUser } from './support/identity';
import { expectStatus, idempotencyKey, orderingSite, placeOrder, type OrderingSite } from './support/orders';

let site: OrderingSite;
let outsider: TestUser;

beforeAll(async () => {
  site = await orderingSite();
  outsider = await createUser('staff', [await createSite()]);
}, 120_000);

const ordersPath = () => `/sites/${site.siteId}/orders`;
const orderPath = (orderId: string) => `${ordersPath()}/${orderId}`;
const fries = (quantity = 1) => ({ itemId: site.items.fries, quantity });
const burger = (quantity = 1, modifierIds: string[] = []) => ({ itemId: site.items.burger, quantity, modifierIds });
const outcome = (res: { status: number; json: any }) => ({ status: res.status, code: res.json?.error?.code });

async function newOrder(lines: unknown[] = [fries()], user: TestUser = site.staff): Promise<any> {
  return (await expectStatus(placeOrder(site, user, lines), 201)).json;
}

const setStatus = (orderId: string, status: string, user: TestUser = site.staff, extra: object = {}) =>
  api('POST', `${orderPath(orderId)}/status`, { body: { status, ...extra }, headers: bearer(user) });

async function advance(orderId: string, ...statuses: string[]): Promise<any> {
  let order: any;
  for (const status of statuses) order = (await expectStatus(setStatus(orderId, status), 200)).json;
  return order;
}

const pay = (orderId: string, body: object, user: TestUser = site.staff, headers: Record<string, string> = idempotencyKey()) =>
  api('POST', `${orderPath(orderId)}/payments`, { body, headers: { ...bearer(user), ...headers } });

describe('placing an order', () => {
  it('prices every line on the server: a price anywhere in the body is refused (400)', async () => {
    for (const lines of [[{ ...fries(), price: 1 }], [{ ...fries(), unitPrice: 1 }], [{ ...fries(), amount: 1 }]]) {
      const res = await placeOrder(site, site.staff, lines);
      expect({ lines, ...outcome(res) }).toEqual({ lines, status: 400, code: 'VALIDATION_FAILED' });
    }
    const withTotals = await api('POST', ordersPath(), {
      body: { channel: { type: 'takeaway' }, lines: [fries()], totals: { total: 1 } },
      headers: { ...bearer(site.staff), ...idempotencyKey() },
    });
    expect(outcome(withTotals)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const order = await newOrder([fries(2)]);
    expect(order.lines[0]).toMatchObject({ unitPrice: 450, amount: 900 });
    expect(order.totals).toMatchObject({ subtotal: 900, total: 900 + 74 }); // 74.25 → 74
  });

  it('totals and rounding: modifiers, two tax rates and a 10 % discount, to the cent', async () => {
    const order = await newOrder(
      [burger(2, ['cheese', 'bacon']), fries(3), { itemId: site.items.lemonade, quantity: 1, modifierIds: ['large'] }],
      site.staff,
    );
    expect(order.lines.map((l: any) => [l.unitPrice, l.amount, l.taxRate])).toEqual([
      [1600, 3200, '8.25'],
      [450, 1350, '8.25'],
      [499, 499, '6'],
    ]);
    expect(order.lines[0].consumption).toEqual([
      { ingredientId: 'beef-patty', quantity: 2, unit: 'each' },
      { ingredientId: 'cheddar', quantity: 50, unit: 'g' },
    ]);
    const discounted = await expectStatus(
      api('PUT', `${orderPath(order.orderId)}/discount`, { body: { type: 'percent', percentBps: 1000, reason: 'regulars' }, headers: bearer(site.manager) }),
      200,
    );
    expect(discounted.json.lines.map((l: any) => [l.discount, l.tax])).toEqual([[320, 238], [135, 100], [50, 27]]);
    expect(discounted.json.totals).toEqual({ subtotal: 5049, discount: 505, tax: 365, tip: 0, total: 4909, paid: 0, refunded: 0, balance: 4909 });
  });

  it('needs an Idempotency-Key (400) and a site that takes orders (409)', async () => {
    const res = await api('POST', ordersPath(), { body: { channel: { type: 'takeaway' }, lines: [fries()] }, headers: bearer(site.staff) });
    expect(outcome(res)).toEqual({ status: 400, code: 'BAD_REQUEST' });
    const bare = await createSite();
    const unconfigured = await api('POST', `/sites/${bare}/orders`, {
      body: { channel: { type: 'takeaway' }, lines: [fries()] },
      headers: { ...bearer(await theOwner()), ...idempotencyKey() },
    });
    expect(outcome(unconfigured)).toEqual({ status: 409, code: 'CONFLICT' });
  });

  it('refuses unknown items (422), bad channels and quantities (400)', async () => {
    expect((await placeOrder(site, site.staff, [{ itemId: 'no-such-item', quantity: 1 }])).status).toBe(422);
    expect((await placeOrder(site, site.staff, [{ ...burger(), modifierIds: ['truffle'] }])).status).toBe(422);
    expect((await placeOrder(site, site.staff, [fries(0)])).status).toBe(400);
    expect((await placeOrder(site, site.staff, [fries()], { type: 'dine-in', table: '4' })).status).toBe(400);
    expect((await placeOrder(site, site.staff, [])).status).toBe(400);
  });

  it('50 concurrent replays of one Idempotency-Key → one order and byte-identical responses', async () => {
    const server = await createUser('staff', [site.siteId]);
    const headers = { ...bearer(server), 'idempotency-key': uniqueId('replay') };
    const body = { channel: { type: 'dine-in', table: '9', covers: 4 }, lines: [burger(1, ['cheese']), fries(2)] };

    const responses = await Promise.all(Array.from({ length: 50 }, () => api('POST', ordersPath(), { body, headers })));

    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    const list = await expectStatus(api('GET', `${ordersPath()}?limit=100`, { headers: bearer(site.manager) }), 200);
    expect(list.json.orders.filter((o: any) => o.serverId === server.userId)).toHaveLength(1);
    const different = await api('POST', ordersPath(), { body: { ...body, lines: [fries(3)] }, headers });
    expect(outcome(different)).toEqual({ status: 422, code: 'UNPROCESSABLE' });
  }, 60_000);

  it('gives each order of the business day the next ticket number', async () => {
    const [a, b] = [await newOrder(), await newOrder()];
    expect(b.ticketNumber).toBe(a.ticketNumber + 1);
    expect(a.businessDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(b.businessDay).toBe(a.businessDay);
  });

  it("each line keeps its category's name as it was when ordered: new, renamed, and two created at once", async () => {
    // The names are read with the menu items (the category-names item each category write keeps, store.ts).
    const post = (name: string) => expectStatus(api('POST', `/sites/${site.siteId}/menu/categories`, { body: { name }, headers: bearer(site.manager) }), 201);
    const [grill, bar] = await Promise.all([post('Grill'), post('Bar')]);
    const itemIn = async (category: { json: any }, name: string) =>
      (await expectStatus(api('POST', `/sites/${site.siteId}/menu/items`, { body: { categoryId: category.json.categoryId, name, price: 1000, taxRate: '10', station: 'kitchen' }, headers: bearer(site.manager) }), 201)).json.itemId as string;
    const [steak, spritz] = [await itemIn(grill, 'Rib-eye'), await itemIn(bar, 'Spritz')];
    const names = (order: any) => order.lines.map((line: any) => line.categoryName);
    expect(names(await newOrder([{ itemId: steak, quantity: 1 }, { itemId: spritz, quantity: 1 }]))).toEqual(['Grill', 'Bar']);
    await expectStatus(api('PATCH', `/sites/${site.siteId}/menu/categories/${grill.json.categoryId}`, { body: { name: 'Grill & smoke' }, headers: bearer(site.manager) }), 200);
    expect(names(await newOrder([{ itemId: steak, quantity: 1 }]))).toEqual(['Grill & smoke']);
  });
});

describe('the kitchen flow', () => {
  it('two concurrent status changes on one order: one wins, the other gets 409', async () => {
    for (let round = 0; round < 3; round++) {
      const order = await newOrder();
      const results = await Promise.all([setStatus(order.orderId, 'sent'), setStatus(order.orderId, 'sent')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const now = await expectStatus(api('GET', orderPath(order.orderId), { headers: bearer(site.staff) }), 200);
      expect(now.json).toMatchObject({ status: 'sent', version: 2 });
    }
  });

  it('a stale expectedVersion is 409, never a silent overwrite', async () => {
    const order = await newOrder();
    await advance(order.orderId, 'sent');
    expect(outcome(await setStatus(order.orderId, 'preparing', site.staff, { expectedVersion: 1 }))).toEqual({ status: 409, code: 'CONFLICT' });
    expect((await setStatus(order.orderId, 'preparing', site.staff, { expectedVersion: 2 })).status).toBe(200);
  });

  it('invalid transitions are 409: skipping, repeating, going back', async () => {
    const order = await newOrder();
    expect((await setStatus(order.orderId, 'ready')).status).toBe(409);
    await advance(order.orderId, 'sent');
    expect((await setStatus(order.orderId, 'sent')).status).toBe(409);
    expect((await setStatus(order.orderId, 'closed')).status).toBe(409);
    expect((await setStatus(order.orderId, 'voided')).status).toBe(400); // voiding has its own route
  });

  it('lines change only while open; the kitchen marks them fired and done', async () => {
    const order = await newOrder([burger(), { itemId: site.items.lemonade, quantity: 1 }]);
    const added = await expectStatus(api('POST', `${orderPath(order.orderId)}/lines`, { body: fries(1), headers: bearer(site.staff) }), 201);
    expect(added.json.lines.map((l: any) => l.lineId)).toEqual(['L1', 'L2', 'L3']);
    const removed = await expectStatus(api('DELETE', `${orderPath(order.orderId)}/lines/L3`, { headers: bearer(site.staff) }), 200);
    expect(removed.json.totals.subtotal).toBe(order.totals.subtotal);
    await advance(order.orderId, 'sent');
    expect((await api('POST', `${orderPath(order.orderId)}/lines`, { body: fries(1), headers: bearer(site.staff) })).status).toBe(409);
    const mark = (lineId: string, status: string) => api('POST', `${orderPath(order.orderId)}/lines/${lineId}/status`, { body: { status }, headers: bearer(site.staff) });
    expect((await mark('L1', 'done')).status).toBe(409);
    await expectStatus(mark('L1', 'fired'), 200);
    const done = await expectStatus(mark('L1', 'done'), 200);
    expect(done.json.lines[0]).toMatchObject({ status: 'done', firedAt: expect.any(String), doneAt: expect.any(String) });
    expect((await mark('L7', 'fired')).status).toBe(404);
  });

  it('the kitchen display shows the orders the kitchen has, by station, oldest first, with their age', async () => {
    const first = await newOrder([burger(), { itemId: site.items.lemonade, quantity: 1 }]);
    const second = await newOrder([fries()]);
    const notSent = await newOrder([fries()]);
    await advance(first.orderId, 'sent');
    await advance(second.orderId, 'sent', 'preparing');
    const kitchen = await expectStatus(api('GET', `/sites/${site.siteId}/open-orders?station=kitchen`, { headers: bearer(site.staff) }), 200);
    const ids = kitchen.json.orders.map((o: any) => o.orderId);
    expect(ids.indexOf(first.orderId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.orderId)).toBeLessThan(ids.indexOf(second.orderId));
    expect(ids).not.toContain(notSent.orderId);
    const shown = kitchen.json.orders.find((o: any) => o.orderId === first.orderId);
    expect(shown).toMatchObject({ status: 'sent', ageSeconds: expect.any(Number), ticketNumber: first.ticketNumber });
    expect(shown.lines.map((l: any) => l.station)).toEqual(['kitchen']);
    const placedTimes = kitchen.json.orders.map((o: any) => o.placedAt);
    expect([...placedTimes].sort()).toEqual(placedTimes);
    const bar = await expectStatus(api('GET', `/sites/${site.siteId}/open-orders?station=bar`, { headers: bearer(site.staff) }), 200);
    expect(bar.json.orders.map((o: any) => o.orderId)).toContain(first.orderId);
    expect(bar.json.orders.map((o: any) => o.orderId)).not.toContain(second.orderId);
    const floor = await expectStatus(api('GET', `/sites/${site.siteId}/open-orders`, { headers: bearer(site.staff) }), 200);
    expect(floor.json.orders.map((o: any) => o.orderId)).toContain(notSent.orderId);
  });
});

describe("managers' powers", () => {
  it('staff may not void, discount or refund (403)', async () => {
    const order = await newOrder();
    expect((await api('POST', `${orderPath(order.orderId)}/void`, { body: { reason: 'x' }, headers: bearer(site.staff) })).status).toBe(403);
    const discount = { type: 'amount', amount: 10, reason: 'x' };
    expect((await api('PUT', `${orderPath(order.orderId)}/discount`, { body: discount, headers: bearer(site.staff) })).status).toBe(403);
    const refund = { paymentId: 'p', amount: 1, reason: 'x' };
    const refused = await api('POST', `${orderPath(order.orderId)}/refunds`, { body: refund, headers: { ...bearer(site.staff), ...idempotencyKey() } });
    expect(refused.status).toBe(403);
  });

  it('a manager voids with a reason; a voided order moves nowhere and takes no payment', async () => {
    const order = await newOrder();
    await advance(order.orderId, 'sent');
    const voided = await expectStatus(api('POST', `${orderPath(order.orderId)}/void`, { body: { reason: 'guest left' }, headers: bearer(site.manager) }), 200);
    expect(voided.json).toMatchObject({ status: 'voided', voided: { reason: 'guest left', by: site.manager.userId, from: 'sent' } });
    expect((await setStatus(order.orderId, 'preparing')).status).toBe(409);
    expect((await pay(order.orderId, { method: 'cash', amount: 100 })).status).toBe(409);
    expect((await api('POST', `${orderPath(order.orderId)}/void`, { body: { reason: 'again' }, headers: bearer(site.manager) })).status).toBe(409);
  });

  it('an order holding money cannot be voided until it is refunded (409)', async () => {
    const order = await newOrder();
    const paid = await expectStatus(pay(order.orderId, { method: 'cash', amount: 400 }), 201);
    expect((await api('POST', `${orderPath(order.orderId)}/void`, { body: { reason: 'x' }, headers: bearer(site.manager) })).status).toBe(409);
    await expectStatus(
      api('POST', `${orderPath(order.orderId)}/refunds`, {
        body: { paymentId: paid.json.payment.paymentId, amount: 400, reason: 'changed mind' },
        headers: { ...bearer(site.manager), ...idempotencyKey() },
      }),
      201,
    );
    await expectStatus(api('POST', `${orderPath(order.orderId)}/void`, { body: { reason: 'changed mind' }, headers: bearer(site.manager) }), 200);
  });
});

describe('split bills, payments and refunds', () => {
  it('split evenly, each check paid by card or cash; the served, settled order closes', async () => {
    const order = await newOrder([burger(2), fries(1)]); // 2500 + 450 = 2950, tax 206 + 37 = 243 → 3193
    expect(order.totals.balance).toBe(3193);
    const split = await expectStatus(api('PUT', `${orderPath(order.orderId)}/split`, { body: { mode: 'even', parts: 2 }, headers: bearer(site.staff) }), 200);
    expect(split.json.checks).toEqual([
      { checkId: 'C1', due: 1597, paid: 0, balance: 1597 },
      { checkId: 'C2', due: 1596, paid: 0, balance: 1596 },
    ]);
    await advance(order.orderId, 'sent', 'preparing', 'ready', 'served');
    const card = await expectStatus(pay(order.orderId, { method: 'card', amount: 1597, tip: 300, cardReference: 'tok_visa', checkId: 'C1' }), 201);
    expect(card.json.payment).toMatchObject({ method: 'card', amount: 1597, tip: 300, processor: 'fake-card', processorReference: expect.stringMatching(/^fake_ch_/) });
    expect((await pay(order.orderId, { method: 'cash', amount: 1597, checkId: 'C2' })).status).toBe(422);
    const cash = await expectStatus(pay(order.orderId, { method: 'cash', amount: 1596, tendered: 2000, checkId: 'C2' }), 201);
    expect(cash.json.payment).toMatchObject({ method: 'cash', change: 404 });
    expect(cash.json.order).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect(cash.json.order.totals).toEqual({ subtotal: 2950, discount: 0, tax: 243, tip: 300, total: 3493, paid: 3493, refunded: 0, balance: 0 });
  });

  it('split by line: each check is its own lines', async () => {
    const order = await newOrder([burger(1), fries(1)]);
    const split = await expectStatus(
      api('PUT', `${orderPath(order.orderId)}/split`, { body: { mode: 'lines', parts: [['L1'], ['L2']] }, headers: bearer(site.staff) }),
      200,
    );
    expect(split.json.checks.map((c: any) => [c.lineIds, c.due])).toEqual([[['L1'], 1250 + 103], [['L2'], 450 + 37]]);
    const bad = await api('PUT', `${orderPath(order.orderId)}/split`, { body: { mode: 'lines', parts: [['L1'], ['L1']] }, headers: bearer(site.staff) });
    expect(bad.status).toBe(422);
  });

  it('a declined card is a 402 and records nothing; a payment above the balance is a 422', async () => {
    const order = await newOrder();
    const declined = await pay(order.orderId, { method: 'card', amount: 100, cardReference: 'tok_decline_insufficient_funds' });
    expect(outcome(declined)).toEqual({ status: 402, code: 'PAYMENT_DECLINED' });
    expect((await pay(order.orderId, { method: 'cash', amount: order.totals.balance + 1 })).status).toBe(422);
    expect((await pay(order.orderId, { method: 'card', amount: 100 })).status).toBe(400); // a card needs its reference
    const now = await api('GET', orderPath(order.orderId), { headers: bearer(site.staff) });
    expect(now.json.payments).toEqual([]);
  });

  it('a payment replayed with its Idempotency-Key is recorded once', async () => {
    const order = await newOrder();
    const key = idempotencyKey();
    const body = { method: 'card', amount: 200, cardReference: 'tok_visa' };
    const [first, second] = await Promise.all([pay(order.orderId, body, site.staff, key), pay(order.orderId, body, site.staff, key)]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.text).toBe(second.text);
    const now = await api('GET', orderPath(order.orderId), { headers: bearer(site.staff) });
    expect(now.json.payments).toHaveLength(1);
  });

  it('a refund above what was paid is a 422; within it, it is recorded and counted', async () => {
    const order = await newOrder([burger(1)]);
    const paid = await expectStatus(pay(order.orderId, { method: 'card', amount: 1000, tip: 100, cardReference: 'tok_visa' }), 201);
    const paymentId = paid.json.payment.paymentId;
    const refund = (amount: number) =>
      api('POST', `${orderPath(order.orderId)}/refunds`, { body: { paymentId, amount, reason: 'overcooked' }, headers: { ...bearer(site.manager), ...idempotencyKey() } });
    const tooMuch = await refund(1101);
    expect(outcome(tooMuch)).toEqual({ status: 422, code: 'UNPROCESSABLE' });
    expect(tooMuch.json.error.details).toEqual({ refundable: 1100 });
    const done = await expectStatus(refund(600), 201);
    expect(done.json.refund).toMatchObject({ amount: 600, status: 'completed', processorReference: expect.stringMatching(/^fake_re_/) });
    expect(done.json.order.totals).toMatchObject({ paid: 1100, refunded: 600 });
    expect((await refund(501)).status).toBe(422);
    expect((await refund(500)).status).toBe(201);
    const unknown = await api('POST', `${orderPath(order.orderId)}/refunds`, {
      body: { paymentId: 'no-such-payment', amount: 1, reason: 'x' },
      headers: { ...bearer(site.manager), ...idempotencyKey() },
    });
    expect(unknown.status).toBe(404);
  });
});

describe('queries and access', () => {
  it('lists a business day page by page with a cursor', async () => {
    await Promise.all([newOrder(), newOrder(), newOrder()]);
    const all = await expectStatus(api('GET', `${ordersPath()}?limit=100`, { headers: bearer(site.staff) }), 200);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await expectStatus(
        api('GET', `${ordersPath()}?limit=2&businessDay=${all.json.businessDay}${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(site.staff) }),
        200,
      );
      expect(page.json.orders.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.orders.map((o: any) => o.orderId));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.json.orders.map((o: any) => o.orderId));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a forged or foreign cursor and a page size over 100 (400)', async () => {
    const page = await expectStatus(api('GET', `${ordersPath()}?limit=1`, { headers: bearer(site.staff) }), 200);
    expect((await api('GET', `${ordersPath()}?cursor=not-a-cursor`, { headers: bearer(site.staff) })).status).toBe(400);
    const otherDay = await api('GET', `${ordersPath()}?businessDay=2020-01-01&cursor=${page.json.nextCursor}`, { headers: bearer(site.staff) });
    expect(otherDay.status).toBe(400);
    expect((await api('GET', `${ordersPath()}?limit=101`, { headers: bearer(site.staff) })).status).toBe(400);
  });

  it('nobody reads another site’s orders: staff of another site get 403, an id under the wrong site 404', async () => {
    const order = await newOrder();
    expect((await api('GET', orderPath(order.orderId), { headers: bearer(outsider) })).status).toBe(403);
    expect((await api('GET', ordersPath(), { headers: bearer(outsider) })).status).toBe(403);
    expect((await placeOrder(site, outsider, [fries()])).status).toBe(403);
    const owner = await theOwner();
    const elsewhere = await api('GET', `/sites/${outsider.sites[0]}/orders/${order.orderId}`, { headers: bearer(owner) });
    expect(outcome(elsewhere)).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('unknown ids answer 404, malformed ones 400, never 500', async () => {
    const headers = bearer(site.manager);
    expect((await api('GET', orderPath('x0unknown0order'), { headers })).status).toBe(404);
    expect((await setStatus('x0unknown0order', 'sent', site.manager)).status).toBe(404);
    expect((await api('DELETE', `${orderPath('x0unknown0order')}/lines/L1`, { headers })).status).toBe(404);
    expect((await api('PUT', `${orderPath('x0unknown0order')}/split`, { body: { mode: 'none' }, headers })).status).toBe(404);
    expect((await pay('x0unknown0order', { method: 'cash', amount: 1 }, site.manager)).status).toBe(404);
    expect((await api('GET', orderPath('bad%20id!'), { headers })).status).toBe(400);
  });
});
