// An order's customer, through the running stack: placed with a phone number, the order, its `order.placed` and
// `order.paid` carry one keyed hash and nothing of the number (the test scans every item the orders table holds for
// the two sites, outbox and Idempotency-Key records included); the same number on another site of the deployment
// is the same customer; a loyalty card named after the order was placed reaches `order.paid`; every line carries
// its menu category. Local: the test serves the HTTP endpoint the events topic delivers to.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { api, describeLocal, dynamo, eventually, tableName } from './support/target';
import { bearer } from './support/identity';
import { subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { expectStatus, idempotencyKey, orderingSite, placeOrder, type OrderingSite } from './support/orders';

// Digits no generated id or timestamp of a test run is likely to contain in this order.
const PHONE = '+33 6 98 71 42 05';
const PHONE_DIGITS = /698714205|98 71 42 05/;

interface Received {
  type: string;
  siteId: string;
  data: Record<string, any>;
}

let siteA: OrderingSite;
let siteB: OrderingSite;
let subscriber: HttpSubscriber | undefined;
const received: Received[] = [];

beforeAll(async () => {
  // One after the other: four concurrent sign-ins (scrypt, 128 MiB each) crowd a 2-core machine.
  siteA = await orderingSite();
  siteB = await orderingSite();
  subscriber = await subscribeHttp('events', { siteId: [siteA.siteId, siteB.siteId], type: ['order.placed', 'order.paid'] }, (envelope) =>
    received.push(envelope),
  );
}, 120_000);

afterAll(async () => {
  await subscriber?.close();
});

const orderPath = (site: OrderingSite, orderId: string) => `/sites/${site.siteId}/orders/${orderId}`;
const eventOf = (type: string, orderId: string) =>
  eventually(async () => received.find((e) => e.type === type && e.data.orderId === orderId), 15_000, `${type} of ${orderId}`);

function order(site: OrderingSite, customer?: unknown) {
  const lines = [{ itemId: site.items.burger, quantity: 1 }, { itemId: site.items.lemonade, quantity: 2 }];
  return api('POST', `/sites/${site.siteId}/orders`, {
    body: { channel: { type: 'takeaway' }, lines, ...(customer ? { customer } : {}) },
    headers: { ...bearer(site.staff), ...idempotencyKey() },
  });
}

async function payInFull(site: OrderingSite, placed: { orderId: string; totals: { balance: number } }) {
  const body = { method: 'cash', amount: placed.totals.balance };
  return expectStatus(api('POST', `${orderPath(site, placed.orderId)}/payments`, { body, headers: { ...bearer(site.staff), ...idempotencyKey() } }), 201);
}

/** Every item of the orders table that belongs to the site: menu, orders, outbox, its POST orders' Idempotency-Keys. */
async function siteItems(siteId: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tableName('orders'),
        FilterExpression: 'begins_with(pk, :site) OR begins_with(pk, :keys)',
        ExpressionAttributeValues: { ':site': `SITE#${siteId}#`, ':keys': `IDEMPOTENCY#orders-create#${siteId}#` },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

describeLocal('customer reference and line categories (local: the test serves the HTTP endpoint the topic delivers to)', () => {
  let phoneRef = '';

  it('an order placed with a phone keeps only its keyed hash: in the table, the response, order.placed and order.paid', async () => {
    const placed = (await expectStatus(order(siteA, { phone: PHONE }), 201)).json;
    phoneRef = placed.customerRef;
    expect(phoneRef).toMatch(/^phone:[A-Za-z0-9_-]{43}$/);
    expect(placed.lines.map((line: Record<string, unknown>) => [line.name, line.categoryName])).toEqual([
      ['Burger', 'Everything'],
      ['Lemonade', 'Everything'],
    ]);
    expect(placed.lines[0].categoryId).toEqual(expect.any(String));
    await payInFull(siteA, placed);

    const [placedEvent, paidEvent] = await Promise.all([eventOf('order.placed', placed.orderId), eventOf('order.paid', placed.orderId)]);
    expect(placedEvent.data.customerRef).toBe(phoneRef);
    expect(paidEvent.data.customerRef).toBe(phoneRef);
    expect(paidEvent.data.lines.map((line: Record<string, unknown>) => [line.categoryId, line.categoryName])).toEqual(
      placed.lines.map((line: Record<string, unknown>) => [line.categoryId, 'Everything']),
    );
    expect(JSON.stringify([placedEvent, paidEvent])).not.toMatch(PHONE_DIGITS);

    const items = await siteItems(siteA.siteId);
    const stored = items.find((item) => item.pk === `SITE#${siteA.siteId}#ORDER#${placed.orderId}`);
    expect(stored).toMatchObject({ customerRef: phoneRef });
    expect(items.some((item) => String(item.pk).startsWith(`IDEMPOTENCY#orders-create#${siteA.siteId}#`))).toBe(true);
    expect(JSON.stringify(items)).not.toMatch(PHONE_DIGITS);
    expect(JSON.stringify((await expectStatus(api('GET', orderPath(siteA, placed.orderId), { headers: bearer(siteA.staff) }), 200)).json)).not.toMatch(
      PHONE_DIGITS,
    );
  });

  it('the same number, however written, is the same customer on another site of the deployment; a loyalty id is another', async () => {
    expect(phoneRef).not.toBe('');
    const elsewhere = (await expectStatus(order(siteB, { phone: '+33698714205' }), 201)).json;
    expect(elsewhere.customerRef).toBe(phoneRef);
    const card = (await expectStatus(order(siteB, { loyaltyId: '33698714205' }), 201)).json;
    expect(card.customerRef).toMatch(/^loyalty:/);
    expect(card.customerRef.slice('loyalty:'.length)).not.toBe(phoneRef.slice('phone:'.length));
    expect(JSON.stringify(await siteItems(siteB.siteId))).not.toMatch(PHONE_DIGITS);
  });

  it('a customer named after the order was placed reaches order.paid, and cannot change once it is paid', async () => {
    const placed = (await expectStatus(order(siteA), 201)).json;
    expect(placed).not.toHaveProperty('customerRef');
    const path = `${orderPath(siteA, placed.orderId)}/customer`;
    const put = (body: unknown) => api('PUT', path, { body, headers: bearer(siteA.staff) });
    const named = (await expectStatus(put({ customer: { loyaltyId: 'CARD-0077' }, expectedVersion: placed.version }), 200)).json;
    expect(named.customerRef).toMatch(/^loyalty:[A-Za-z0-9_-]{43}$/);
    expect((await put({ customer: { loyaltyId: 'CARD-0077' }, expectedVersion: placed.version })).status).toBe(409);

    const added = (await expectStatus(api('POST', `${orderPath(siteA, placed.orderId)}/lines`, { body: { itemId: siteA.items.fries, quantity: 1 }, headers: bearer(siteA.staff) }), 201)).json;
    expect(added.lines.at(-1)).toMatchObject({ name: 'Fries', categoryName: 'Everything', categoryId: placed.lines[0].categoryId });

    await payInFull(siteA, added);
    const paid = await eventOf('order.paid', placed.orderId);
    expect(paid.data.customerRef).toBe(named.customerRef);
    expect(paid.data.lines).toHaveLength(3);
    const late = await put({ customer: { phone: PHONE } });
    expect({ status: late.status, code: late.json?.error?.code }).toEqual({ status: 409, code: 'CONFLICT' });
  });

  it('a malformed customer is a 400 naming the field, never echoing the value', async () => {
    const cases: Array<[unknown, string]> = [
      [{ phone: '+33 6 98 71 42 05 (home)' }, 'customer.phone'],
      [{ phone: 'call 0698714205' }, 'customer.phone'],
      [{ loyaltyId: 'card 0698714205' }, 'customer.loyaltyId'],
      [{ phone: '+33698714205', loyaltyId: 'CARD-1' }, 'customer'],
      [{ email: 'someone@example.com' }, 'customer'],
    ];
    for (const [customer, path] of cases) {
      const res = await order(siteA, customer);
      expect({ customer, status: res.status, paths: res.json?.error?.details?.map((d: { path: string }) => d.path) }).toEqual({ customer, status: 400, paths: [path] });
      expect(res.text).not.toMatch(/698714205|someone@/);
    }
    const placed = (await expectStatus(placeOrder(siteA, siteA.staff, [{ itemId: siteA.items.fries, quantity: 1 }]), 201)).json;
    const res = await api('PUT', `${orderPath(siteA, placed.orderId)}/customer`, { body: { customer: { phone: '12' } }, headers: bearer(siteA.staff) });
    expect({ status: res.status, paths: res.json?.error?.details?.map((d: { path: string }) => d.path) }).toEqual({ status: 400, paths: ['customer.phone'] });
  });
});
