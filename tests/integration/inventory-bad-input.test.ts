// Every inventory route with a path or query parameter, fed what a client should not send (odd ids, odd page
// sizes, foreign or crafted cursors, odd item filters): each answer is a 4xx with a JSON error, never a 5xx.
// Cursors are bound to the query that issued them (site, item); a real next page still works.
import { policies } from '../../functions/inventory/policies';
import { badQuery, misanswered, ODD_CURSORS, ODD_LIMITS, oddIdProbes } from './support/bad-input';
import { bearer, theOwner, type TestUser } from './support/identity';
import { createStockItem, itemPath, itemsPath, move, stockSite, type StockSite } from './support/inventory';
import { expectStatus } from './support/orders';
import { api } from './support/target';

jest.setTimeout(120_000);

let site: StockSite;
let other: StockSite;
let owner: TestUser;
let itemId: string;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const item = (id: string) => ({ itemId: id, name: 'Olive oil', category: 'oils', baseUnit: 'ml', units: [{ name: 'bottle', quantity: 750, unit: 'ml' }], locations: ['dry-store', 'line'] });

beforeAll(async () => {
  [site, other, owner] = await Promise.all([stockSite(), stockSite(), theOwner()]);
  itemId = (await createStockItem(site, item('olive-oil'))).itemId;
  await Promise.all([createStockItem(site, item('olive-oil-2')), createStockItem(other, item('olive-oil'))]);
  await expectStatus(move(site, site.staff, itemId, 'receipts', { location: 'dry-store', quantity: 2, unit: 'bottle', unitCost: 900 }), 201);
  await expectStatus(move(site, site.staff, itemId, 'transfers', { from: 'dry-store', to: 'line', quantity: 1, unit: 'bottle' }), 201);
}, 120_000);

it('odd path ids on every route are a 4xx with a JSON error, never a 5xx', async () => {
  const routes = Object.keys(policies).filter((route) => route.includes('{'));
  expect(routes.length).toBe(Object.keys(policies).length);
  const probes = routes.flatMap((route) => oddIdProbes(route, { siteId: site.siteId, itemId }));
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});

it('odd page sizes and item filters on every list are a 400', async () => {
  const lists = [itemsPath(site.siteId), `${itemPath(site.siteId, itemId)}/movements`, `/sites/${site.siteId}/inventory/on-hand`, `/sites/${site.siteId}/inventory/depletion-issues`];
  const probes = [
    ...lists.flatMap((path) => ODD_LIMITS.map((limit) => badQuery(`${path} limit=${limit.slice(0, 20)}`, `${path}?limit=${limit}`))),
    ...['', 'a%2Fb', 'x'.repeat(65), '%23'].map((odd) => badQuery(`on-hand itemId=${odd}`, `/sites/${site.siteId}/inventory/on-hand?itemId=${odd}`)),
  ];
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});

describe('cursors', () => {
  it('an empty, crafted, tampered cursor, or one from another item, list or site is a 400', async () => {
    const page = await expectStatus(api('GET', `${itemPath(site.siteId, itemId)}/movements?limit=1`, { headers: bearer(owner) }), 200);
    const cursor = page.json.nextCursor as string;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const movements = (siteId: string, id: string) => `${itemPath(siteId, id)}/movements`;
    const cases: Array<[string, string]> = [
      ...Object.entries(ODD_CURSORS).map(([what, odd]): [string, string] => [what, `${movements(site.siteId, itemId)}?cursor=${odd}`]),
      ['a crafted key of another partition', `${movements(site.siteId, itemId)}?cursor=${b64({ v: 1, k: { pk: `SITE#${other.siteId}#STOCK`, sk: 'ITEM#olive-oil' }, d: decoded.d })}`],
      ['a tampered cursor', `${movements(site.siteId, itemId)}?cursor=${b64({ ...decoded, k: { ...decoded.k, sk: 'MOVE#0' } })}`],
      ['a cursor from another item', `${movements(site.siteId, 'olive-oil-2')}?cursor=${cursor}`],
      ['a cursor from another site', `${movements(other.siteId, 'olive-oil')}?cursor=${cursor}`],
      ['a cursor from another list', `${itemsPath(site.siteId)}?cursor=${cursor}`],
      ['a cursor from another list (on-hand)', `/sites/${site.siteId}/inventory/on-hand?cursor=${cursor}`],
    ];
    expect(await misanswered(cases.map(([what, path]) => badQuery(what, path)), bearer(owner))).toEqual([]);
  });

  it('a real next-page cursor pages through on-hand one row at a time', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await expectStatus(api('GET', `/sites/${site.siteId}/inventory/on-hand?itemId=${itemId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { headers: bearer(owner) }), 200);
      seen.push(...page.json.onHand.map((row: { location: string; quantity: number }) => `${row.location}=${row.quantity}`));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['dry-store=750', 'line=750']);
  });
});

it('bodies that are not JSON, too large, or empty are a 4xx JSON error', async () => {
  const path = `${itemPath(site.siteId, itemId)}/waste`;
  const headers = { ...bearer(owner), 'idempotency-key': 'bad-body-key-1' };
  const probes = [
    await api('POST', path, { rawBody: '{"location":', headers: { ...headers, 'content-type': 'application/json' } }),
    await api('POST', path, { rawBody: 'location=line', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } }),
    await api('POST', path, { body: { location: 'line', quantity: 1, unit: 'ml', reason: 'spoiled', note: 'x'.repeat(5000) }, headers }),
    await api('POST', path, { body: {}, headers }),
  ];
  expect(probes.map((res) => ({ status: res.status, json: typeof res.json?.error?.code }))).toEqual([
    { status: 400, json: 'string' },
    { status: 415, json: 'string' },
    { status: 413, json: 'string' },
    { status: 400, json: 'string' },
  ]);
});
