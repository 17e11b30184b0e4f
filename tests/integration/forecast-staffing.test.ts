// Staffing suggestions over the running stack: three weeks of analytics.daily-figures with their hours and two
// people's staff.pay-rates-changed reach the forecast domain by the events topic only; a manager sets the site's
// productivity targets (by version: a stale write is a 409), and GET …/forecast/staffing answers the people per hour
// and position with labour hours, cost at the mean rate and labour %; CSV; a site without targets answers
// no-targets; staff 403, past 7 days 400; a replay of the archived pay rates to learnPayRates rebuilds them.
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { publishEvent } from '../../functions/shared/event-publisher';
import { buildEvent } from '../../functions/shared/events';
import { addDays } from '../../functions/shared/time';
import { archivedEventually, invokeReplay } from './support/archive';
import { bearer, createSite, createUser, theOwner, type TestUser } from './support/identity';
import { expectStatus } from './support/orders';
import { api, describeLocal, dynamo, eventually, tableName, topicArn, uniqueId } from './support/target';

jest.setTimeout(120_000);

let siteId: string;
let manager: TestUser;
let staff: TestUser;
let today: string;
const payRateIds: string[] = [];

const targetsPath = () => `/sites/${siteId}/forecast/targets`;
const staffing = (query: string, user = manager, site = siteId) => api('GET', `/sites/${site}/forecast/staffing?${query}`, { headers: bearer(user) });

/** Lunch 12–13 and dinner 19–20, the same every day: the forecast of each hour is that hour's figures. */
const HOURS = [
  { hour: '12', netSales: 60_000, orders: 20, covers: 31 },
  { hour: '13', netSales: 30_000, orders: 10, covers: 15 },
  { hour: '19', netSales: 45_000, orders: 14, covers: 22 },
  { hour: '20', netSales: 36_000, orders: 12, covers: 18 },
];
const DAY_SALES = HOURS.reduce((sum, h) => sum + h.netSales, 0);

const TARGETS = [
  { positionId: 'server', driver: 'covers', perPersonHour: 15, minimum: 1 },
  { positionId: 'line-cook', driver: 'netSales', perPersonHour: 40_000, minimum: 1, prepHours: 1 },
];

async function publish(type: string, source: string, data: Record<string, unknown>, id?: string) {
  const event = buildEvent({ type, source, siteId, correlationId: uniqueId('staffing-test'), data, ...(id ? { id } : {}) });
  await publishEvent(topicArn('events'), event);
  return event.id;
}

beforeAll(async () => {
  siteId = await createSite();
  [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
  today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const days = Array.from({ length: 21 }, (_, i) => addDays(today, i - 21));
  await Promise.all(
    days.map((date) =>
      publish('analytics.daily-figures', 'analytics', {
        date,
        currency: 'EUR',
        netSales: DAY_SALES,
        orders: HOURS.reduce((sum, h) => sum + h.orders, 0),
        covers: HOURS.reduce((sum, h) => sum + h.covers, 0),
        refunds: 0,
        hours: HOURS,
        items: [],
        closed: true,
      }),
    ),
  );
  const rates = (userId: string, version: number, server: number, cook?: number) =>
    publish(
      'staff.pay-rates-changed',
      'staff',
      { userId, version, currency: 'EUR', rates: [{ positionId: 'server', from: '2026-01-01', hourlyRate: server }, ...(cook ? [{ positionId: 'line-cook', from: '2026-01-01', hourlyRate: cook }] : [])] },
      `pay-rates:${siteId}:${userId}:v${version}`,
    );
  // Ana's version 2 wins over her version 1, whatever order they arrive in.
  payRateIds.push(await rates('ana', 2, 1_500, 1_900), await rates('ana', 1, 1_200), await rates('ben', 1, 1_601));
  await eventually(async () => {
    const learnt = await Promise.all(days.map(async (date) => (await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: { pk: `SITE#${siteId}#DAILY`, sk: `DAY#${date}` } }))).Item));
    const ana = (await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: { pk: `SITE#${siteId}#PAYRATES`, sk: 'USER#ana' } }))).Item;
    const ben = (await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: { pk: `SITE#${siteId}#PAYRATES`, sk: 'USER#ben' } }))).Item;
    return learnt.every(Boolean) && ana?.version === 2 && ben ? true : undefined;
  }, 45_000, 'the days and pay rates learnt');
}, 120_000);

describe('productivity targets', () => {
  it('are set by version: 201 first, 409 when stale or repeated as a first write, 200 with the version read; 404 before', async () => {
    expect((await api('GET', targetsPath(), { headers: bearer(manager) })).status).toBe(404);
    const first = await expectStatus(api('PUT', targetsPath(), { body: { positions: [TARGETS[0]] }, headers: bearer(manager) }), 201);
    expect(first.json).toMatchObject({ siteId, version: 1, positions: [TARGETS[0]], updatedBy: manager.userId });
    expect((await api('PUT', targetsPath(), { body: { positions: TARGETS }, headers: bearer(manager) })).status).toBe(409);
    const second = await expectStatus(api('PUT', targetsPath(), { body: { positions: TARGETS, expectedVersion: 1 }, headers: bearer(manager) }), 200);
    expect(second.json.version).toBe(2);
    expect((await api('PUT', targetsPath(), { body: { positions: TARGETS, expectedVersion: 1 }, headers: bearer(manager) })).status).toBe(409);
    expect((await expectStatus(api('GET', targetsPath(), { headers: bearer(manager) }), 200)).json).toMatchObject({ version: 2, positions: TARGETS });
  });

  it('refuse bad input with 400 naming the field, and staff with 403', async () => {
    const bad = await api('PUT', targetsPath(), { body: { positions: [{ ...TARGETS[1], perPersonHour: 400.5 }] }, headers: bearer(manager) });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/whole minor units/);
    expect((await api('PUT', targetsPath(), { body: { positions: TARGETS }, headers: bearer(staff) })).status).toBe(403);
    expect((await api('GET', targetsPath(), { headers: bearer(staff) })).status).toBe(403);
  });
});

describe('GET /sites/{siteId}/forecast/staffing', () => {
  it('suggests people per hour and position from the learnt hours, costed at the mean of the people’s current rates', async () => {
    const result = (await expectStatus(staffing('days=3'), 200)).json;
    expect(result).toMatchObject({ siteId, targetsVersion: 2, currency: 'EUR', history: { from: addDays(today, -21), to: addDays(today, -1) } });
    expect(result.rates).toEqual([{ positionId: 'server', hourlyRate: Math.round((1_500 + 1_601) / 2) }, { positionId: 'line-cook', hourlyRate: 1_900 }]);
    expect(result.days.map((d: any) => d.date)).toEqual([today, addDays(today, 1), addDays(today, 2)]);
    for (const metric of ['netSales', 'orders', 'covers']) expect(result.models[metric].method).toEqual(expect.any(String));
    const day = result.days[0];
    expect(day).toMatchObject({ closed: false, netSales: DAY_SALES });
    expect(day.hours.map((h: any) => [h.hour, h.trading, h.positions])).toEqual([
      ['11', false, [{ positionId: 'line-cook', people: 1 }]],
      ['12', true, [{ positionId: 'server', people: 3 }, { positionId: 'line-cook', people: 2 }]],
      ['13', true, [{ positionId: 'server', people: 1 }, { positionId: 'line-cook', people: 1 }]],
      ['19', true, [{ positionId: 'server', people: 2 }, { positionId: 'line-cook', people: 2 }]],
      ['20', true, [{ positionId: 'server', people: 2 }, { positionId: 'line-cook', people: 1 }]],
    ]);
    // Servers 3 + 1 + 2 + 2; cooks an hour of prep before the first service, then 2 + 1 + 2 + 1 (none between services).
    expect(day.labourHours).toBe(8 + 7);
    expect(day.labourCost).toBe(8 * 1_551 + 7 * 1_900);
    expect(day.labourPercentBps).toBe(Math.round(((8 * 1_551 + 7 * 1_900) * 10_000) / DAY_SALES));
  });

  it('answers CSV, one row per day, hour and position', async () => {
    const csv = await expectStatus(staffing('days=1&format=csv'), 200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('date,hour,positionId,people,trading,netSales_minor,netSales,orders,covers,currency');
    expect(lines).toHaveLength(1 + 9);
    expect(lines[2]).toBe(`${today},12,server,3,true,60000,600.00,20,31,EUR`);
  });

  it('answers no-targets for a site without targets, 403 to staff, 400 past 7 days', async () => {
    const other = await createSite();
    const owner = await theOwner();
    expect((await expectStatus(staffing('days=1', owner, other), 200)).json).toEqual({ siteId: other, run: null, reason: 'no-targets', days: [] });
    expect((await staffing('days=1', staff)).status).toBe(403);
    const tooFar = await expectStatus(staffing('days=8'), 400);
    expect(tooFar.text).toMatch(/at most 7/);
    expect((await staffing('days=1&metric=covers')).status).toBe(400);
  });
});

describeLocal('the learnt pay rates', () => {
  it('are rebuilt by a replay of the archived staff.pay-rates-changed to learnPayRates, highest version kept', async () => {
    const key = (userId: string) => ({ pk: `SITE#${siteId}#PAYRATES`, sk: `USER#${userId}` });
    await archivedEventually(siteId, payRateIds);
    for (const userId of ['ana', 'ben']) await dynamo.send(new DeleteCommand({ TableName: tableName('forecast'), Key: key(userId) }));
    expect((await staffing('days=1')).json.rates).toEqual([{ positionId: 'server', hourlyRate: null }, { positionId: 'line-cook', hourlyRate: null }]);
    const result = await invokeReplay({ siteId, target: 'learnPayRates', types: ['staff.pay-rates-changed'] });
    expect(result).toEqual({ ok: true, payload: { replayed: 3, done: true } });
    const ana = (await dynamo.send(new GetCommand({ TableName: tableName('forecast'), Key: key('ana'), ConsistentRead: true }))).Item;
    expect(ana).toMatchObject({ version: 2, currency: 'EUR', eventId: payRateIds[0] });
    expect((await staffing('days=1')).json.rates[0]).toEqual({ positionId: 'server', hourlyRate: 1_551 });
  });
});
