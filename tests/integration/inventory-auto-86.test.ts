// Auto-86 over the running stack: a menu item created with a recipe through the orders API reaches inventory
// (menu.item-changed → the recipe record); sales through the orders API deplete its ingredient until stock can no
// longer cover one portion, and the orders menu API shows it 86'd for out-of-stock; a receipt puts it back. A
// recipe changed by the manager replaces the stored one; an older menu version published late does not; the demo
// seed stores the demo menu's recipes; the scheduled job judges the whole menu, catching what no review followed.
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { buildEvent } from '../../functions/shared/events';
import { sampleData } from '../unit/fixtures/events';
import { bearer } from './support/identity';
import { createStockItem, move, publishOrdersEvent, waitForTotal, type StockSite } from './support/inventory';
import { createItem, expectStatus, orderingSite, placeOrder, type OrderingSite } from './support/orders';
import { api, describeLocal, dynamo, eventually, stage, tableName } from './support/target';

jest.setTimeout(120_000);

let site: OrderingSite;
let stock: StockSite;
let steak: string;

const menuItem = async (itemId: string) => (await expectStatus(api('GET', `/sites/${site.siteId}/menu/items/${itemId}`, { headers: bearer(site.staff) }), 200)).json;
const recipeRecord = async (menuItemId: string) =>
  (await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: `SITE#${site.siteId}#MENU`, sk: `RECIPE#${menuItemId}` }, ConsistentRead: true }))).Item;
const sellSteak = () => expectStatus(placeOrder(site, site.staff, [{ itemId: steak, quantity: 1 }]), 201);

beforeAll(async () => {
  site = await orderingSite();
  stock = { siteId: site.siteId, manager: site.manager, staff: site.staff };
  // 600 g of sirloin, a steak takes 250 g: two portions, then 100 g left, short of a third.
  await createStockItem(stock, { itemId: 'sirloin', name: 'Sirloin', category: 'meat', baseUnit: 'g', units: [{ name: 'case', quantity: 5, unit: 'kg' }], locations: ['walk-in', 'line'] });
  await expectStatus(move(stock, site.manager, 'sirloin', 'receipts', { location: 'walk-in', quantity: 0.6, unit: 'kg', unitCost: 2400 }), 201);
  const category = await expectStatus(api('POST', `/sites/${site.siteId}/menu/categories`, { body: { name: 'Grill' }, headers: bearer(site.manager) }), 201);
  steak = await createItem(site, category.json.categoryId as string, {
    name: 'Steak frites',
    price: 2600,
    taxRate: '8.25',
    station: 'kitchen',
    recipe: [{ ingredientId: 'sirloin', quantity: 0.25, unit: 'kg' }],
    modifiers: [{ modifierId: 'extra-steak', name: 'Extra steak', priceDelta: 1200, recipe: [{ ingredientId: 'sirloin', quantity: 250, unit: 'g' }] }],
  });
}, 120_000);

it('learns the recipe orders publishes: one portion, modifiers apart', async () => {
  const record = await eventually(async () => recipeRecord(steak), 30_000, 'steak recipe learnt');
  expect(record).toMatchObject({ menuItemId: steak, name: 'Steak frites', recipe: [{ ingredientId: 'sirloin', quantity: 0.25, unit: 'kg' }], active: true, takenOff: false, availabilityVersion: 0 });
});

it("86es the item for out-of-stock when stock cannot cover a portion, and puts it back when stock is received", async () => {
  await sellSteak();
  await waitForTotal(stock, 'sirloin', 350);
  // 350 g still covers a portion: the item stays on (availabilityVersion 1 below proves no take-off came before).
  expect(await menuItem(steak)).toMatchObject({ available: true, eightySixed: false });

  await sellSteak();
  await waitForTotal(stock, 'sirloin', 100);
  const off = await eventually(async () => {
    const item = await menuItem(steak);
    return item.eightySixed ? item : undefined;
  }, 30_000, 'steak 86d');
  expect(off).toMatchObject({ available: false, eightySixed: true, eightySixedReason: 'out-of-stock' });
  const refused = await placeOrder(site, site.staff, [{ itemId: steak, quantity: 1 }]);
  expect(refused.status).toBe(409);
  expect(await recipeRecord(steak)).toMatchObject({ takenOff: true, availabilityVersion: 1 });

  await expectStatus(move(stock, site.staff, 'sirloin', 'receipts', { location: 'line', quantity: 0.5, unit: 'kg', unitCost: 2400 }), 201);
  const back = await eventually(async () => {
    const item = await menuItem(steak);
    return item.available ? item : undefined;
  }, 30_000, 'steak restored');
  expect(back).toMatchObject({ available: true, eightySixed: false });
  expect(back).not.toHaveProperty('eightySixedReason');
  expect(await recipeRecord(steak)).toMatchObject({ takenOff: false, availabilityVersion: 2 });
  await sellSteak();
});

it('a recipe changed by the manager replaces the stored one; an older menu version published late does not', async () => {
  const patched = await expectStatus(
    api('PATCH', `/sites/${site.siteId}/menu/items/${steak}`, { body: { recipe: [{ ingredientId: 'sirloin', quantity: 0.3, unit: 'kg' }] }, headers: bearer(site.manager) }),
    200,
  );
  const version = patched.json.version as number;
  const learnt = await eventually(async () => {
    const record = await recipeRecord(steak);
    return record?.menuVersion === version ? record : undefined;
  }, 30_000, `recipe of menu version ${version} learnt`);
  expect(learnt.recipe).toEqual([{ ingredientId: 'sirloin', quantity: 0.3, unit: 'kg' }]);
  const stale = buildEvent({
    type: 'menu.item-changed',
    source: 'orders',
    siteId: site.siteId,
    correlationId: randomUUID(),
    data: sampleData('menu.item-changed', { itemId: steak, name: 'Steak frites', active: true, recipe: [{ ingredientId: 'sirloin', quantity: 0.1, unit: 'kg' }], modifiers: [], version: 1 }),
  });
  await publishOrdersEvent(stale);
  // Delivered: the consumer's receipt of the event; then a moment for its handling, which must change nothing.
  const receipt = { pk: `EVENT#recipes#${stale.id}`, sk: 'RECEIPT' };
  await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: receipt, ConsistentRead: true }))).Item, 30_000, 'stale event delivered');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await recipeRecord(steak)).toMatchObject({ menuVersion: version, recipe: [{ ingredientId: 'sirloin', quantity: 0.3, unit: 'kg' }] });
});

it("the demo seed gives inventory the demo menu's recipes, so auto-86 works after npm start", async () => {
  const key = { pk: 'SITE#demo-bistro#MENU', sk: 'RECIPE#bistro-burger' };
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: key, ConsistentRead: true }));
  expect(Item).toMatchObject({ menuItemId: 'bistro-burger', active: true, menuVersion: 1, takenOff: false });
  expect((Item!.recipe as Array<{ ingredientId: string }>).map((c) => c.ingredientId)).toEqual(expect.arrayContaining(['beef-patty', 'brioche-bun']));
});

describeLocal('the scheduled safety net (local: the job is invoked through the local Lambda endpoint)', () => {
  const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${process.env.BRIGADE_LAMBDA_PORT ?? '3002'}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  afterAll(() => lambda.destroy());

  it('judges the whole menu every run: stock that ran short with no review behind it (one that kept failing) is 86d', async () => {
    // An item of its own whose stock never moved through the ledger, so no review of an earlier movement (the
    // stream relay runs it seconds after the movement) can come after the emptying below and 86 it first.
    await createStockItem(stock, { itemId: 'ribeye', name: 'Rib-eye', category: 'meat', baseUnit: 'g', units: [{ name: 'case', quantity: 5, unit: 'kg' }], locations: ['walk-in'] });
    const onHand = { pk: `SITE#${site.siteId}#STOCK`, sk: 'ONHAND#ribeye#walk-in' };
    await dynamo.send(new PutCommand({ TableName: tableName('inventory'), Item: { ...onHand, siteId: site.siteId, itemId: 'ribeye', location: 'walk-in', quantity: 2_000_000, version: 1, updatedAt: new Date().toISOString() } }));
    const category = await expectStatus(api('POST', `/sites/${site.siteId}/menu/categories`, { body: { name: 'Specials' }, headers: bearer(site.manager) }), 201);
    const ribeye = await createItem(site, category.json.categoryId as string, { name: 'Rib-eye', price: 3900, taxRate: '8.25', station: 'kitchen', recipe: [{ ingredientId: 'ribeye', quantity: 0.3, unit: 'kg' }] });
    // Learnt, then judged on 2 kg of stock: on. The judgement follows the recipe's write in the same invocation and
    // writes nothing when nothing changes, so it is given time to finish before the stock goes.
    await eventually(async () => recipeRecord(ribeye), 30_000, 'rib-eye recipe learnt');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await menuItem(ribeye)).toMatchObject({ available: true });
    // On-hand emptied past the ledger, as if the movements' reviews had all failed: nothing triggers a review.
    await dynamo.send(
      new UpdateCommand({ TableName: tableName('inventory'), Key: onHand, UpdateExpression: 'SET quantity = :zero ADD version :one', ExpressionAttributeValues: { ':zero': 0, ':one': 1 } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await menuItem(ribeye)).toMatchObject({ available: true });

    await lambda.send(new InvokeCommand({ FunctionName: `brigade-${stage}-reviewLowStock`, Payload: Buffer.from('{}') }));
    const off = await eventually(async () => {
      const item = await menuItem(ribeye);
      return item.eightySixed ? item : undefined;
    }, 30_000, 'rib-eye 86d by the scheduled review');
    expect(off).toMatchObject({ eightySixedReason: 'out-of-stock' });
  });
});
