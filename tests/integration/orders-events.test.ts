// The events contract: a subscriber (an HTTP endpoint served by this test, subscribed to the real events topic
// with a filter policy on the site) receives every event of the catalog, once per change, each matching its
// contract (functions/shared/contracts/orders.ts) and with the message attributes filter policies read. Then the
// outbox: with SNS failing, an order is still accepted; its event arrives when the stream relay retries, or, when
// SNS stays down longer than the stream's retries, through the scheduled relay.
import { envelopeSchemaOf, type EventType } from '../../functions/shared/contracts/index';
import { ordersContract } from '../../functions/shared/contracts/orders';
import { api, describeLocal, eventually } from './support/target';
import { bearer } from './support/identity';
import { outboxItems, subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { expectStatus, idempotencyKey, orderingSite, placeOrder, type OrderingSite } from './support/orders';

type OrdersEventType = keyof typeof ordersContract.events;
const EVENT_TYPES = Object.keys(ordersContract.events) as OrdersEventType[];

interface Received {
  id: string;
  type: OrdersEventType;
  siteId: string;
  source: string;
  data: Record<string, any>;
  raw: unknown;
  attributes: Record<string, string>;
}

let site: OrderingSite;
let subscriber: HttpSubscriber | undefined;
const received: Received[] = [];

beforeAll(async () => {
  site = await orderingSite();
  subscriber = await subscribeHttp('events', { siteId: [site.siteId], source: ['orders'] }, (envelope, attributes) => received.push({ ...envelope, raw: envelope, attributes }));
}, 120_000);

afterAll(async () => {
  await subscriber?.close();
});

const orderPath = (orderId: string) => `/sites/${site.siteId}/orders/${orderId}`;
// The site's own items and settings were created before the subscription, and their events may still be on their
// way: only the item the test creates, and the settings' second version, count.
let changedItem = '';
const counted = (e: Received) =>
  e.type === 'menu.item-changed' ? e.data.itemId === changedItem : e.type === 'menu.settings-changed' ? e.data.version === 2 : true;
const countOf = (type: OrdersEventType) => received.filter((e) => e.type === type && counted(e)).length;

function expectValid(event: Received): void {
  const parsed = envelopeSchemaOf(event.type as EventType).safeParse(event.raw);
  expect({ type: event.type, issues: parsed.error?.issues ?? [] }).toEqual({ type: event.type, issues: [] });
  expect(event.attributes).toEqual({ type: event.type, siteId: event.siteId, source: event.source });
}

describeLocal('events (local: the test serves the HTTP endpoint the topic delivers to)', () => {
  it('every event of the catalog is published once per change, with its documented schema', async () => {
    const { staff, manager, items } = site;
    const availability = (available: boolean) =>
      api('PUT', `/sites/${site.siteId}/menu/items/${items.lemonade}/availability`, { body: { available }, headers: bearer(staff) });
    await expectStatus(availability(false), 200);
    await expectStatus(availability(true), 200);
    // The business day moved to start at 05:00: what analytics files its days by.
    const settings = { timeZone: 'Europe/Paris', currency: 'EUR', businessDayStartsAt: '05:00' };
    await expectStatus(api('PUT', `/sites/${site.siteId}/menu/settings`, { body: settings, headers: bearer(manager) }), 200);

    // Created, its recipe changed, its price changed (nobody else's news: no event), deactivated.
    const menu = (await expectStatus(api('GET', `/sites/${site.siteId}/menu`, { headers: bearer(staff) }), 200)).json;
    const soup = await expectStatus(
      api('POST', `/sites/${site.siteId}/menu/items`, {
        body: { categoryId: menu.categories[0].categoryId, name: 'Soup', price: 700, taxRate: '10', station: 'kitchen', recipe: [{ ingredientId: 'leek', quantity: 150, unit: 'g' }] },
        headers: bearer(manager),
      }),
      201,
    );
    changedItem = soup.json.itemId;
    const soupPath = `/sites/${site.siteId}/menu/items/${changedItem}`;
    const leekAndPotato = [{ ingredientId: 'leek', quantity: 100, unit: 'g' }, { ingredientId: 'potato', quantity: 0.1, unit: 'kg' }];
    await expectStatus(api('PATCH', soupPath, { body: { recipe: leekAndPotato }, headers: bearer(manager) }), 200);
    await expectStatus(api('PATCH', soupPath, { body: { price: 750 }, headers: bearer(manager) }), 200);
    await expectStatus(api('PATCH', soupPath, { body: { active: false }, headers: bearer(manager) }), 200);

    const order = (await expectStatus(placeOrder(site, staff, [{ itemId: items.burger, quantity: 1, modifierIds: ['cheese'] }, { itemId: items.fries, quantity: 2 }]), 201)).json;
    await expectStatus(api('POST', `${orderPath(order.orderId)}/lines`, { body: { itemId: items.lemonade, quantity: 1 }, headers: bearer(staff) }), 201);
    await expectStatus(api('DELETE', `${orderPath(order.orderId)}/lines/L3`, { headers: bearer(staff) }), 200);
    await expectStatus(api('PUT', `${orderPath(order.orderId)}/discount`, { body: { type: 'amount', amount: 200, reason: 'birthday' }, headers: bearer(manager) }), 200);
    await expectStatus(api('POST', `${orderPath(order.orderId)}/status`, { body: { status: 'sent' }, headers: bearer(staff) }), 200);
    const balance = (await api('GET', orderPath(order.orderId), { headers: bearer(staff) })).json.totals.balance;
    const paid = await expectStatus(
      api('POST', `${orderPath(order.orderId)}/payments`, {
        body: { method: 'card', amount: balance, tip: 150, cardReference: 'tok_visa' },
        headers: { ...bearer(staff), ...idempotencyKey() },
      }),
      201,
    );
    await expectStatus(
      api('POST', `${orderPath(order.orderId)}/refunds`, {
        body: { paymentId: paid.json.payment.paymentId, amount: 150, reason: 'tip entered twice' },
        headers: { ...bearer(manager), ...idempotencyKey() },
      }),
      201,
    );
    const other = (await expectStatus(placeOrder(site, staff, [{ itemId: items.fries, quantity: 1 }]), 201)).json;
    await expectStatus(api('POST', `${orderPath(other.orderId)}/void`, { body: { reason: 'duplicate ticket' }, headers: bearer(manager) }), 200);

    const expected: Record<OrdersEventType, number> = {
      'order.placed': 2,
      'order.line-added': 1,
      'order.line-removed': 1,
      'order.status-changed': 1,
      'order.voided': 1,
      'order.discount-applied': 1,
      'order.paid': 1,
      'payment.recorded': 1,
      'payment.refunded': 1,
      'menu.settings-changed': 1,
      'menu.item-changed': 3,
      'menu.item-86d': 1,
      'menu.item-restored': 1,
    };
    expect(Object.keys(expected).sort()).toEqual([...EVENT_TYPES].sort());
    await eventually(async () => (EVENT_TYPES.every((type) => countOf(type) >= expected[type]) ? true : undefined), 15_000, 'every event type');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // anything published twice would have arrived by now

    expect(Object.fromEntries(EVENT_TYPES.map((type) => [type, countOf(type)]))).toEqual(expected);
    expect(new Set(received.map((e) => e.id)).size).toBe(received.length);
    for (const event of received) expectValid(event);

    const ofOrder = (type: OrdersEventType) => received.find((e) => e.type === type && e.data.orderId === order.orderId)!;
    // Versions follow the changes: placed 1, line added 2, removed 3, discount 4, sent 5, paid 6, refund
    // reserved 7 (no event) and completed 8.
    expect([
      'order.placed',
      'order.line-added',
      'order.line-removed',
      'order.discount-applied',
      'order.status-changed',
      'payment.recorded',
      'payment.refunded',
    ].map((type) => ofOrder(type as OrdersEventType).data.version)).toEqual([1, 2, 3, 4, 5, 6, 8]);
    expect(received.find((e) => e.type === 'menu.settings-changed' && counted(e))!.data).toEqual({ ...settings, version: 2 });
    expect(ofOrder('order.paid').data).toMatchObject({
      version: 6,
      lines: [
        expect.objectContaining({ itemId: items.burger, consumption: [{ ingredientId: 'beef-patty', quantity: 1, unit: 'each' }, { ingredientId: 'cheddar', quantity: 25, unit: 'g' }] }),
        expect.objectContaining({ itemId: items.fries, consumption: [{ ingredientId: 'potato', quantity: 0.4, unit: 'kg' }] }),
      ],
      totals: expect.objectContaining({ discount: 200, tip: 150, balance: 0 }),
    });
    expect(received.every((e) => e.siteId === site.siteId)).toBe(true);
    const changes = received.filter((e) => e.type === 'menu.item-changed' && counted(e)).sort((a, b) => a.data.version - b.data.version);
    expect(changes.map((e) => [e.data.version, e.data.active, e.data.recipe.length])).toEqual([[1, true, 1], [2, true, 2], [4, false, 2]]);
    expect(changes[1]!.data).toEqual({ itemId: changedItem, name: 'Soup', active: true, recipe: leekAndPotato, modifiers: [], version: 2 });
  }, 60_000);

  it('with SNS failing, the order is still accepted (201); the stream relay retries it within seconds', async () => {
    // The SDK makes 3 attempts per publish: 3 faults fail the stream relay's first invocation completely.
    await faults({ failPublishes: 3 });
    try {
      const order = (await expectStatus(placeOrder(site, site.staff, [{ itemId: site.items.fries, quantity: 1 }]), 201)).json;
      const delivered = await eventually(async () => received.find((e) => e.type === 'order.placed' && e.data.orderId === order.orderId), 10_000, 'the retried order.placed');
      expectValid(delivered);
      expect(await (await faults()).json()).toEqual({ failPublishes: 0 });
      await eventually(async () => ((await outboxOf()).length === 0 ? true : undefined), 10_000, 'the outbox to empty');
      expect(received.filter((e) => e.type === 'order.placed' && e.data.orderId === order.orderId)).toHaveLength(1);
    } finally {
      await faults({ failPublishes: 0 });
    }
  }, 30_000);

  it('with SNS down longer than the stream retries, the event waits in the outbox and the scheduled relay sends it', async () => {
    await faults({ failPublishes: 1_000 });
    let order: any;
    try {
      order = (await expectStatus(placeOrder(site, site.staff, [{ itemId: site.items.fries, quantity: 1 }]), 201)).json;
      // The stream relay has given up (functions.yml: maximumRetryAttempts) once the faults stop being used for
      // longer than its longest back-off (2 s locally).
      let left = -1;
      await eventually(
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 3_000));
          const { failPublishes: now } = (await (await faults()).json()) as { failPublishes: number };
          const settled = now === left;
          left = now;
          return settled && now < 1_000 ? true : undefined;
        },
        60_000,
        'the stream relay to give up',
      );
    } finally {
      await faults({ failPublishes: 0 });
    }

    const outbox = await outboxOf();
    expect(outbox).toHaveLength(1);
    const kept = JSON.parse(outbox[0]!.event as string) as Received;
    expect(kept).toMatchObject({ type: 'order.placed', data: { orderId: order.orderId, version: 1 } });
    expect(received.find((e) => e.id === kept.id)).toBeUndefined();

    // The relay runs every minute (serverless-offline runs the schedule) and takes items older than 30 s.
    const delivered = await eventually(async () => received.find((e) => e.id === kept.id), 120_000, 'the relayed order.placed');
    expectValid(delivered);
    expect(delivered.raw).toEqual(kept);
    await eventually(async () => ((await outboxOf()).length === 0 ? true : undefined), 10_000, 'the outbox to empty');
    expect(received.filter((e) => e.type === 'order.placed' && e.data.orderId === order.orderId)).toHaveLength(1);
  }, 210_000);
});

function faults(body?: object) {
  const edge = process.env.AWS_ENDPOINT_URL!;
  return fetch(`${edge}/_local/sns/faults`, body ? { method: 'POST', body: JSON.stringify(body) } : undefined);
}

function outboxOf() {
  return outboxItems('orders', { FilterExpression: 'begins_with(pk, :prefix)', ExpressionAttributeValues: { ':prefix': `SITE#${site.siteId}#OUTBOX#` } });
}
