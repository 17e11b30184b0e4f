// Business days past midnight, over the running stack: a site whose business day starts later than the time it is
// now there, so everything happening now belongs to the day before. Orders file their orders on that day; analytics
// learns the rule from orders' menu.settings-changed and files the shift, the waste and the dashboard's "today" on
// the same day, not on the calendar date. Then the manager moves the start to midnight and analytics follows, and
// `npm run menu-settings:republish` teaches it the rule of a site whose settings predate the event.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../local-cloud/service-definition';
import { addDays, localDateOf, wallClock } from '../../functions/shared/time';
import { bearer } from './support/identity';
import { createStockItem, move } from './support/inventory';
import { expectStatus, idempotencyKey, orderingSite, type OrderingSite } from './support/orders';
import { putProfile, tap } from './support/staff';
import { api, dynamo, eventually, stage, tableName } from './support/target';

jest.setTimeout(120_000);

// A zone where it is now at most 21:xx, so a start two hours later is still today there and the test (minutes)
// runs wholly before it. Paris and New York are 6 hours apart: one of them always qualifies.
const zone = ['Europe/Paris', 'America/New_York'].find((timeZone) => Number(wallClock(Date.now(), timeZone).time.slice(0, 2)) <= 21)!;
const startsAt = `${String(Number(wallClock(Date.now(), zone).time.slice(0, 2)) + 2).padStart(2, '0')}:00`;
const calendarToday = localDateOf(Date.now(), zone);
const businessDay = addDays(calendarToday, -1);

let site: OrderingSite;
const siteItem = async () => (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: 'SITES', sk: `SITE#${site.siteId}` }, ConsistentRead: true }))).Item;
const dayFigures = async (day: string) =>
  (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: `SITE#${site.siteId}#SALES`, sk: `DAY#${day}` }, ConsistentRead: true }))).Item;
const dashboard = async () => (await expectStatus(api('GET', `/sites/${site.siteId}/analytics/dashboard`, { headers: bearer(site.manager) }), 200)).json;

beforeAll(async () => {
  site = await orderingSite({ timeZone: zone, currency: 'EUR' }, { businessDayStartsAt: startsAt });
  await eventually(async () => ((await siteItem())?.dayStartsAt === startsAt && (await siteItem())?.timeZone === zone ? true : undefined), 30_000, 'analytics learnt the business day');
}, 120_000);

describe('a business day that started yesterday', () => {
  it('files the orders, the shift and the waste of this hour on the day before, and the dashboard shows that day', async () => {
    await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('staff'), Key: { pk: `USER#${site.staff.userId}`, sk: 'USER' } }))).Item, 90_000, 'staff learnt the user');
    await putProfile(site.siteId, site.manager, site.staff.userId);
    await expectStatus(tap(site.siteId, site.staff, site.staff.userId, 'clock-in'), 201);

    const placed = await expectStatus(
      api('POST', `/sites/${site.siteId}/orders`, { body: { channel: { type: 'takeaway' }, lines: [{ itemId: site.items.lemonade, quantity: 1 }] }, headers: { ...bearer(site.staff), ...idempotencyKey() } }),
      201,
    );
    expect(placed.json.businessDay).toBe(businessDay);
    await expectStatus(
      api('POST', `/sites/${site.siteId}/orders/${placed.json.orderId}/payments`, { body: { method: 'cash', amount: placed.json.totals.total, tendered: 1000 }, headers: { ...bearer(site.staff), ...idempotencyKey() } }),
      201,
    );

    const stock = { siteId: site.siteId, manager: site.manager, staff: site.staff };
    await createStockItem(stock, { itemId: 'lemons', name: 'Lemons', category: 'produce', baseUnit: 'each', units: [], locations: ['walk-in'] });
    await expectStatus(move(stock, site.manager, 'lemons', 'receipts', { location: 'walk-in', quantity: 10, unit: 'each', unitCost: 50 }), 201);
    await expectStatus(move(stock, site.manager, 'lemons', 'waste', { location: 'walk-in', quantity: 2, unit: 'each', reason: 'spoiled' }), 201);

    // Staff counts whole seconds: the shift lasts at least two.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await expectStatus(tap(site.siteId, site.staff, site.staff.userId, 'clock-out'), 201);

    const figures = await eventually(
      async () => {
        const day = await dayFigures(businessDay);
        return day?.orders === 1 && (day.labourSeconds as number) > 0 && day.wasteCount === 1 ? day : undefined;
      },
      45_000,
      'the order, the shift and the waste on the business day',
    );
    expect(figures).toMatchObject({ orders: 1, shifts: 1, wasteValue: 100, wasteCount: 1 });
    expect(await dayFigures(calendarToday)).toBeUndefined();

    const board = await dashboard();
    expect(board.date).toBe(businessDay);
    expect(board.day).toMatchObject({ orders: 1 });
    // The hours run from the one the day starts in; "so far" is up to now, 22 hours into it.
    expect(board.hourly.map((row: { hour: string }) => row.hour).slice(0, 2)).toEqual([startsAt.slice(0, 2), String((Number(startsAt.slice(0, 2)) + 1) % 24).padStart(2, '0')]);
    expect(board.sameWeekdayLastWeekToThisHour.throughHour).toBe(wallClock(Date.now(), zone).time.slice(0, 2));
  });

  it('follows the manager moving the start to midnight: today is the calendar date again', async () => {
    await expectStatus(
      api('PUT', `/sites/${site.siteId}/menu/settings`, { body: { timeZone: zone, currency: 'EUR', businessDayStartsAt: '00:00' }, headers: bearer(site.manager) }),
      200,
    );
    await eventually(async () => ((await siteItem())?.settingsVersion === 2 ? true : undefined), 30_000, 'analytics learnt the new rule');
    expect(await siteItem()).toMatchObject({ dayStartsAt: '00:00', dayTimeZone: zone });
    // The cache of a warm container holds the old rule for up to a minute.
    await eventually(async () => ((await dashboard()).date === calendarToday ? true : undefined), 70_000, 'the dashboard on the calendar date');
  }, 120_000);

  it('`npm run menu-settings:republish` publishes every site\'s settings: analytics learns a version it never had', async () => {
    // Settings written before orders published them: a version analytics never heard of (the table written directly).
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName('orders'),
        Key: { pk: `SITE#${site.siteId}#MENU`, sk: 'SETTINGS' },
        UpdateExpression: 'SET businessDayStartsAt = :starts, version = :v',
        ConditionExpression: 'version = :was',
        ExpressionAttributeValues: { ':starts': '02:00', ':v': 3, ':was': 2 },
      }),
    );
    const { stdout } = await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/republish-menu-settings.ts', '--stage', stage], {
      cwd: PROJECT_ROOT,
      env: process.env,
    });
    expect(stdout).toMatch(/^published \d+ sites' menu settings on arn:aws:sns:.*:brigade-.*-events/m);
    await eventually(async () => ((await siteItem())?.settingsVersion === 3 ? true : undefined), 30_000, 'the republished rule');
    expect(await siteItem()).toMatchObject({ dayStartsAt: '02:00', dayTimeZone: zone });
  }, 120_000);
});
