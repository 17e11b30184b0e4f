// The reports over the running stack: a day of flour and cream recorded through the API (a receipt, a transfer, a
// sale from an orders event, waste, a count, an adjustment), then each report in JSON and CSV equals what was
// computed by hand (docs/inventory.md, "Reports", has the same day worked out); the movements carry the byDay
// index dated in the site's time zone; bad ranges are 400s; another site's manager and staff are refused.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { bearer, createUser, type TestUser } from './support/identity';
import { createStockItem, move, orderPlaced, publishOrdersEvent, stockSite, waitForTotal, type StockSite } from './support/inventory';
import { expectStatus } from './support/orders';
import { api, dynamo, eventually, tableName } from './support/target';

jest.setTimeout(120_000);

let site: StockSite;
let otherManager: TestUser;
const ZONE = 'Europe/Paris';
const localDate = (instant: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(instant));
// The day before and after too: the test may run across midnight in Paris.
const from = localDate(Date.now() - 86_400_000);
const to = localDate(Date.now() + 86_400_000);
const reports = (siteId: string) => `/sites/${siteId}/inventory/reports`;

beforeAll(async () => {
  site = await stockSite();
  // Movements are dated in the zone inventory has learnt for the site: wait for the site's event first.
  await eventually(async () => {
    const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: 'SITES', sk: `SITE#${site.siteId}` } }));
    return Item?.timeZone === ZONE ? Item : undefined;
  }, 20_000, 'the site in inventory');
  otherManager = await createUser('manager', [(await stockSite()).siteId]);

  await createStockItem(site, { itemId: 'flour', name: 'Flour, "T55"', category: 'dry goods', baseUnit: 'g', units: [{ name: 'bag', quantity: 1, unit: 'kg' }], locations: ['dry', 'line'], depleteFrom: 'line' });
  await createStockItem(site, { itemId: 'cream', name: 'Cream', category: 'dairy', baseUnit: 'ml', locations: ['line'] });
  const record = (user: TestUser, itemId: string, kind: string, body: Record<string, unknown>) => expectStatus(move(site, user, itemId, kind, body), 201);
  // 10 kg at 20.00 a kg: the average is 2000 minor units per 1 000 g.
  await record(site.staff, 'flour', 'receipts', { location: 'dry', quantity: 10, unit: 'bag', unitCost: 2000 });
  await record(site.staff, 'flour', 'transfers', { from: 'dry', to: 'line', quantity: 3, unit: 'kg' });
  await publishOrdersEvent(orderPlaced(site.siteId, [{ ingredientId: 'flour', quantity: 1.2, unit: 'kg' }]));
  await waitForTotal(site, 'flour', 8800);
  await record(site.staff, 'flour', 'waste', { location: 'line', quantity: 0.5, unit: 'kg', reason: 'spoiled' });
  await record(site.staff, 'flour', 'counts', { location: 'dry', counted: [{ quantity: 6.6, unit: 'kg' }] });
  await record(site.manager, 'flour', 'adjustments', { location: 'line', direction: 'remove', quantity: 100, unit: 'g', reason: 'spilt at service' });
  // 2 l at 4.50 a litre; a quarter litre dropped is 112.5 → 113 minor units.
  await record(site.staff, 'cream', 'receipts', { location: 'line', quantity: 2, unit: 'l', unitCost: 450 });
  await record(site.staff, 'cream', 'waste', { location: 'line', quantity: 250, unit: 'ml', reason: 'dropped' });
}, 120_000);

const get = (path: string, user: TestUser = site.manager) => api('GET', path, { headers: bearer(user) });

it('every movement carries the byDay index, dated in the site’s time zone; the ledger does not show it', async () => {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({ TableName: tableName('inventory'), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :move)', ExpressionAttributeValues: { ':pk': `SITE#${site.siteId}#ITEM#flour`, ':move': 'MOVE#' } }),
  );
  expect(Items.map((m) => m.kind)).toEqual(['receive', 'transfer', 'sale', 'waste', 'count', 'adjustment']);
  for (const m of Items) expect(m).toMatchObject({ dayPk: `SITE#${site.siteId}#DAY#${localDate(Date.parse(m.at))}`, daySk: `${m.at}#${m.movementId}` });
  const ledger = await expectStatus(get(`/sites/${site.siteId}/inventory/items/flour/movements`), 200);
  expect(ledger.json.movements[0]).not.toHaveProperty('dayPk');
});

describe('usage', () => {
  it('theoretical (sales) against actual (opening + received − closing), variance in base units and money', async () => {
    const res = await eventually(async () => {
      const answer = await expectStatus(get(`${reports(site.siteId)}/usage?from=${from}&to=${to}`), 200);
      return answer.json.items.length === 2 ? answer : undefined;
    }, 10_000, 'both items in the usage report');
    expect(res.json).toMatchObject({ siteId: site.siteId, from, to, currency: 'EUR', uncounted: ['cream'] });
    expect(res.json.items).toEqual([
      {
        itemId: 'cream', name: 'Cream', category: 'dairy', baseUnit: 'ml', counted: false, counts: 0,
        sold: 0, returned: 0, theoretical: 0, received: 2000, stockChange: 1750, actual: 250, variance: 250, wasted: 250, adjusted: 0, countVariance: 0, unexplained: 0,
        theoreticalValue: 0, actualValue: 113, varianceValue: 113, wastedValue: 113, unexplainedValue: 0,
      },
      {
        itemId: 'flour', name: 'Flour, "T55"', category: 'dry goods', baseUnit: 'g', counted: true, counts: 1,
        sold: 1200, returned: 0, theoretical: 1200, received: 10_000, stockChange: 7800, actual: 2200, variance: 1000, wasted: 500, adjusted: -100, countVariance: -400, unexplained: 500,
        theoreticalValue: 2400, actualValue: 4400, varianceValue: 2000, wastedValue: 1000, unexplainedValue: 1000,
      },
    ]);
    expect(res.json.totals).toEqual({ theoreticalValue: 2400, actualValue: 4513, varianceValue: 2113, wastedValue: 1113, unexplainedValue: 1000 });
  });

  it('as CSV: a row per item and the total, money in minor units and in euros', async () => {
    const res = await expectStatus(get(`${reports(site.siteId)}/usage?from=${from}&to=${to}&format=csv`), 200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="usage-${site.siteId}-${from}-${to}.csv"`);
    expect(res.text.split('\r\n').slice(1)).toEqual([
      'item,dairy,cream,Cream,ml,false,0,0,0,0,2000,1750,250,250,250,0,0,0,0,0.00,113,1.13,113,1.13,113,1.13,0,0.00,EUR',
      'item,dry goods,flour,"Flour, ""T55""",g,true,1,1200,0,1200,10000,7800,2200,1000,500,-100,-400,500,2400,24.00,4400,44.00,2000,20.00,1000,10.00,1000,10.00,EUR',
      'total,,,,,,,,,,,,,,,,,,2400,24.00,4513,45.13,2113,21.13,1113,11.13,1000,10.00,EUR',
      '',
    ]);
  });

  it('a range with nothing in it is zeros, not an error', async () => {
    const res = await expectStatus(get(`${reports(site.siteId)}/usage?from=2001-01-01&to=2001-03-31`), 200);
    expect(res.json).toMatchObject({ items: [], uncounted: [], totals: { theoreticalValue: 0, actualValue: 0, varianceValue: 0, wastedValue: 0, unexplainedValue: 0 } });
  });
});

describe('on-hand value', () => {
  it('per item, per category and for the site, at the average cost', async () => {
    const res = await expectStatus(get(`${reports(site.siteId)}/on-hand-value`), 200);
    expect(res.json.items.map((i: Record<string, unknown>) => [i.itemId, i.onHand, i.averageCost, i.value])).toEqual([
      ['cream', 1750, 450, 788],
      ['flour', 7800, 2000, 15_600],
    ]);
    expect(res.json.categories).toEqual([
      { category: 'dairy', items: 1, value: 788 },
      { category: 'dry goods', items: 1, value: 15_600 },
    ]);
    expect(res.json).toMatchObject({ currency: 'EUR', totalValue: 16_388 });
  });

  it('as CSV', async () => {
    const res = await expectStatus(get(`${reports(site.siteId)}/on-hand-value?format=csv`), 200);
    expect(res.text).toBe(
      [
        'row,category,item_id,item_name,base_unit,on_hand,average_cost_per_1000_minor,average_cost_per_1000,value_minor,value,currency',
        'item,dairy,cream,Cream,ml,1750,450,4.50,788,7.88,EUR',
        'item,dry goods,flour,"Flour, ""T55""",g,7800,2000,20.00,15600,156.00,EUR',
        'category,dairy,,,,,,,788,7.88,EUR',
        'category,dry goods,,,,,,,15600,156.00,EUR',
        'total,,,,,,,,16388,163.88,EUR',
        '',
      ].join('\r\n'),
    );
  });
});

describe('waste', () => {
  it('by reason and by item, quantity and money', async () => {
    const res = await expectStatus(get(`${reports(site.siteId)}/waste?from=${from}&to=${to}`), 200);
    expect(res.json.byReason).toEqual([
      { reason: 'spoiled', value: 1000, movements: 1 },
      { reason: 'dropped', value: 113, movements: 1 },
    ]);
    expect(res.json.byItem).toEqual([
      { itemId: 'cream', name: 'Cream', category: 'dairy', baseUnit: 'ml', quantity: 250, value: 113, byReason: [{ reason: 'dropped', quantity: 250, value: 113 }] },
      { itemId: 'flour', name: 'Flour, "T55"', category: 'dry goods', baseUnit: 'g', quantity: 500, value: 1000, byReason: [{ reason: 'spoiled', quantity: 500, value: 1000 }] },
    ]);
    expect(res.json.totalValue).toBe(1113);
  });

  it('as CSV', async () => {
    const res = await expectStatus(get(`${reports(site.siteId)}/waste?from=${from}&to=${to}&format=csv`), 200);
    expect(res.text.split('\r\n')).toEqual([
      'row,category,item_id,item_name,base_unit,reason,quantity,movements,value_minor,value,currency',
      'item,dairy,cream,Cream,ml,dropped,250,1,113,1.13,EUR',
      'item,dry goods,flour,"Flour, ""T55""",g,spoiled,500,1,1000,10.00,EUR',
      'reason,,,,,spoiled,,1,1000,10.00,EUR',
      'reason,,,,,dropped,,1,113,1.13,EUR',
      'total,,,,,,,,1113,11.13,EUR',
      '',
    ]);
  });
});

describe('bad input and access', () => {
  it('odd, reversed or too long ranges and odd formats are a 400 with a JSON error', async () => {
    for (const report of ['usage', 'waste']) {
      for (const query of ['', `from=${from}`, 'from=2026-02-30&to=2026-03-01', 'from=2026-03-02&to=2026-03-01', 'from=1999-12-31&to=2000-01-01', 'from=2026-1-1&to=2026-01-02', `from=${from}&to=${to}&format=xml`]) {
        const res = await get(`${reports(site.siteId)}/${report}?${query}`);
        expect([report, query, res.status, res.json?.error?.code]).toEqual([report, query, 400, 'VALIDATION_FAILED']);
      }
      const tooLong = await get(`${reports(site.siteId)}/${report}?from=2026-01-01&to=2026-04-03`);
      expect(tooLong.status).toBe(400);
      expect(JSON.stringify(tooLong.json)).toContain('at most 92 days');
    }
    expect((await get(`${reports(site.siteId)}/on-hand-value?format=pdf`)).status).toBe(400);
  });

  it('another site’s manager and this site’s staff are refused', async () => {
    for (const path of ['on-hand-value', `usage?from=${from}&to=${to}`, `waste?from=${from}&to=${to}`]) {
      expect((await get(`${reports(site.siteId)}/${path}`, otherManager)).status).toBe(403);
      expect((await get(`${reports(site.siteId)}/${path}`, site.staff)).status).toBe(403);
    }
  });
});
