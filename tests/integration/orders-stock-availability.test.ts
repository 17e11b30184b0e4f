// Inventory's word on menu items, end to end: inventory.item-unavailable / item-available published on the real
// events topic (the shared envelope and publisher, as the inventory domain publishes them) reach orders through its
// SNS subscription, and the menu API shows the item 86'd for `out-of-stock`, then back; an item a manager 86'd by
// hand stays off; a replayed or older word changes nothing.
import { randomUUID } from 'node:crypto';
import { publishEvent } from '../../functions/shared/event-publisher';
import { buildEvent, type EventEnvelope } from '../../functions/shared/events';
import { sampleData } from '../unit/fixtures/events';
import { api, eventually, topicArn } from './support/target';
import { bearer } from './support/identity';
import { expectStatus, orderingSite, placeOrder, type OrderingSite } from './support/orders';

let site: OrderingSite;

beforeAll(async () => {
  site = await orderingSite();
}, 120_000);

const itemPath = (itemId: string) => `/sites/${site.siteId}/menu/items/${itemId}`;
const getItem = async (itemId: string) => (await expectStatus(api('GET', itemPath(itemId), { headers: bearer(site.staff) }), 200)).json;

/** inventory's word on `itemId` at `version`, as inventory builds it (id `availability:{menuItemId}:v{version}`). */
function stockEvent(available: boolean, itemId: string, version: number, id = `availability:${itemId}:v${version}`): EventEnvelope {
  const type = available ? 'inventory.item-available' : 'inventory.item-unavailable';
  return buildEvent({ id, type, source: 'inventory', siteId: site.siteId, correlationId: randomUUID(), data: sampleData(type, { menuItemId: itemId, version }) });
}
const publish = (event: EventEnvelope) => publishEvent(topicArn('events'), event);

/** Waits until the item's version reaches `version` (every word applied writes the item once), and returns it. */
const itemAtVersion = (itemId: string, version: number) =>
  eventually(async () => {
    const item = await getItem(itemId);
    return item.version >= version ? item : undefined;
  }, 15_000, `${itemId} at version ${version}`);

describe("inventory's word on a menu item", () => {
  it("item-unavailable 86'es the item for out-of-stock (orders refuse it); item-available puts it back", async () => {
    const { fries } = site.items;
    const before = await getItem(fries);
    await publish(stockEvent(false, fries, 1));
    const off = await itemAtVersion(fries, before.version + 1);
    expect(off).toMatchObject({ available: false, eightySixed: true, eightySixedReason: 'out-of-stock', version: before.version + 1 });
    expect(off).not.toHaveProperty('stockVersion');
    const refused = await placeOrder(site, site.staff, [{ itemId: fries, quantity: 1 }]);
    expect(refused.status).toBe(409);
    expect(refused.json.error.details).toMatchObject({ itemId: fries, reason: '86d', eightySixedReason: 'out-of-stock' });

    await publish(stockEvent(true, fries, 2));
    const back = await itemAtVersion(fries, before.version + 2);
    expect(back).toMatchObject({ available: true, eightySixed: false, version: before.version + 2 });
    expect(back).not.toHaveProperty('eightySixedReason');
    await expectStatus(placeOrder(site, site.staff, [{ itemId: fries, quantity: 1 }]), 201);
  });

  it('a replayed event (same id) and an older version (new id) change nothing', async () => {
    const { fries } = site.items;
    const before = await getItem(fries); // on, after the test above applied versions 1 and 2
    expect(before.available).toBe(true);
    await publish(stockEvent(false, fries, 1));
    await publish(stockEvent(false, fries, 2, `replayed-${randomUUID()}`));
    // A newer word after them: once it is applied, the item's version says how many words were applied.
    await publish(stockEvent(false, fries, 3));
    await itemAtVersion(fries, before.version + 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a replay still in flight would have landed by now
    expect(await getItem(fries)).toMatchObject({ version: before.version + 1, eightySixed: true, eightySixedReason: 'out-of-stock' });
  });

  it("never restores an item a manager 86'd by hand", async () => {
    const { burger } = site.items;
    await expectStatus(api('PUT', `${itemPath(burger)}/availability`, { body: { available: false }, headers: bearer(site.manager) }), 200);
    const manual = await getItem(burger);
    expect(manual).toMatchObject({ eightySixed: true, eightySixedReason: 'manual' });
    await publish(stockEvent(false, burger, 1));
    await itemAtVersion(burger, manual.version + 1);
    await publish(stockEvent(true, burger, 2));
    const after = await itemAtVersion(burger, manual.version + 2);
    expect(after).toMatchObject({ available: false, eightySixed: true, eightySixedReason: 'manual' });
  });

  it("a manager's 86 of an item inventory took off is theirs: stock coming back does not restore it", async () => {
    const { lemonade } = site.items;
    const before = await getItem(lemonade);
    await publish(stockEvent(false, lemonade, 1));
    await itemAtVersion(lemonade, before.version + 1);
    const byHand = await expectStatus(api('PUT', `${itemPath(lemonade)}/availability`, { body: { available: false }, headers: bearer(site.staff) }), 200);
    expect(byHand.json).toMatchObject({ eightySixedReason: 'manual', version: before.version + 2 });
    await publish(stockEvent(true, lemonade, 2));
    expect(await itemAtVersion(lemonade, before.version + 3)).toMatchObject({ available: false, eightySixedReason: 'manual' });
  });
});
