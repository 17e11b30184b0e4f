// Purchase orders over the running stack: a manual PO priced from the supplier's offers, edited as a draft,
// approved, sent (published), received in two deliveries (on-hand, average cost and ledger entries carrying the PO,
// read back from the table), then listed by status; concurrent receipts of one line (exactly one wins);
// substitutions and price differences flagged; an Idempotency-Key replayed byte for byte; illegal transitions;
// another site's PO and staff on manager routes refused; a receipt larger than one transaction refused.
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { envelopeSchemaOf } from '../../functions/shared/contracts/index';
import { flourFields } from '../unit/fixtures/inventory-items';
import { bearer, createSite, createUser, type TestUser } from './support/identity';
import { createStockItem, itemPath, onHandOf, stockSite, type StockSite } from './support/inventory';
import { expectStatus, idempotencyKey } from './support/orders';
import { subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { api, describeLocal, dynamo, eventually, tableName, uniqueId } from './support/target';

jest.setTimeout(90_000);

const TABLE = tableName('inventory');
let site: StockSite;
let supplierId: string;
const item = { flour: '', oil: '', t65: '', eggs: '' };

const posPath = (siteId: string) => `/sites/${siteId}/inventory/purchase-orders`;
const poPath = (siteId: string, purchaseOrderId: string) => `${posPath(siteId)}/${purchaseOrderId}`;

/** A supplier and its offers as the suppliers slice keeps them (table.ts), written directly: this suite tests POs. */
async function supplierWithOffers(siteId: string, offers: Array<{ itemId: string; packUnit: string; packSize: number; packPrice: number }>, minimumOrderValue = 5000): Promise<string> {
  const id = uniqueId('supplier');
  const now = new Date().toISOString();
  await dynamo.send(
    new PutCommand({
      TableName: TABLE,
      Item: {
        pk: `SITE#${siteId}#SUPPLIERS`,
        sk: `SUPPLIER#${id}`,
        siteId,
        supplierId: id,
        name: 'Green Valley Produce',
        contact: {},
        leadTimeDays: 1,
        deliveryWeekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        orderCutOff: '14:00',
        deliveryTime: '10:00',
        minimumOrderValue,
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
    }),
  );
  for (const offer of offers) {
    await dynamo.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: `SITE#${siteId}#SUPPLIER#${id}`, sk: `OFFER#${offer.itemId}`, siteId, supplierId: id, ...offer, recentPrices: [], version: 1, updatedAt: now },
      }),
    );
  }
  return id;
}

const createPo = (user: TestUser, body: Record<string, unknown>, siteId = site.siteId, key = idempotencyKey()) => api('POST', posPath(siteId), { body, headers: { ...bearer(user), ...key } });
const act = (user: TestUser, purchaseOrderId: string, body: Record<string, unknown>) => api('POST', `${poPath(site.siteId, purchaseOrderId)}/actions`, { body, headers: bearer(user) });
const receipt = (user: TestUser, purchaseOrderId: string, body: Record<string, unknown>, key = idempotencyKey()) =>
  api('POST', `${poPath(site.siteId, purchaseOrderId)}/receipts`, { body, headers: { ...bearer(user), ...key } });

/** A PO of `lines` taken to `sent`; its version then. */
async function sentPo(lines: Array<{ itemId: string; packs: number }>): Promise<{ purchaseOrderId: string; version: number }> {
  const created = await expectStatus(createPo(site.manager, { supplierId, lines }), 201);
  const { purchaseOrderId } = created.json;
  await expectStatus(act(site.manager, purchaseOrderId, { action: 'approve' }), 200);
  const sent = await expectStatus(act(site.manager, purchaseOrderId, { action: 'send' }), 200);
  return { purchaseOrderId, version: sent.json.version };
}

const stored = async (purchaseOrderId: string) =>
  (await dynamo.send(new GetCommand({ TableName: TABLE, Key: { pk: `SITE#${site.siteId}#PO#${purchaseOrderId}`, sk: 'PO' }, ConsistentRead: true }))).Item;

beforeAll(async () => {
  site = await stockSite();
  const made = await Promise.all([
    createStockItem(site, { itemId: uniqueId('flour'), ...flourFields, locations: ['dry-store', 'line'] }),
    createStockItem(site, { itemId: uniqueId('oil'), name: 'Olive oil', category: 'oils', baseUnit: 'ml', units: [{ name: 'bottle', quantity: 750, unit: 'ml' }], locations: ['dry-store'] }),
    createStockItem(site, { itemId: uniqueId('t65'), ...flourFields, name: 'Flour T65', locations: ['dry-store'] }),
    createStockItem(site, { itemId: uniqueId('eggs'), name: 'Eggs', category: 'dairy', baseUnit: 'each', locations: ['walk-in'] }),
  ]);
  [item.flour, item.oil, item.t65, item.eggs] = made.map((m: { itemId: string }) => m.itemId) as [string, string, string, string];
  supplierId = await supplierWithOffers(site.siteId, [
    { itemId: item.flour, packUnit: 'case', packSize: 6_000_000, packPrice: 1140 },
    { itemId: item.oil, packUnit: 'bottle', packSize: 750_000, packPrice: 980 },
  ]);
}, 120_000);

describe('a PO from order to delivery', () => {
  let purchaseOrderId: string;

  it('a manual PO is a draft priced from the offers, flagged below the minimum; an item not offered is a 422', async () => {
    const created = await expectStatus(createPo(site.manager, { supplierId, lines: [{ itemId: item.flour, packs: 2 }] }), 201);
    purchaseOrderId = created.json.purchaseOrderId;
    expect(created.headers.get('location')).toBe(poPath(site.siteId, purchaseOrderId));
    expect(created.json).toMatchObject({
      supplierId,
      status: 'draft',
      lines: [{ lineId: 'L1', itemId: item.flour, packUnit: 'case', packSize: 6000, packPrice: 1140, packs: 2, receivedPacks: 0, receivedCost: 0 }],
      total: 2280,
      belowMinimum: true,
      version: 1,
    });
    expect(await stored(purchaseOrderId)).toMatchObject({ poPk: `SITE#${site.siteId}#PO-OPEN`, poSk: `${supplierId}#${purchaseOrderId}` });
    const notOffered = await createPo(site.manager, { supplierId, lines: [{ itemId: item.eggs, packs: 1 }] });
    expect({ status: notOffered.status, message: notOffered.json.error.message }).toEqual({ status: 422, message: expect.stringContaining(item.eggs) });
    const noSupplier = await createPo(site.manager, { supplierId: 'nobody', lines: [{ itemId: item.flour, packs: 1 }] });
    expect(noSupplier.status).toBe(422);
  });

  it('a double submit under one Idempotency-Key makes one draft and answers the same bytes; without a key it is a 400', async () => {
    const key = idempotencyKey();
    const body = { supplierId, lines: [{ itemId: item.flour, packs: 1 }] };
    const [first, second] = await Promise.all([createPo(site.manager, body, site.siteId, key), createPo(site.manager, body, site.siteId, key)]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.text).toBe(first.text);
    const again = await expectStatus(createPo(site.manager, body, site.siteId, key), 201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const otherBody = await createPo(site.manager, { ...body, lines: [{ itemId: item.flour, packs: 3 }] }, site.siteId, key);
    expect(otherBody.status).toBe(422);
    const keyless = await api('POST', posPath(site.siteId), { body, headers: bearer(site.manager) });
    expect({ status: keyless.status, code: keyless.json.error.code }).toMatchObject({ status: 400 });
    // The draft it made is cancelled, so the listing tests below see only theirs.
    await expectStatus(act(site.manager, first.json.purchaseOrderId, { action: 'cancel' }), 200);
  });

  it('prices from an offer set through the suppliers API (its pack size from the item’s units)', async () => {
    const id = uniqueId('supplier');
    const body = { supplierId: id, name: 'Mill & Co', contact: {}, leadTimeDays: 2, deliveryWeekdays: ['tue', 'fri'], orderCutOff: '12:00', minimumOrderValue: 0 };
    await expectStatus(api('POST', `/sites/${site.siteId}/inventory/suppliers`, { body, headers: bearer(site.manager) }), 201);
    await expectStatus(api('PUT', `/sites/${site.siteId}/inventory/suppliers/${id}/items/${item.flour}`, { body: { packUnit: 'case', packPrice: 1190 }, headers: bearer(site.manager) }), 201);
    const created = await expectStatus(createPo(site.manager, { supplierId: id, lines: [{ itemId: item.flour, packs: 2 }] }), 201);
    expect(created.json).toMatchObject({ supplierId: id, lines: [{ itemId: item.flour, packUnit: 'case', packSize: 6000, packPrice: 1190, packs: 2 }], total: 2380, belowMinimum: false });
  });

  it('edits the draft on the version read: lines repriced, ids kept; a stale expectedVersion is a 409', async () => {
    const edited = await expectStatus(
      api('PATCH', poPath(site.siteId, purchaseOrderId), { body: { lines: [{ itemId: item.flour, packs: 3 }, { itemId: item.oil, packs: 6 }], expectedVersion: 1 }, headers: bearer(site.manager) }),
      200,
    );
    expect(edited.json).toMatchObject({ lines: [{ lineId: 'L1', packs: 3 }, { lineId: 'L2', itemId: item.oil, packSize: 750, packs: 6 }], total: 3420 + 5880, belowMinimum: false, version: 2 });
    const stale = await api('PATCH', poPath(site.siteId, purchaseOrderId), { body: { lines: [{ itemId: item.flour, packs: 1 }], expectedVersion: 1 }, headers: bearer(site.manager) });
    expect({ status: stale.status, code: stale.json.error.code }).toEqual({ status: 409, code: 'CONFLICT' });
    expect((await stored(purchaseOrderId))).toMatchObject({ version: 2, total: 9300 });
  });

  it('approves and sends: the delivery is dated; a sent PO is no longer edited (409); a draft takes no receipt (409)', async () => {
    const draft = await expectStatus(createPo(site.manager, { supplierId, lines: [{ itemId: item.oil, packs: 1 }] }), 201);
    const early = await receipt(site.staff, draft.json.purchaseOrderId, { lines: [{ lineId: 'L1', packs: 1, packPrice: 980, location: 'dry-store' }] });
    expect({ status: early.status, message: early.json.error.message }).toEqual({ status: 409, message: expect.stringContaining('draft') });

    expect((await expectStatus(act(site.manager, purchaseOrderId, { action: 'approve', expectedVersion: 2 }), 200)).json).toMatchObject({ status: 'approved', version: 3 });
    const sent = await expectStatus(act(site.manager, purchaseOrderId, { action: 'send' }), 200);
    expect(sent.json).toMatchObject({ status: 'sent', version: 4, deliveryDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), sentAt: expect.any(String) });
    const edit = await api('PATCH', poPath(site.siteId, purchaseOrderId), { body: { lines: [{ itemId: item.flour, packs: 1 }] }, headers: bearer(site.manager) });
    expect(edit.status).toBe(409);
  });

  it('a partial delivery books a receive movement per line: on-hand, average cost, the ledger entry names the PO', async () => {
    const res = await expectStatus(receipt(site.staff, purchaseOrderId, { expectedVersion: 4, lines: [{ lineId: 'L1', packs: 2, packPrice: 1140, location: 'dry-store' }] }), 201);
    expect(res.json.purchaseOrder).toMatchObject({ status: 'partially-received', version: 5, lines: [{ lineId: 'L1', receivedPacks: 2, receivedCost: 2280, receivedAtVersion: 5 }, { lineId: 'L2', receivedPacks: 0 }] });
    expect(res.json.receipt).toMatchObject({ flags: [], receivedCost: 2280, by: site.staff.userId, version: 5 });
    expect(res.json.movements).toEqual([expect.objectContaining({ itemId: item.flour, kind: 'receive', purchaseOrderId, value: 2280, changes: [{ location: 'dry-store', before: 0, after: 12_000_000 }] })]);
    expect(await onHandOf(site, item.flour)).toMatchObject({ totalOnHand: 12_000 });
    // 22.80 for 12 kg: 1.90 per kg.
    expect((await api('GET', itemPath(site.siteId, item.flour), { headers: bearer(site.staff) })).json.averageCost).toBe(190);
    const ledger = await dynamo.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#ITEM#${item.flour}` }, ConsistentRead: true }));
    expect(ledger.Items).toEqual([expect.objectContaining({ kind: 'receive', purchaseOrderId, value: 2280, by: site.staff.userId })]);
    const read = await expectStatus(api('GET', poPath(site.siteId, purchaseOrderId), { headers: bearer(site.staff) }), 200);
    expect(read.json.receipts).toEqual([expect.objectContaining({ receiptId: res.json.receipt.receiptId, lines: [expect.objectContaining({ lineId: 'L1', packs: 2, itemId: item.flour })] })]);
  });

  it('the second delivery completes it: received, out of the open list, in the received list', async () => {
    const res = await expectStatus(
      receipt(site.staff, purchaseOrderId, { lines: [{ lineId: 'L1', packs: 1, packPrice: 1140, location: 'line' }, { lineId: 'L2', packs: 6, packPrice: 980, location: 'dry-store' }] }),
      201,
    );
    expect(res.json.purchaseOrder).toMatchObject({ status: 'received', version: 6, closedAt: expect.any(String), receiptCount: 2 });
    expect(await onHandOf(site, item.flour)).toEqual({ onHand: { 'dry-store': 12_000, line: 6000 }, totalOnHand: 18_000 });
    expect(await onHandOf(site, item.oil)).toMatchObject({ totalOnHand: 4500 });
    const after = await stored(purchaseOrderId);
    expect(after).toMatchObject({ status: 'received', version: 6 });
    expect(after).not.toHaveProperty('poPk');
    const open = await expectStatus(api('GET', `${posPath(site.siteId)}?limit=100`, { headers: bearer(site.manager) }), 200);
    expect(open.json.purchaseOrders.map((p: { purchaseOrderId: string }) => p.purchaseOrderId)).not.toContain(purchaseOrderId);
    const received = await expectStatus(api('GET', `${posPath(site.siteId)}?status=received`, { headers: bearer(site.manager) }), 200);
    expect(received.json.purchaseOrders).toEqual([expect.objectContaining({ purchaseOrderId, status: 'received', version: 6 })]);
    const more = await receipt(site.staff, purchaseOrderId, { lines: [{ lineId: 'L1', packs: 1, packPrice: 1140, location: 'line' }] });
    expect(more.status).toBe(409);
  });

  it('answers the order sheet a supplier reads as CSV (?format=csv); a format it does not know is a 400', async () => {
    const sheet = await expectStatus(api('GET', `${poPath(site.siteId, purchaseOrderId)}?format=csv`, { headers: bearer(site.manager) }), 200);
    expect(sheet.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(sheet.headers.get('content-disposition')).toContain(`purchase-order-${supplierId}-${purchaseOrderId}.csv`);
    const [header, ...rows] = sheet.text.trim().split('\r\n');
    expect(header).toBe('row,line,item_id,item_name,supplier_sku,pack,packs,received_packs,pack_price_minor,pack_price,line_total_minor,line_total,currency');
    expect(rows.filter((row) => row.startsWith('line,'))).toHaveLength(2);
    expect(rows.at(-1)).toMatch(/^total,/);
    expect((await api('GET', `${poPath(site.siteId, purchaseOrderId)}?format=pdf`, { headers: bearer(site.manager) })).status).toBe(400);
  });
});

describe('concurrent receipts, substitutions, prices, replays', () => {
  it('5 concurrent receipts of one line against the same version: exactly 1 wins, 4 get 409, on-hand is exact', async () => {
    const before = (await onHandOf(site, item.oil)).totalOnHand;
    const { purchaseOrderId, version } = await sentPo([{ itemId: item.oil, packs: 10 }]);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => receipt(site.staff, purchaseOrderId, { expectedVersion: version, lines: [{ lineId: 'L1', packs: 2, packPrice: 980, location: 'dry-store' }] })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const lost of results.filter((r) => r.status === 409)) expect(lost.json.error.message).toMatch(/L1|changing/);
    expect((await onHandOf(site, item.oil)).totalOnHand).toBe(before + 1500);
    expect(await stored(purchaseOrderId)).toMatchObject({ version: version + 1, receiptCount: 1, lines: [expect.objectContaining({ receivedPacks: 2 })] });
  });

  it('a substitute is booked as itself in the line pack unit and flagged; one whose units do not convert is a 422', async () => {
    const { purchaseOrderId } = await sentPo([{ itemId: item.flour, packs: 1 }]);
    const t65Before = (await onHandOf(site, item.t65)).totalOnHand;
    const eggs = await receipt(site.staff, purchaseOrderId, { lines: [{ lineId: 'L1', packs: 1, packPrice: 1140, location: 'walk-in', substituteItemId: item.eggs }] });
    expect({ status: eggs.status, message: eggs.json.error.message }).toEqual({ status: 422, message: expect.stringContaining(item.eggs) });
    const unknown = await receipt(site.staff, purchaseOrderId, { lines: [{ lineId: 'L1', packs: 1, packPrice: 1140, location: 'dry-store', substituteItemId: 'no-such-item' }] });
    expect(unknown.status).toBe(422);
    const res = await expectStatus(receipt(site.staff, purchaseOrderId, { lines: [{ lineId: 'L1', packs: 1, packPrice: 1140, location: 'dry-store', substituteItemId: item.t65 }] }), 201);
    expect(res.json.receipt.flags).toEqual([{ kind: 'substituted', lineId: 'L1', ordered: item.flour, delivered: item.t65 }]);
    expect(res.json.purchaseOrder.lines[0]).toMatchObject({ receivedPacks: 1, flags: ['substituted'] });
    expect(res.json.movements).toEqual([expect.objectContaining({ itemId: item.t65, purchaseOrderId })]);
    expect((await onHandOf(site, item.t65)).totalOnHand).toBe(t65Before + 6000);
  });

  it('an invoice price other than ordered is booked at the invoice and flagged with the difference', async () => {
    const { purchaseOrderId } = await sentPo([{ itemId: item.oil, packs: 4 }]);
    const res = await expectStatus(receipt(site.staff, purchaseOrderId, { lines: [{ lineId: 'L1', packs: 4, packPrice: 1010, location: 'dry-store' }] }), 201);
    expect(res.json.receipt.flags).toEqual([{ kind: 'price-difference', lineId: 'L1', orderedPackPrice: 980, invoicedPackPrice: 1010, difference: 120 }]);
    expect(res.json.purchaseOrder).toMatchObject({ status: 'received', lines: [{ receivedCost: 4040, flags: ['price-difference'] }] });
    expect(res.json.movements[0]).toMatchObject({ value: 4040 });
  });

  it('a replayed Idempotency-Key answers the same bytes and books nothing more; another body under it is a 422', async () => {
    const { purchaseOrderId } = await sentPo([{ itemId: item.oil, packs: 3 }]);
    const before = (await onHandOf(site, item.oil)).totalOnHand;
    const key = idempotencyKey();
    const body = { lines: [{ lineId: 'L1', packs: 1, packPrice: 980, location: 'dry-store' }] };
    const first = await expectStatus(receipt(site.staff, purchaseOrderId, body, key), 201);
    const again = await expectStatus(receipt(site.staff, purchaseOrderId, body, key), 201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await onHandOf(site, item.oil)).totalOnHand).toBe(before + 750);
    const other = await receipt(site.staff, purchaseOrderId, { lines: [{ lineId: 'L1', packs: 2, packPrice: 980, location: 'dry-store' }] }, key);
    expect(other.status).toBe(422);
  });
});

describe('transitions, listing, access', () => {
  it('illegal transitions are 409s naming from → to; close short and cancel close the PO', async () => {
    const draft = await expectStatus(createPo(site.manager, { supplierId, lines: [{ itemId: item.oil, packs: 2 }] }), 201);
    const id = draft.json.purchaseOrderId;
    const send = await act(site.manager, id, { action: 'send' });
    expect({ status: send.status, message: send.json.error.message }).toEqual({ status: 409, message: expect.stringContaining('draft → sent') });
    expect((await act(site.manager, id, { action: 'close-short' })).status).toBe(409);
    const drafts = await expectStatus(api('GET', `${posPath(site.siteId)}?status=draft&limit=100`, { headers: bearer(site.manager) }), 200);
    expect(drafts.json.purchaseOrders.map((p: { purchaseOrderId: string }) => p.purchaseOrderId)).toContain(id);
    expect((await expectStatus(act(site.manager, id, { action: 'cancel' }), 200)).json).toMatchObject({ status: 'cancelled', closedAt: expect.any(String) });
    const cancelled = await expectStatus(api('GET', `${posPath(site.siteId)}?status=cancelled`, { headers: bearer(site.manager) }), 200);
    expect(cancelled.json.purchaseOrders.map((p: { purchaseOrderId: string }) => p.purchaseOrderId)).toContain(id);
    expect((await act(site.manager, id, { action: 'approve' })).status).toBe(409);

    const { purchaseOrderId } = await sentPo([{ itemId: item.oil, packs: 2 }]);
    await expectStatus(receipt(site.staff, purchaseOrderId, { lines: [{ lineId: 'L1', packs: 1, packPrice: 980, location: 'dry-store' }] }), 201);
    const cancel = await act(site.manager, purchaseOrderId, { action: 'cancel' });
    expect({ status: cancel.status, message: cancel.json.error.message }).toEqual({ status: 409, message: expect.stringContaining('partially-received → cancelled') });
    const closed = await expectStatus(act(site.manager, purchaseOrderId, { action: 'close-short' }), 200);
    expect(closed.json).toMatchObject({ status: 'received', shortClosed: true, lines: [{ packs: 2, receivedPacks: 1 }] });
    expect(await stored(purchaseOrderId)).not.toHaveProperty('poPk');
  });

  it('concurrent actions on one PO: one wins, the others are 409s, never a 500', async () => {
    const created = await expectStatus(createPo(site.manager, { supplierId, lines: [{ itemId: item.oil, packs: 1 }] }), 201);
    const id = created.json.purchaseOrderId;
    await expectStatus(act(site.manager, id, { action: 'approve' }), 200);
    const results = await Promise.all(Array.from({ length: 5 }, () => act(site.manager, id, { action: 'send' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await stored(id)).toMatchObject({ status: 'sent', version: 3 });
  });

  it('lists open POs page by page with a cursor bound to the site and status', async () => {
    const other = await stockSite();
    await Promise.all([1, 2, 3].map(() => expectStatus(createPo(site.manager, { supplierId, lines: [{ itemId: item.flour, packs: 1 }] }), 201)));
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await expectStatus(api('GET', `${posPath(site.siteId)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(site.manager) }), 200);
      expect(page.json.purchaseOrders.length).toBeLessThanOrEqual(2);
      for (const po of page.json.purchaseOrders) {
        expect(['draft', 'approved', 'sent', 'partially-received']).toContain(po.status);
        seen.add(po.purchaseOrderId);
      }
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    const first = await expectStatus(api('GET', `${posPath(site.siteId)}?limit=1`, { headers: bearer(site.manager) }), 200);
    const foreign = await api('GET', `${posPath(other.siteId)}?limit=1&cursor=${first.json.nextCursor}`, { headers: bearer(other.manager) });
    expect({ status: foreign.status, code: foreign.json.error.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    const otherStatus = await api('GET', `${posPath(site.siteId)}?limit=1&status=draft&cursor=${first.json.nextCursor}`, { headers: bearer(site.manager) });
    expect(otherStatus.status).toBe(400);
  });

  it('another site’s PO is a 404 on every PO route; staff on manager routes are 403, and read a PO', async () => {
    const { purchaseOrderId } = await sentPo([{ itemId: item.oil, packs: 1 }]);
    const other = await createSite();
    const owner = await createUser('owner', []);
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { lines: [{ itemId: item.oil, packs: 1 }] }],
      ['POST', '/actions', { action: 'cancel' }],
      ['POST', '/receipts', { lines: [{ lineId: 'L1', packs: 1, packPrice: 980, location: 'dry-store' }] }],
    ] as const) {
      const res = await api(method, `${poPath(other, purchaseOrderId)}${suffix}`, { body, headers: { ...bearer(owner), ...idempotencyKey() } });
      expect({ method, suffix, status: res.status, code: res.json?.error?.code }).toEqual({ method, suffix, status: 404, code: 'NOT_FOUND' });
    }
    for (const [method, path, body] of [
      ['POST', posPath(site.siteId), { supplierId, lines: [{ itemId: item.oil, packs: 1 }] }],
      ['GET', posPath(site.siteId), undefined],
      ['PATCH', poPath(site.siteId, purchaseOrderId), { lines: [{ itemId: item.oil, packs: 1 }] }],
      ['POST', `${poPath(site.siteId, purchaseOrderId)}/actions`, { action: 'cancel' }],
    ] as const) {
      const res = await api(method, path, { body, headers: bearer(site.staff) });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
    expect((await api('GET', poPath(site.siteId, purchaseOrderId), { headers: bearer(site.staff) })).status).toBe(200);
    expect((await stored(purchaseOrderId))?.status).toBe('sent');
  });

  it('bad input is a 4xx JSON error, never a 500', async () => {
    const { purchaseOrderId } = await sentPo([{ itemId: item.oil, packs: 1 }]);
    const cases: Array<[string, string, unknown, number]> = [
      ['GET', `${posPath(site.siteId)}?status=lost`, undefined, 400],
      ['GET', `${posPath(site.siteId)}?limit=0`, undefined, 400],
      ['GET', `${posPath(site.siteId)}?cursor=not-a-cursor`, undefined, 400],
      ['GET', poPath(site.siteId, 'bad%20id'), undefined, 400],
      ['GET', poPath(site.siteId, 'x'.repeat(65)), undefined, 400],
      ['GET', poPath(site.siteId, 'no-such-po'), undefined, 404],
      ['POST', posPath(site.siteId), { supplierId, lines: [] }, 400],
      ['POST', posPath(site.siteId), { supplierId, lines: [{ itemId: item.oil, packs: 1e9 }] }, 400],
      ['POST', posPath(site.siteId), { supplierId, lines: [{ itemId: item.oil, packs: 1 }, { itemId: item.oil, packs: 2 }] }, 400],
      ['POST', posPath(site.siteId), { supplierId, lines: [{ itemId: item.oil, packs: 1.5 }] }, 400],
      ['POST', `${poPath(site.siteId, purchaseOrderId)}/actions`, { action: 'explode' }, 400],
      ['POST', `${poPath(site.siteId, purchaseOrderId)}/actions`, { action: 'approve', expectedVersion: -1 }, 400],
      ['POST', `${poPath(site.siteId, purchaseOrderId)}/receipts`, { lines: [{ lineId: 'L1', packs: 1, packPrice: -5, location: 'dry-store' }] }, 400],
      ['POST', `${poPath(site.siteId, purchaseOrderId)}/receipts`, { lines: [{ lineId: 'L1', packs: 1, packPrice: 1e15, location: 'dry-store' }] }, 400],
      ['POST', `${poPath(site.siteId, purchaseOrderId)}/receipts`, { lines: [{ lineId: 'L9', packs: 1, packPrice: 980, location: 'dry-store' }] }, 422],
      ['POST', `${poPath(site.siteId, purchaseOrderId)}/receipts`, { lines: [{ lineId: 'L1', packs: 1, packPrice: 980, location: 'freezer' }] }, 422],
      ['POST', `${poPath(site.siteId, purchaseOrderId)}/receipts`, { lines: [{ lineId: 'L1', packs: 1, packPrice: 980, location: 'dry-store' }, { lineId: 'L1', packs: 1, packPrice: 980, location: 'dry-store' }] }, 422],
      ['POST', `${poPath(site.siteId, purchaseOrderId)}/receipts`, { expectedVersion: 99, lines: [{ lineId: 'L1', packs: 1, packPrice: 980, location: 'dry-store' }] }, 409],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await api(method, path, { body, headers: { ...bearer(site.manager), ...idempotencyKey() } });
      expect({ method, path, status: res.status, error: typeof res.json?.error?.code }).toEqual({ method, path, status, error: 'string' });
    }
    const noKey = await api('POST', `${poPath(site.siteId, purchaseOrderId)}/receipts`, { body: { lines: [{ lineId: 'L1', packs: 1, packPrice: 980, location: 'dry-store' }] }, headers: bearer(site.staff) });
    expect(noKey.status).toBe(400);
  });

  it('a receipt needing more than one transaction (100 items) is a 400 saying the limit, and books nothing', async () => {
    const many = await Promise.all(
      Array.from({ length: 26 }, () => createStockItem(site, { itemId: uniqueId('herb'), name: 'Herb', category: 'herbs', baseUnit: 'g', units: [{ name: 'bunch', quantity: 50, unit: 'g' }], locations: ['walk-in'] })),
    );
    const ids = many.map((m: { itemId: string }) => m.itemId);
    const herbSupplier = await supplierWithOffers(site.siteId, ids.map((itemId) => ({ itemId, packUnit: 'bunch', packSize: 50_000, packPrice: 150 })), 0);
    const created = await expectStatus(createPo(site.manager, { supplierId: herbSupplier, lines: ids.map((itemId) => ({ itemId, packs: 1 })) }), 201);
    const id = created.json.purchaseOrderId;
    await expectStatus(act(site.manager, id, { action: 'approve' }), 200);
    await expectStatus(act(site.manager, id, { action: 'send' }), 200);
    const lines = created.json.lines.map((l: { lineId: string }) => ({ lineId: l.lineId, packs: 1, packPrice: 150, location: 'walk-in' }));
    const res = await receipt(site.staff, id, { lines });
    expect({ status: res.status, message: res.json.error.message }).toEqual({ status: 400, message: expect.stringContaining('at most 100') });
    const untouched = await stored(id);
    expect(untouched).toMatchObject({ status: 'sent' });
    expect(untouched).not.toHaveProperty('receiptCount');
    expect((await onHandOf(site, ids[0]!)).totalOnHand).toBe(0);
    await expectStatus(receipt(site.staff, id, { lines: lines.slice(0, 13) }), 201);
    await expectStatus(receipt(site.staff, id, { lines: lines.slice(13) }), 201);
    expect(await stored(id)).toMatchObject({ status: 'received' });
  });
});

describeLocal('events (local: the test serves the HTTP endpoint the topic delivers to)', () => {
  const received: Array<{ id: string; type: string; data: Record<string, any>; raw: unknown }> = [];
  let subscriber: HttpSubscriber | undefined;
  beforeAll(async () => {
    subscriber = await subscribeHttp('events', { siteId: [site.siteId], type: ['inventory.purchase-order-sent', 'inventory.purchase-order-received'] }, (envelope) =>
      received.push({ ...envelope, raw: envelope }),
    );
  });
  afterAll(async () => {
    await subscriber?.close();
  });

  it('sending and receiving publish their events once through the outbox, matching their contracts', async () => {
    const { purchaseOrderId, version } = await sentPo([{ itemId: item.oil, packs: 2 }]);
    const res = await expectStatus(receipt(site.staff, purchaseOrderId, { lines: [{ lineId: 'L1', packs: 2, packPrice: 1000, location: 'dry-store' }] }), 201);
    const sent = await eventually(async () => received.find((e) => e.id === `purchase-order:${purchaseOrderId}:v${version}`), 15_000, 'purchase-order-sent');
    const done = await eventually(async () => received.find((e) => e.id === `purchase-order:${purchaseOrderId}:v${res.json.purchaseOrder.version}`), 15_000, 'purchase-order-received');
    expect(envelopeSchemaOf('inventory.purchase-order-sent').safeParse(sent.raw).error?.issues ?? []).toEqual([]);
    expect(envelopeSchemaOf('inventory.purchase-order-received').safeParse(done.raw).error?.issues ?? []).toEqual([]);
    expect(sent.data).toMatchObject({ purchaseOrderId, supplierName: 'Green Valley Produce', lines: [{ itemId: item.oil, packSize: 750, packs: 2 }], total: 1960, sentBy: site.manager.userId });
    expect(done.data).toMatchObject({ status: 'received', receivedCost: 2000, priceDifference: 40, substitutions: 0, overReceived: [], receivedBy: site.staff.userId });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received.filter((e) => e.id === sent.id || e.id === done.id)).toHaveLength(2);
  });
});
