// Inventory learns each site's time zone and currency from the users domain's site events (never its table): a
// site made through the users API arrives, a change to it arrives, and a late snapshot of an older version does
// not bring the old time zone back.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { publishEvent } from '../../functions/shared/event-publisher';
import { buildEvent } from '../../functions/shared/events';
import { bearer, createSite, theOwner } from './support/identity';
import { expectStatus } from './support/orders';
import { api, dynamo, eventually, tableName, topicArn } from './support/target';

async function inventorysSite(siteId: string) {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: 'SITES', sk: `SITE#${siteId}` } }));
  return Item;
}

const until = (siteId: string, matches: (site: Record<string, unknown>) => boolean, what: string) =>
  eventually(async () => {
    const site = await inventorysSite(siteId);
    return site && matches(site) ? site : undefined;
  }, 20_000, what);

describe('inventory’s copy of the sites', () => {
  it('learns a new site, then its new time zone, and ignores an older snapshot that arrives late', async () => {
    const siteId = await createSite();
    const created = await until(siteId, (s) => s.timeZone === 'Europe/Paris', 'the site in inventory');
    expect(created).toMatchObject({ siteId, timeZone: 'Europe/Paris', currency: 'EUR', version: 1 });

    await expectStatus(api('PATCH', `/sites/${siteId}`, { body: { timeZone: 'Asia/Seoul' }, headers: bearer(await theOwner()) }), 200);
    const updated = await until(siteId, (s) => s.timeZone === 'Asia/Seoul', 'the new time zone');
    expect(updated.version).toBeGreaterThan(1);

    // The first snapshot again, as a redelivery after the change would bring it.
    const stale = buildEvent({
      type: 'site.updated',
      source: 'users',
      siteId,
      id: `site:${siteId}:v1-replayed`,
      correlationId: `stale-${siteId}`,
      data: { siteId, name: `Test ${siteId}`, timeZone: 'Europe/Paris', currency: 'EUR', version: 1 },
    });
    await publishEvent(topicArn('events'), stale);
    // The consumer claims an event before it applies it: once the stale snapshot's receipt is there, a change made
    // after it (a request, the outbox, a delivery later) lands after the stale apply; the newer time zone stayed.
    await eventually(async () => {
      const { Item } = await dynamo.send(new GetCommand({ TableName: tableName('inventory'), Key: { pk: `EVENT#sites#${stale.id}`, sk: 'RECEIPT' } }));
      return Item;
    }, 20_000, 'the stale snapshot claimed');
    await expectStatus(api('PATCH', `/sites/${siteId}`, { body: { name: 'Renamed' }, headers: bearer(await theOwner()) }), 200);
    const final = await until(siteId, (s) => s.name === 'Renamed', 'the rename');
    expect(final).toMatchObject({ timeZone: 'Asia/Seoul' });
    expect(final.version).toBeGreaterThan(updated.version as number);
  }, 60_000);
});
