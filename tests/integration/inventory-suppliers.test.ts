// Suppliers, offers and price history, low stock and automatic drafts over the running stack: a supplier created,
// listed by cursor, edited on its version; an offer whose price change appends to the history (the same price
// does not); an item wasted below its reorder point, the low-stock job invoked through the local Lambda endpoint
// → one `inventory.low-stock` alert on the alerts topic and one draft PO with its `purchase-order-drafted` event;
// a second run → nothing new; a receipt → `inventory.stock-restored` on the next run. Bad input and another site's
// supplier answer 4xx JSON errors.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { envelopeSchemaOf } from '../../functions/shared/contracts/index';
import { badQuery, misanswered, ODD_CURSORS, oddIdProbes } from './support/bad-input';
import { bearer, createUser } from './support/identity';
import { cheeseItem, createStockItem, move, stockSite, type StockSite } from './support/inventory';
import { inbox, waitForNotification } from './support/notifications';
import { expectStatus } from './support/orders';
import { subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { api, describeLocal, dynamo, eventually, stage, tableName, uniqueId } from './support/target';

jest.setTimeout(120_000);

const suppliersPath = (siteId: string) => `/sites/${siteId}/inventory/suppliers`;
const offerPath = (siteId: string, supplierId: string, itemId: string) => `${suppliersPath(siteId)}/${supplierId}/items/${itemId}`;

const dairy = (supplierId = uniqueId('dairy')) => ({
  supplierId,
  name: 'Valley Dairy',
  contact: { email: 'orders@dairy.example' },
  leadTimeDays: 1,
  deliveryWeekdays: ['mon', 'wed', 'fri'],
  orderCutOff: '14:00',
  deliveryTime: '07:30',
  minimumOrderValue: 5000,
});

let site: StockSite;

beforeAll(async () => {
  site = await stockSite();
}, 120_000);

describe('suppliers', () => {
  it('creates (201, Location), refuses the same id (409), lists by cursor and edits on the version read (409 when stale)', async () => {
    const first = dairy();
    const created = await expectStatus(api('POST', suppliersPath(site.siteId), { body: first, headers: bearer(site.manager) }), 201);
    expect(created.json).toMatchObject({ ...first, siteId: site.siteId, version: 1 });
    expect(created.headers.get('location')).toBe(`${suppliersPath(site.siteId)}/${first.supplierId}`);
    const again = await api('POST', suppliersPath(site.siteId), { body: first, headers: bearer(site.manager) });
    expect({ status: again.status, code: again.json.error.code }).toEqual({ status: 409, code: 'CONFLICT' });
    await expectStatus(api('POST', suppliersPath(site.siteId), { body: dairy(), headers: bearer(site.manager) }), 201);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await expectStatus(api('GET', `${suppliersPath(site.siteId)}?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(site.staff) }), 200);
      seen.push(...page.json.suppliers.map((s: { supplierId: string }) => s.supplierId));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining([first.supplierId]));
    expect(seen.length).toBeGreaterThanOrEqual(2);

    const path = `${suppliersPath(site.siteId)}/${first.supplierId}`;
    const edited = await expectStatus(api('PATCH', path, { body: { minimumOrderValue: 6000, expectedVersion: 1 }, headers: bearer(site.manager) }), 200);
    expect(edited.json).toMatchObject({ minimumOrderValue: 6000, version: 2, name: first.name });
    const stale = await api('PATCH', path, { body: { name: 'Late', expectedVersion: 1 }, headers: bearer(site.manager) });
    expect({ status: stale.status, code: stale.json.error.code }).toEqual({ status: 409, code: 'CONFLICT' });
  });

  it('an offer: pack converted for the item, a price change appends to the history, the same price does not', async () => {
    const item = await createStockItem(site, cheeseItem());
    const supplier = dairy();
    await expectStatus(api('POST', suppliersPath(site.siteId), { body: supplier, headers: bearer(site.manager) }), 201);
    const path = offerPath(site.siteId, supplier.supplierId, item.itemId);

    const created = await expectStatus(api('PUT', path, { body: { packUnit: 'block', packPrice: 3150, supplierSku: 'VD-1' }, headers: bearer(site.manager) }), 201);
    expect(created.json).toMatchObject({ itemId: item.itemId, packUnit: 'block', packSize: 2500, packPrice: 3150, preferred: true, version: 1 });
    await expectStatus(api('PUT', path, { body: { packUnit: 'block', packPrice: 3150, supplierSku: 'VD-1b' }, headers: bearer(site.manager) }), 200);
    const raised = await expectStatus(api('PUT', path, { body: { packUnit: 'block', packPrice: 3290 }, headers: bearer(site.manager) }), 200);
    expect(raised.json).toMatchObject({ packPrice: 3290, version: 3, recentPrices: [expect.objectContaining({ packPrice: 3290 }), expect.objectContaining({ packPrice: 3150 })] });

    const prices = await expectStatus(api('GET', `${path}/prices`, { headers: bearer(site.manager) }), 200);
    expect(prices.json.prices.map((p: { packPrice: number }) => p.packPrice)).toEqual([3290, 3150]);
    const first = await expectStatus(api('GET', `${path}/prices?limit=1`, { headers: bearer(site.manager) }), 200);
    expect(first.json.prices).toHaveLength(1);
    const rest = await expectStatus(api('GET', `${path}/prices?limit=1&cursor=${first.json.nextCursor}`, { headers: bearer(site.manager) }), 200);
    expect(rest.json.prices[0].packPrice).toBe(3150);

    const read = await expectStatus(api('GET', `${suppliersPath(site.siteId)}/${supplier.supplierId}`, { headers: bearer(site.staff) }), 200);
    expect(read.json.offers).toEqual([expect.objectContaining({ itemId: item.itemId, packPrice: 3290, preferred: true })]);
    expect(read.json.nextDelivery).toMatchObject({ deliveryDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), local: { arrivesAt: expect.stringMatching(/T07:30$/) } });
    expect(Date.parse(read.json.nextDelivery.orderBy)).toBeLessThan(Date.parse(read.json.nextDelivery.arrivesAt));

    const each = await api('PUT', path, { body: { packUnit: 'each', packPrice: 10 }, headers: bearer(site.manager) });
    expect({ status: each.status, message: each.json.error.message }).toEqual({ status: 422, message: expect.stringContaining(item.itemId) });
    const noItem = await api('PUT', offerPath(site.siteId, supplier.supplierId, 'no-such-item'), { body: { packUnit: 'kg', packPrice: 10 }, headers: bearer(site.manager) });
    const noSupplier = await api('PUT', offerPath(site.siteId, 'no-such-supplier', item.itemId), { body: { packUnit: 'kg', packPrice: 10 }, headers: bearer(site.manager) });
    expect([noItem.status, noSupplier.status]).toEqual([404, 404]);
  });

  it('bad input is a 4xx JSON error; staff may not manage suppliers (403); another site’s supplier is a 404', async () => {
    const supplier = dairy();
    await expectStatus(api('POST', suppliersPath(site.siteId), { body: supplier, headers: bearer(site.manager) }), 201);
    const bodies: Array<[string, Record<string, unknown>]> = [
      ['a weekday twice', { ...dairy(), deliveryWeekdays: ['mon', 'mon'] }],
      ['a cut-off past midnight', { ...dairy(), orderCutOff: '24:30' }],
      ['a fractional minimum', { ...dairy(), minimumOrderValue: 10.5 }],
      ['an absurd lead time', { ...dairy(), leadTimeDays: 1e9 }],
      ['an unknown field', { ...dairy(), rating: 5 }],
    ];
    for (const [what, body] of bodies) {
      const res = await api('POST', suppliersPath(site.siteId), { body, headers: bearer(site.manager) });
      expect({ what, status: res.status, code: res.json.error?.code }).toEqual({ what, status: 400, code: 'VALIDATION_FAILED' });
    }
    const offer = offerPath(site.siteId, supplier.supplierId, 'any-item');
    for (const body of [{ packUnit: 'block', packPrice: -1 }, { packUnit: 'block', packPrice: 1e12 }, { packUnit: 'Block!', packPrice: 1 }, { packUnit: 'block' }]) {
      expect((await api('PUT', offer, { body, headers: bearer(site.manager) })).status).toBe(400);
    }
    const empty = await api('PATCH', `${suppliersPath(site.siteId)}/${supplier.supplierId}`, { body: { expectedVersion: 1 }, headers: bearer(site.manager) });
    expect(empty.status).toBe(400);

    const staff = await api('POST', suppliersPath(site.siteId), { body: dairy(), headers: bearer(site.staff) });
    expect(staff.status).toBe(403);
    expect((await api('GET', `${offer}/prices`, { headers: bearer(site.staff) })).status).toBe(403);

    const other = await stockSite();
    const foreign = `${suppliersPath(other.siteId)}/${supplier.supplierId}`;
    for (const [method, path, body] of [
      ['GET', foreign, undefined],
      ['PATCH', foreign, { name: 'Mine now' }],
      ['PUT', `${foreign}/items/any-item`, { packUnit: 'kg', packPrice: 1 }],
      ['GET', `${foreign}/items/any-item/prices`, undefined],
    ] as const) {
      const res = await api(method, path, { body, headers: bearer(other.manager) });
      expect({ method, path, status: res.status, code: res.json.error?.code }).toEqual({ method, path, status: 404, code: 'NOT_FOUND' });
    }

    const owner = await createUser('owner', []);
    const routes = [
      'GET /sites/{siteId}/inventory/suppliers/{supplierId}',
      'PATCH /sites/{siteId}/inventory/suppliers/{supplierId}',
      'PUT /sites/{siteId}/inventory/suppliers/{supplierId}/items/{itemId}',
      'GET /sites/{siteId}/inventory/suppliers/{supplierId}/items/{itemId}/prices',
    ];
    expect(await misanswered(routes.flatMap((route) => oddIdProbes(route, { siteId: site.siteId, supplierId: supplier.supplierId, itemId: 'any-item' })), bearer(owner))).toEqual([]);
    const cursors = Object.entries(ODD_CURSORS).flatMap(([what, cursor]) => [
      badQuery(`suppliers with ${what}`, `${suppliersPath(site.siteId)}?cursor=${cursor}`),
      badQuery(`low stock with ${what}`, `/sites/${site.siteId}/inventory/low-stock?cursor=${cursor}`),
    ]);
    expect(await misanswered([...cursors, badQuery('a limit of 0', `${suppliersPath(site.siteId)}?limit=0`)], bearer(owner))).toEqual([]);
  });
});

describeLocal('low stock and automatic drafts (local: the job is invoked through the local Lambda endpoint)', () => {
  const alerts: Array<{ id: string; type: string; data: Record<string, any> }> = [];
  const events: Array<{ id: string; type: string; data: Record<string, any> }> = [];
  let subscribers: HttpSubscriber[] = [];
  const lambda = new LambdaClient({
    endpoint: `http://127.0.0.1:${process.env.BRIGADE_LAMBDA_PORT ?? '3002'}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let low: StockSite;

  beforeAll(async () => {
    low = await stockSite();
    subscribers = await Promise.all([
      subscribeHttp('alerts', { siteId: [low.siteId] }, (envelope) => alerts.push(envelope)),
      subscribeHttp('events', { siteId: [low.siteId], type: ['inventory.purchase-order-drafted'] }, (envelope) => events.push(envelope)),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(subscribers.map((s) => s.close()));
    lambda.destroy();
  });

  const runJob = () => lambda.send(new InvokeCommand({ FunctionName: `brigade-${stage}-reviewLowStock`, Payload: Buffer.from('{}') }));
  const lowNow = async () => (await expectStatus(api('GET', `/sites/${low.siteId}/inventory/low-stock`, { headers: bearer(low.staff) }), 200)).json.items as Array<Record<string, any>>;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
  /** A cheese item and a dairy offering it in 2.5 kg blocks at 31.50 (its preferred supplier, the first offer). */
  const cheeseFromDairy = async () => {
    const item = await createStockItem(low, cheeseItem());
    const supplier = dairy();
    await expectStatus(api('POST', suppliersPath(low.siteId), { body: supplier, headers: bearer(low.manager) }), 201);
    await expectStatus(api('PUT', offerPath(low.siteId, supplier.supplierId, item.itemId), { body: { packUnit: 'block', packPrice: 3150 }, headers: bearer(low.manager) }), 201);
    return { item, supplier };
  };

  it('alerts once per episode, drafts once per supplier; the draft approved, sent and partly received ends the episode', async () => {
    const { item, supplier } = await cheeseFromDairy();
    await expectStatus(move(low, low.staff, item.itemId, 'receipts', { location: 'walk-in', quantity: 2, unit: 'block', unitCost: 3150 }), 201);
    await runJob();
    expect(await lowNow()).toEqual([]);

    // 5 kg → 2 kg: below the 2.5 kg reorder point. The site's own event may still be on its way to inventory: the
    // job visits the sites inventory knows, so it runs until the site is in.
    await expectStatus(move(low, low.staff, item.itemId, 'waste', { location: 'walk-in', quantity: 3, unit: 'kg', reason: 'spoiled' }), 201);
    const [listed] = await eventually(
      async () => {
        await runJob();
        const items = await lowNow();
        return items.length > 0 ? items : undefined;
      },
      60_000,
      'the item listed as low',
    );
    expect(listed).toMatchObject({ itemId: item.itemId, episode: 1, onHand: 2000, reorderPoint: 2500, daysOfCover: null, nextDelivery: { supplierId: supplier.supplierId } });
    const alert = await eventually(async () => alerts.find((a) => a.type === 'inventory.low-stock'), 15_000, 'the low-stock alert');
    expect(envelopeSchemaOf('inventory.low-stock').safeParse(alert).success).toBe(true);
    expect(alert).toMatchObject({ id: `low-stock:${item.itemId}:1`, data: { severity: 'warning', onHand: 2000, nextDelivery: { supplierId: supplier.supplierId } } });
    // Through the existing notifications path: the site's manager is told, once.
    const told = await waitForNotification(low.manager, (n) => n.eventId === alert.id, 20_000, 'the low-stock notification');
    expect(told).toMatchObject({ eventType: 'inventory.low-stock', severity: 'warning', siteId: low.siteId });
    const drafted = await eventually(async () => events.find((e) => e.type === 'inventory.purchase-order-drafted'), 15_000, 'the drafted event');
    expect(envelopeSchemaOf('inventory.purchase-order-drafted').safeParse(drafted).success).toBe(true);
    // Par 7.5 kg - 2 kg on hand = 5.5 kg: three 2.5 kg blocks, 9 450 ≥ the 5 000 minimum.
    expect(drafted.data).toMatchObject({ supplierId: supplier.supplierId, total: 9450, belowMinimum: false, lines: [{ itemId: item.itemId, packs: 3, packSize: 2500 }] });
    const { Item: po } = await dynamo.send(
      new GetCommand({ TableName: tableName('inventory'), Key: { pk: `SITE#${low.siteId}#PO#${drafted.data.purchaseOrderId}`, sk: 'PO' }, ConsistentRead: true }),
    );
    expect(po).toMatchObject({ status: 'draft', supplierId: supplier.supplierId, poPk: `SITE#${low.siteId}#PO-OPEN` });

    // A second run and a manager's "draft now": no second alert, no second draft.
    await runJob();
    const now = await expectStatus(api('POST', `/sites/${low.siteId}/inventory/purchase-orders/drafts`, { headers: bearer(low.manager) }), 200);
    expect(now.json).toMatchObject({ drafts: [], openDrafts: [{ supplierId: supplier.supplierId, purchaseOrderId: drafted.data.purchaseOrderId }], low: [item.itemId] });
    await settle();
    expect(alerts.filter((a) => a.type === 'inventory.low-stock')).toHaveLength(1);
    expect(events).toHaveLength(1);
    expect((await inbox(low.manager, '?limit=100')).filter((n) => n.eventType === 'inventory.low-stock')).toHaveLength(1);

    // The manager approves and sends the draft; the delivery brings 2 of the 3 blocks (a partial receipt against
    // the PO, at the ordered price); the next run ends the episode.
    const poPath = `/sites/${low.siteId}/inventory/purchase-orders/${drafted.data.purchaseOrderId}`;
    await expectStatus(api('POST', `${poPath}/actions`, { body: { action: 'approve', expectedVersion: 1 }, headers: bearer(low.manager) }), 200);
    await expectStatus(api('POST', `${poPath}/actions`, { body: { action: 'send' }, headers: bearer(low.manager) }), 200);
    const [line] = drafted.data.lines as Array<{ lineId: string; packPrice: number }>;
    const delivered = await expectStatus(
      api('POST', `${poPath}/receipts`, {
        body: { lines: [{ lineId: line!.lineId, packs: 2, packPrice: line!.packPrice, location: 'walk-in' }] },
        headers: { ...bearer(low.staff), 'idempotency-key': uniqueId('delivery') },
      }),
      201,
    );
    expect(delivered.json.purchaseOrder).toMatchObject({ status: 'partially-received', lines: [{ lineId: line!.lineId, packs: 3, receivedPacks: 2 }] });
    await runJob();
    const restored = await eventually(async () => alerts.find((a) => a.type === 'inventory.stock-restored'), 15_000, 'the stock-restored alert');
    // 2 kg + 2 blocks of 2.5 kg.
    expect(restored).toMatchObject({ id: `stock-restored:${item.itemId}:1`, data: { severity: 'info', episode: 1, onHand: 7000 } });
    expect(await lowNow()).toEqual([]);
    await runJob();
    await settle();
    expect(alerts.map((a) => a.type).sort()).toEqual(['inventory.low-stock', 'inventory.stock-restored']);
  });

  it('three reviews racing ("draft now" at once) open one episode and make one draft', async () => {
    const { item, supplier } = await cheeseFromDairy();
    await expectStatus(move(low, low.staff, item.itemId, 'receipts', { location: 'walk-in', quantity: 1, unit: 'kg', unitCost: 1260 }), 201);

    const answers = await Promise.all([1, 2, 3].map(() => expectStatus(api('POST', `/sites/${low.siteId}/inventory/purchase-orders/drafts`, { headers: bearer(low.manager) }), 200)));
    const drafts = answers.flatMap((a) => a.json.drafts.filter((d: { supplierId: string }) => d.supplierId === supplier.supplierId));
    expect(drafts).toHaveLength(1);
    await eventually(async () => alerts.find((a) => a.id === `low-stock:${item.itemId}:1`), 15_000, 'the low-stock alert');
    await settle();
    expect(alerts.filter((a) => a.data.itemId === item.itemId)).toHaveLength(1);
    expect(events.filter((e) => e.data.supplierId === supplier.supplierId)).toEqual([expect.objectContaining({ id: `purchase-order:${drafts[0].purchaseOrderId}:v1` })]);
  });

  it('an archived supplier is ordered from no more: no draft, no new order, offer or send; its open order is still received', async () => {
    const { item, supplier } = await cheeseFromDairy();
    const supplierPath = `${suppliersPath(low.siteId)}/${supplier.supplierId}`;
    const order = (key = uniqueId('po')) =>
      api('POST', `/sites/${low.siteId}/inventory/purchase-orders`, { body: { supplierId: supplier.supplierId, lines: [{ itemId: item.itemId, packs: 1 }] }, headers: { ...bearer(low.manager), 'idempotency-key': key } });
    // An order sent before the supplier closed (it is on its way), and one approved but not sent yet.
    const open = await expectStatus(order(), 201);
    const poPath = `/sites/${low.siteId}/inventory/purchase-orders/${open.json.purchaseOrderId}`;
    await expectStatus(api('POST', `${poPath}/actions`, { body: { action: 'approve' }, headers: bearer(low.manager) }), 200);
    await expectStatus(api('POST', `${poPath}/actions`, { body: { action: 'send' }, headers: bearer(low.manager) }), 200);
    const unsent = await expectStatus(order(), 201);
    const unsentPath = `/sites/${low.siteId}/inventory/purchase-orders/${unsent.json.purchaseOrderId}`;
    await expectStatus(api('POST', `${unsentPath}/actions`, { body: { action: 'approve' }, headers: bearer(low.manager) }), 200);

    const archived = await expectStatus(api('PATCH', supplierPath, { body: { archived: true }, headers: bearer(low.manager) }), 200);
    expect(archived.json).toMatchObject({ archived: true, version: 2 });
    // Below the reorder point with nothing on hand: low, but no draft to the archived supplier, no delivery awaited.
    const now = await expectStatus(api('POST', `/sites/${low.siteId}/inventory/purchase-orders/drafts`, { headers: bearer(low.manager) }), 200);
    expect(now.json.low).toContain(item.itemId);
    expect(now.json.drafts.filter((d: { supplierId: string }) => d.supplierId === supplier.supplierId)).toEqual([]);
    const listed = (await lowNow()).find((l) => l.itemId === item.itemId);
    expect(listed).toBeDefined();
    expect(listed!.nextDelivery ?? null).toBeNull();
    for (const refused of [
      await order(),
      await api('POST', `${unsentPath}/actions`, { body: { action: 'send' }, headers: bearer(low.manager) }),
      await api('PUT', offerPath(low.siteId, supplier.supplierId, item.itemId), { body: { packUnit: 'block', packPrice: 2990 }, headers: bearer(low.manager) }),
    ])
      expect({ status: refused.status, code: refused.json.error.code, supplierId: refused.json.error.details?.supplierId }).toEqual({ status: 409, code: 'CONFLICT', supplierId: supplier.supplierId });
    // What is on its way still arrives.
    const [line] = open.json.lines as Array<{ lineId: string; packPrice: number }>;
    const received = await expectStatus(
      api('POST', `${poPath}/receipts`, { body: { lines: [{ lineId: line!.lineId, packs: 1, packPrice: line!.packPrice, location: 'walk-in' }] }, headers: { ...bearer(low.staff), 'idempotency-key': uniqueId('delivery') } }),
      201,
    );
    expect(received.json.purchaseOrder).toMatchObject({ status: 'received' });

    // Back in business: drafts go to it again.
    await expectStatus(api('PATCH', supplierPath, { body: { archived: false }, headers: bearer(low.manager) }), 200);
    await expectStatus(move(low, low.staff, item.itemId, 'waste', { location: 'walk-in', quantity: 1, unit: 'block', reason: 'spoiled' }), 201);
    const again = await expectStatus(api('POST', `/sites/${low.siteId}/inventory/purchase-orders/drafts`, { headers: bearer(low.manager) }), 200);
    expect(again.json.drafts.filter((d: { supplierId: string }) => d.supplierId === supplier.supplierId)).toHaveLength(1);
  });

  it('stock under a food-safety hold covers nothing: the item is low while its only location is held, and not once released', async () => {
    // Last in this block: holding the walk-in makes the earlier tests' items low too.
    const { item } = await cheeseFromDairy();
    await expectStatus(move(low, low.staff, item.itemId, 'receipts', { location: 'walk-in', quantity: 4, unit: 'block', unitCost: 3150 }), 201);
    await runJob();
    expect((await lowNow()).map((l) => l.itemId)).not.toContain(item.itemId);

    const hold = await expectStatus(api('POST', `/sites/${low.siteId}/inventory/holds`, { body: { location: 'walk-in', reason: 'door left open overnight' }, headers: bearer(low.manager) }), 201);
    await runJob();
    expect((await lowNow()).find((l) => l.itemId === item.itemId)).toMatchObject({ onHand: 0, reorderPoint: 2500 });

    await expectStatus(api('POST', `/sites/${low.siteId}/inventory/holds/${hold.json.hold.holdId}/release`, { body: {}, headers: bearer(low.manager) }), 200);
    await runJob();
    expect((await lowNow()).map((l) => l.itemId)).not.toContain(item.itemId);
  });
});
