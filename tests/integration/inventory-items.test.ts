// Stock items and the movement ledger over the running stack: items created, read, listed page by page, edited on
// the version read and archived; receipts, counts, waste, transfers and adjustments change on-hand in the same
// transaction as their ledger entry (read back from the table, not only the response) and are published once as
// events; bad input is a 4xx JSON error.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { envelopeSchemaOf } from '../../functions/shared/contracts/index';
import { flourFields } from '../unit/fixtures/inventory-items';
import { bearer, createSite, createUser } from './support/identity';
import { createStockItem, itemPath, itemsPath, move, onHandOf, stockSite, type StockSite } from './support/inventory';
import { expectStatus, idempotencyKey } from './support/orders';
import { subscribeHttp, type HttpSubscriber } from './support/sns-subscriber';
import { api, describeLocal, dynamo, eventually, tableName, uniqueId } from './support/target';

jest.setTimeout(60_000);

let site: StockSite;
const flour = () => ({
  itemId: uniqueId('flour'),
  ...flourFields,
  locations: ['dry-store', 'line'],
  par: { quantity: 2, unit: 'case' },
  reorderPoint: { quantity: 3, unit: 'bag' },
});

beforeAll(async () => {
  site = await stockSite();
}, 120_000);

describe('stock items', () => {
  it('creates an item (201, Location), reads it with zero on-hand, and refuses the same id twice (409)', async () => {
    const body = flour();
    const created = await createStockItem(site, body);
    expect(created).toMatchObject({ itemId: body.itemId, baseUnit: 'g', depleteFrom: 'dry-store', par: 12_000, reorderPoint: 3000, averageCost: 0, archived: false, version: 1 });
    const read = await expectStatus(api('GET', itemPath(site.siteId, body.itemId), { headers: bearer(site.staff) }), 200);
    expect(read.json).toMatchObject({ itemId: body.itemId, onHand: {}, totalOnHand: 0 });
    const again = await api('POST', itemsPath(site.siteId), { body, headers: bearer(site.manager) });
    expect({ status: again.status, code: again.json.error.code }).toEqual({ status: 409, code: 'CONFLICT' });
  });

  it('refuses units that do not convert (400 naming the item and field) and unknown fields (400)', async () => {
    const each = await api('POST', itemsPath(site.siteId), { body: { ...flour(), par: { quantity: 2, unit: 'each' } }, headers: bearer(site.manager) });
    expect(each.status).toBe(400);
    expect(each.json.error.details).toEqual([expect.objectContaining({ path: 'par', message: expect.stringContaining('each does not convert') })]);
    const cycle = await api('POST', itemsPath(site.siteId), {
      body: { ...flour(), units: [{ name: 'box', quantity: 2, unit: 'crate' }, { name: 'crate', quantity: 2, unit: 'box' }] },
      headers: bearer(site.manager),
    });
    expect(cycle.status).toBe(400);
    const extra = await api('POST', itemsPath(site.siteId), { body: { ...flour(), averageCost: 5 }, headers: bearer(site.manager) });
    expect({ status: extra.status, code: extra.json.error.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('an item of another site, or none, is a 404 JSON error on every item route', async () => {
    const other = await createSite();
    const owner = await createUser('owner', []);
    const body = flour();
    await createStockItem(site, body);
    for (const [method, suffix, payload] of [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'Renamed' }],
      ['GET', '/movements', undefined],
      ['POST', '/waste', { location: 'dry-store', quantity: 1, unit: 'g', reason: 'spoiled' }],
    ] as const) {
      const res = await api(method, `${itemPath(other, body.itemId)}${suffix}`, { body: payload, headers: { ...bearer(owner), ...idempotencyKey() } });
      expect({ method, suffix, status: res.status, code: res.json?.error?.code }).toEqual({ method, suffix, status: 404, code: 'NOT_FOUND' });
    }
  });

  it('lists items page by page with a cursor bound to the site', async () => {
    const listed = await Promise.all([flour(), flour(), flour()].map((body) => createStockItem(site, body)));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await expectStatus(api('GET', `${itemsPath(site.siteId)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(site.staff) }), 200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items.map((i: { itemId: string }) => i.itemId));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(listed.map((i) => i.itemId)));
    const first = await expectStatus(api('GET', `${itemsPath(site.siteId)}?limit=1`, { headers: bearer(site.staff) }), 200);
    const other = await stockSite();
    const foreign = await api('GET', `${itemsPath(other.siteId)}?limit=1&cursor=${first.json.nextCursor}`, { headers: bearer(other.staff) });
    expect({ status: foreign.status, code: foreign.json.error.code }).toEqual({ status: 400, code: 'BAD_REQUEST' });
  });

  it('edits on the version read: a stale expectedVersion is a 409 and changes nothing; staff may not edit (403)', async () => {
    const { itemId } = await createStockItem(site, flour());
    const edited = await expectStatus(api('PATCH', itemPath(site.siteId, itemId), { body: { par: { quantity: 1, unit: 'case' }, expectedVersion: 1 }, headers: bearer(site.manager) }), 200);
    expect(edited.json).toMatchObject({ par: 6000, version: 2 });
    const stale = await api('PATCH', itemPath(site.siteId, itemId), { body: { name: 'Stale', expectedVersion: 1 }, headers: bearer(site.manager) });
    expect({ status: stale.status, code: stale.json.error.code }).toEqual({ status: 409, code: 'CONFLICT' });
    const byStaff = await api('PATCH', itemPath(site.siteId, itemId), { body: { name: 'Staff' }, headers: bearer(site.staff) });
    expect(byStaff.status).toBe(403);
    const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: `SITE#${site.siteId}#STOCK`, sk: `ITEM#${itemId}` } }));
    expect(Item).toMatchObject({ name: 'Flour T55', par: 6_000_000, version: 2 });
  });
});

describe('a new location or unit for an existing item', () => {
  it('adds them (a retry adds nothing twice), takes stock there and in them, and depletes sales from where the manager says', async () => {
    const { itemId } = await createStockItem(site, flour());
    const path = itemPath(site.siteId, itemId);
    const add = { addLocations: ['freezer'], addUnits: [{ name: 'sack', quantity: 25, unit: 'kg' }], depleteFrom: 'freezer', par: { quantity: 1, unit: 'sack' } };
    const edited = await expectStatus(api('PATCH', path, { body: add, headers: bearer(site.manager) }), 200);
    expect(edited.json).toMatchObject({ locations: ['dry-store', 'line', 'freezer'], depleteFrom: 'freezer', par: 25_000, version: 2 });
    expect(edited.json.units.map((u: { name: string }) => u.name)).toEqual(['bag', 'case', 'sack']);
    const again = await expectStatus(api('PATCH', path, { body: { addLocations: ['freezer', 'line'], addUnits: [{ name: 'sack', quantity: 25, unit: 'kg' }] }, headers: bearer(site.manager) }), 200);
    expect(again.json).toMatchObject({ locations: ['dry-store', 'line', 'freezer'], version: 3 });
    expect(again.json.units).toHaveLength(3);
    await expectStatus(move(site, site.manager, itemId, 'receipts', { location: 'freezer', quantity: 2, unit: 'sack', unitCost: 2000 }), 201);
    expect((await onHandOf(site, itemId)).onHand).toEqual({ freezer: 50_000 });
  });

  it('never redefines or removes: a unit defined otherwise, one that does not convert, too many, or an unknown depleteFrom is a 422 and changes nothing', async () => {
    const { itemId } = await createStockItem(site, flour());
    const path = itemPath(site.siteId, itemId);
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ addUnits: [{ name: 'bag', quantity: 2, unit: 'kg' }] }, 'addUnits'],
      [{ addUnits: [{ name: 'bottle', quantity: 1, unit: 'l' }] }, 'addUnits'],
      [{ addLocations: Array.from({ length: 9 }, (_, i) => `shelf-${i}`) }, 'addLocations'],
      [{ depleteFrom: 'garage' }, 'depleteFrom'],
      [{ addLocations: ['freezer'], depleteFrom: 'cellar' }, 'depleteFrom'],
    ];
    for (const [body, field] of refusals) {
      const res = await api('PATCH', path, { body, headers: bearer(site.manager) });
      expect({ status: res.status, code: res.json.error.code, field: res.json.error.details?.field }).toEqual({ status: 422, code: 'UNPROCESSABLE', field });
    }
    // Removing is not a thing an edit can say; a location named twice is a 400.
    expect((await api('PATCH', path, { body: { locations: ['line'] }, headers: bearer(site.manager) })).status).toBe(400);
    expect((await api('PATCH', path, { body: { addLocations: ['x', 'x'] }, headers: bearer(site.manager) })).status).toBe(400);
    const stored = await expectStatus(api('GET', path, { headers: bearer(site.manager) }), 200);
    expect(stored.json).toMatchObject({ locations: ['dry-store', 'line'], depleteFrom: 'dry-store', version: 1 });
    expect(stored.json.units).toHaveLength(2);
  });
});

describe('movements and on-hand', () => {
  let itemId: string;
  beforeAll(async () => {
    ({ itemId } = await createStockItem(site, flour()));
  });

  it('a receipt adds stock and sets the average cost; the ledger entry and on-hand row are in the table', async () => {
    const res = await expectStatus(move(site, site.staff, itemId, 'receipts', { location: 'dry-store', quantity: 2, unit: 'case', unitCost: 1800 }), 201);
    expect(res.json.movement).toMatchObject({ kind: 'receive', value: 3600, changes: [{ location: 'dry-store', before: 0, after: 12_000_000 }], by: site.staff.userId });
    expect(res.json).toMatchObject({ onHand: { 'dry-store': 12_000 }, totalOnHand: 12_000 });
    // 36.00 for 12 kg: 3.00 per kg, kept per 1 000 base units (g).
    expect((await api('GET', itemPath(site.siteId, itemId), { headers: bearer(site.staff) })).json.averageCost).toBe(300);
    const ledger = await dynamo.send(new QueryCommand({ TableName: tableName('inventory'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#ITEM#${itemId}` } }));
    expect(ledger.Items).toHaveLength(1);
    const row = await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: `SITE#${site.siteId}#STOCK`, sk: `ONHAND#${itemId}#dry-store` } }));
    expect(row.Item).toMatchObject({ quantity: 12_000_000, version: 1 });
  });

  it('a replayed Idempotency-Key answers the same response and records nothing; another body under it is a 422', async () => {
    const key = idempotencyKey();
    const body = { location: 'dry-store', quantity: 1, unit: 'bag', unitCost: 300 };
    const first = await expectStatus(move(site, site.staff, itemId, 'receipts', body, key), 201);
    const replay = await expectStatus(move(site, site.staff, itemId, 'receipts', body, key), 201);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const other = await move(site, site.staff, itemId, 'receipts', { ...body, quantity: 2 }, key);
    expect(other.status).toBe(422);
    const missing = await api('POST', `${itemPath(site.siteId, itemId)}/receipts`, { body, headers: bearer(site.staff) });
    expect(missing.status).toBe(400);
    expect((await onHandOf(site, itemId)).totalOnHand).toBe(13_000);
  });

  it('waste, transfer, count and adjustment move on-hand exactly; the ledger lists them newest first', async () => {
    await expectStatus(move(site, site.staff, itemId, 'waste', { location: 'dry-store', quantity: 500, unit: 'g', reason: 'spoiled' }), 201);
    await expectStatus(move(site, site.staff, itemId, 'transfers', { from: 'dry-store', to: 'line', quantity: 2.5, unit: 'kg' }), 201);
    const count = await expectStatus(move(site, site.staff, itemId, 'counts', { location: 'line', counted: [{ quantity: 2, unit: 'bag' }, { quantity: 250, unit: 'g' }] }), 201);
    expect(count.json.movement).toMatchObject({ kind: 'count', variance: -250_000 });
    const adjusted = await expectStatus(move(site, site.manager, itemId, 'adjustments', { location: 'dry-store', direction: 'add', quantity: 0.001, unit: 'kg', reason: 'scale recalibrated' }), 201);
    expect(adjusted.json).toMatchObject({ onHand: { 'dry-store': 10_001, line: 2250 }, totalOnHand: 12_251 });
    const ledger = await expectStatus(api('GET', `${itemPath(site.siteId, itemId)}/movements?limit=3`, { headers: bearer(site.staff) }), 200);
    expect(ledger.json.movements.map((m: { kind: string }) => m.kind)).toEqual(['adjustment', 'count', 'transfer']);
    const rest = await expectStatus(api('GET', `${itemPath(site.siteId, itemId)}/movements?limit=10&cursor=${ledger.json.nextCursor}`, { headers: bearer(site.staff) }), 200);
    expect(rest.json.movements.map((m: { kind: string }) => m.kind)).toEqual(['waste', 'receive', 'receive']);
    const onHand = await expectStatus(api('GET', `/sites/${site.siteId}/inventory/on-hand?itemId=${itemId}`, { headers: bearer(site.staff) }), 200);
    expect(onHand.json.onHand).toEqual([
      expect.objectContaining({ itemId, location: 'dry-store', quantity: 10_001 }),
      expect.objectContaining({ itemId, location: 'line', quantity: 2250 }),
    ]);
  });

  it('stock never goes below zero by hand (409 saying what is there); staff may not adjust (403)', async () => {
    const res = await move(site, site.staff, itemId, 'waste', { location: 'line', quantity: 3, unit: 'kg', reason: 'dropped' });
    expect({ status: res.status, code: res.json.error.code }).toEqual({ status: 409, code: 'CONFLICT' });
    expect(res.json.error.message).toMatch(/Only 2250 g/);
    const adjust = await move(site, site.staff, itemId, 'adjustments', { location: 'line', direction: 'remove', quantity: 1, unit: 'g', reason: 'typo' });
    expect(adjust.status).toBe(403);
    expect((await onHandOf(site, itemId)).totalOnHand).toBe(12_251);
  });

  it('bad movements: a location the item is not kept at or a unit that does not convert (422), absurd quantities (400)', async () => {
    const where = await move(site, site.staff, itemId, 'waste', { location: 'walk-in', quantity: 1, unit: 'g', reason: 'spoiled' });
    expect({ status: where.status, code: where.json.error.code }).toEqual({ status: 422, code: 'UNPROCESSABLE' });
    const unit = await move(site, site.staff, itemId, 'waste', { location: 'line', quantity: 1, unit: 'bottle', reason: 'spoiled' });
    expect(unit.status).toBe(422);
    expect(unit.json.error.message).toContain(itemId);
    for (const quantity of [-1, 0, 1e12, 0.0001, 'ten']) {
      const res = await move(site, site.staff, itemId, 'receipts', { location: 'line', quantity, unit: 'g', unitCost: 1 });
      expect({ quantity, status: res.status }).toEqual({ quantity, status: 400 });
    }
    const reason = await move(site, site.staff, itemId, 'waste', { location: 'line', quantity: 1, unit: 'g', reason: 'voided' });
    expect(reason.status).toBe(400);
  });

  it('an archived item takes no receipt and no count (409), but its stock can still be wasted', async () => {
    const { itemId: archived } = await createStockItem(site, flour());
    await expectStatus(move(site, site.staff, archived, 'receipts', { location: 'line', quantity: 1, unit: 'kg', unitCost: 300 }), 201);
    await expectStatus(api('PATCH', itemPath(site.siteId, archived), { body: { archived: true }, headers: bearer(site.manager) }), 200);
    for (const [kind, body] of [
      ['receipts', { location: 'line', quantity: 1, unit: 'kg', unitCost: 300 }],
      ['counts', { location: 'line', counted: [{ quantity: 0, unit: 'g' }] }],
    ] as const) {
      const res = await move(site, site.staff, archived, kind, body);
      expect({ kind, status: res.status }).toEqual({ kind, status: 409 });
    }
    await expectStatus(move(site, site.staff, archived, 'waste', { location: 'line', quantity: 1, unit: 'kg', reason: 'expired' }), 201);
  });

  it('concurrent receipts and waste of one item never lose an update', async () => {
    const { itemId: busy } = await createStockItem(site, flour());
    await expectStatus(move(site, site.staff, busy, 'receipts', { location: 'line', quantity: 10, unit: 'kg', unitCost: 3000 }), 201);
    const results = await Promise.all([
      ...Array.from({ length: 8 }, () => move(site, site.staff, busy, 'receipts', { location: 'line', quantity: 1, unit: 'kg', unitCost: 300 })),
      ...Array.from({ length: 8 }, () => move(site, site.staff, busy, 'waste', { location: 'line', quantity: 500, unit: 'g', reason: 'dropped' })),
    ]);
    const created = results.filter((r) => r.status === 201).length;
    expect(results.filter((r) => r.status !== 201).map((r) => r.status).every((s) => s === 409)).toBe(true);
    const ledger = await expectStatus(api('GET', `${itemPath(site.siteId, busy)}/movements?limit=100`, { headers: bearer(site.staff) }), 200);
    expect(ledger.json.movements).toHaveLength(1 + created);
    const expected = ledger.json.movements.reduce((sum: number, m: { kind: string; changes: Array<{ after: number; before: number }> }) => sum + m.changes[0]!.after - m.changes[0]!.before, 0);
    expect((await onHandOf(site, busy)).totalOnHand * 1000).toBe(expected);
  });
});

describeLocal('events (local: the test serves the HTTP endpoint the topic delivers to)', () => {
  const received: Array<{ id: string; type: string; data: Record<string, any>; raw: unknown }> = [];
  let subscriber: HttpSubscriber | undefined;
  beforeAll(async () => {
    subscriber = await subscribeHttp('events', { siteId: [site.siteId], source: ['inventory'] }, (envelope) => received.push({ ...envelope, raw: envelope }));
  });
  afterAll(async () => {
    await subscriber?.close();
  });

  it('each movement is published once through the outbox, matching its contract', async () => {
    const { itemId } = await createStockItem(site, flour());
    const res = await expectStatus(move(site, site.staff, itemId, 'receipts', { location: 'line', quantity: 1.5, unit: 'kg', unitCost: 250 }), 201);
    const { movementId } = res.json.movement;
    const event = await eventually(async () => received.find((e) => e.id === `movement:${movementId}`), 15_000, 'movement-recorded');
    expect(envelopeSchemaOf('inventory.movement-recorded').safeParse(event.raw).error?.issues ?? []).toEqual([]);
    expect(event.data).toMatchObject({ kind: 'receive', itemId, unit: 'g', changes: [{ location: 'line', before: 0, after: 1500 }], value: 375, averageCost: 250, by: site.staff.userId });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received.filter((e) => e.id === event.id)).toHaveLength(1);
  });
});
