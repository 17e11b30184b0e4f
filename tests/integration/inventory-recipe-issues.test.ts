// A recipe that names what stock cannot answer is reported when the manager sets it up, not at the first sale: a
// menu item created through the orders API with an ingredient that has no stock item and a unit that does not
// convert shows both in inventory's depletion issues before anything is sold; creating the stock item answers
// the first.
import { bearer } from './support/identity';
import { createStockItem, type StockSite } from './support/inventory';
import { createItem, expectStatus, orderingSite, type OrderingSite } from './support/orders';
import { api, eventually } from './support/target';

jest.setTimeout(90_000);

let site: OrderingSite;
let stock: StockSite;

const issues = async () => (await expectStatus(api('GET', `/sites/${site.siteId}/inventory/depletion-issues`, { headers: bearer(site.manager) }), 200)).json.issues as Array<Record<string, unknown>>;

beforeAll(async () => {
  site = await orderingSite();
  stock = { siteId: site.siteId, manager: site.manager, staff: site.staff };
  await createStockItem(stock, { itemId: 'eggs', name: 'Eggs', category: 'dairy', baseUnit: 'each', units: [{ name: 'tray', quantity: 30, unit: 'each' }], locations: ['walk-in'] });
});

it('lists an unknown ingredient and an unconvertible unit of a new recipe, naming the menu item, before any sale', async () => {
  const category = await expectStatus(api('POST', `/sites/${site.siteId}/menu/categories`, { body: { name: 'Brunch' }, headers: bearer(site.manager) }), 201);
  const omelette = await createItem(site, category.json.categoryId as string, {
    name: 'Saffron omelette',
    price: 1400,
    taxRate: '8.25',
    station: 'kitchen',
    recipe: [
      { ingredientId: 'saffron', quantity: 0.2, unit: 'g' },
      { ingredientId: 'eggs', quantity: 120, unit: 'g' },
    ],
  });
  // The ordering site's own menu (burger, fries) names ingredients without stock items too: only the omelette's.
  const omeletteIssues = async () => (await issues()).filter((issue) => issue.menuItemId === omelette);
  const found = await eventually(async () => {
    const listed = await omeletteIssues();
    return listed.length === 2 ? listed : undefined;
  }, 30_000, 'the omelette’s two recipe issues');
  expect(found).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'unknown-ingredient', ingredientId: 'saffron', menuItemId: omelette, menuItemName: 'Saffron omelette', occurrences: 0 }),
      expect.objectContaining({ kind: 'unconvertible-unit', ingredientId: 'eggs', unit: 'g', menuItemId: omelette, occurrences: 0 }),
    ]),
  );

  await createStockItem(stock, { itemId: 'saffron', name: 'Saffron', category: 'spices', baseUnit: 'g', units: [], locations: ['dry-store'] });
  expect((await omeletteIssues()).map((issue) => issue.kind)).toEqual(['unconvertible-unit']);
});
