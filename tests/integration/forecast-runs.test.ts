// The forecast domain's stored runs, calendar and forecast-vs-actual over the running stack: a site whose daily
// figures arrive as analytics publishes them; before any run the forecast is computed on request; the calendar's
// closures and holidays; a run on demand (a second within a minute is the same run), listed with its models, read by
// ?runId=; the nightly job runs a site once a new day is learnt; the new day's actual beside what was forecast for it.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand } from '@aws-sdk/client-sns';
import { buildEvent } from '../../functions/shared/events';
import { addDays } from '../../functions/shared/time';
import { sampleData } from '../unit/fixtures/events';
import { api, describeLocal, eventually, sns, stage, topicArn, uniqueId } from './support/target';
import { bearer, createSite, createUser, type TestUser } from './support/identity';

const WEEK = [0.6, 0.8, 0.9, 1.0, 1.4, 1.6, 1.1]; // Monday first
let siteId: string;
let manager: TestUser;
let staff: TestUser;
/** The last day learnt before the run: 28 days of history end here. */
const lastDay = addDays(new Date().toISOString().slice(0, 10), -2);
const firstDay = addDays(lastDay, -27);
const weekdayIndex = (date: string) => (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
const coversOn = (date: string) => Math.round(100 * WEEK[weekdayIndex(date)]!);

const get = (path: string, user: TestUser = manager) => api('GET', `/sites/${siteId}/forecast/${path}`, { headers: bearer(user) });
const send = (method: string, path: string, body?: unknown, user: TestUser = manager) => api(method, `/sites/${siteId}/forecast/${path}`, { headers: bearer(user), ...(body === undefined ? {} : { body }) });

async function publishDay(date: string, covers = coversOn(date)) {
  const orders = Math.round(covers / 2);
  const lunch = { hour: '12', netSales: Math.round(covers * 0.4) * 1500, orders: Math.round(orders * 0.4), covers: Math.round(covers * 0.4) };
  const dinner = { hour: '19', netSales: covers * 1500 - lunch.netSales, orders: orders - lunch.orders, covers: covers - lunch.covers };
  const data = { ...sampleData('analytics.daily-figures'), date, netSales: covers * 1500, orders, covers, refunds: 0, hours: [lunch, dinner], items: [] };
  const revision = Math.random().toString(16).slice(2, 10).padEnd(16, '0');
  const event = buildEvent({ id: `daily-figures:${siteId}:${date}:r${revision}`, type: 'analytics.daily-figures', source: 'analytics', siteId, correlationId: uniqueId('forecast-runs'), data });
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn('events'),
      Message: JSON.stringify(event),
      MessageAttributes: Object.fromEntries((['type', 'siteId', 'source'] as const).map((name) => [name, { DataType: 'String', StringValue: event[name] }])),
    }),
  );
}

async function invokeNightlyJob(): Promise<Record<string, number>> {
  const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${process.env.BRIGADE_LAMBDA_PORT ?? '3002'}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const result = await lambda.send(new InvokeCommand({ FunctionName: `brigade-${stage}-runForecasts`, Payload: Buffer.from('{}') }));
    expect(result.FunctionError).toBeUndefined();
    return JSON.parse(Buffer.from(result.Payload ?? []).toString('utf8'));
  } finally {
    lambda.destroy();
  }
}

beforeAll(async () => {
  siteId = await createSite(uniqueId('fc-runs'));
  [manager, staff] = await Promise.all([createUser('manager', [siteId]), createUser('staff', [siteId])]);
  const dates = Array.from({ length: 28 }, (_, i) => addDays(firstDay, i));
  for (let i = 0; i < dates.length; i += 7) await Promise.all(dates.slice(i, i + 7).map((date) => publishDay(date)));
  await eventually(async () => {
    const res = await get('sales?metric=covers&days=1');
    return res.json?.history?.observedDays === 28 ? res : undefined;
  }, 60_000, 'the 28 days learnt');
}, 120_000);

describe('the calendar', () => {
  it('marks closures and holidays, lists them, unmarks them; staff 403, bad dates 400', async () => {
    const closedDay = addDays(lastDay, 3);
    const holiday = addDays(lastDay, 4);
    expect((await send('PUT', `calendar/days/${closedDay}`, { kind: 'closed', name: 'Staff training' })).status).toBe(200);
    expect((await send('PUT', `calendar/days/${holiday}`, { kind: 'holiday', name: 'Festival' })).status).toBe(200);
    expect((await send('PUT', `calendar/days/${addDays(lastDay, 5)}`, { kind: 'closed' })).status).toBe(200);
    const listed = await get(`calendar?from=${lastDay}&to=${addDays(lastDay, 10)}`);
    expect(listed.status).toBe(200);
    expect(listed.json).toMatchObject({ siteId, closedWeekdays: [], days: [{ date: closedDay, kind: 'closed', name: 'Staff training' }, { date: holiday, kind: 'holiday', name: 'Festival' }, { date: addDays(lastDay, 5), kind: 'closed' }] });
    expect((await send('DELETE', `calendar/days/${addDays(lastDay, 5)}`)).status).toBe(204);
    const again = await send('DELETE', `calendar/days/${addDays(lastDay, 5)}`);
    expect(again.status).toBe(404);
    expect(again.json.error).toBeDefined();

    expect((await send('PUT', `calendar/days/${closedDay}`, { kind: 'closed' }, staff)).status).toBe(403);
    expect((await get('calendar', staff)).status).toBe(403);
    for (const [path, body] of [
      ['calendar/days/2026-02-30', { kind: 'closed' }],
      ['calendar/days/0000-01-01', { kind: 'closed' }],
      ['calendar/days/tomorrow', { kind: 'closed' }],
      [`calendar/days/${closedDay}`, { kind: 'vacation' }],
      ['calendar/weekly', { closedWeekdays: ['monday', 'monday'] }],
    ] as const) {
      const res = await send('PUT', path, body);
      expect([path, res.status, typeof res.json?.error]).toEqual([path, 400, 'object']);
    }
    expect((await get('calendar?from=2020-01-01&to=2026-01-01')).status).toBe(400);
  });
});

describe('forecast runs', () => {
  it('computes on request before the first run, labelled run: null, and respects the calendar', async () => {
    const res = await get('sales?metric=covers&days=7');
    expect(res.status).toBe(200);
    expect(res.json.run).toBeNull();
    const closed = res.json.forecast.find((day: any) => day.date === addDays(lastDay, 3));
    expect(closed).toMatchObject({ mean: 0, closed: true });
    const festival = res.json.forecast.find((day: any) => day.date === addDays(lastDay, 4));
    expect(festival.holiday).toEqual({ name: 'Festival' });
  });

  let runId: string;
  it('runs on demand (201), and a second ask within a minute over the same history is the same run (200)', async () => {
    const first = await send('POST', 'runs');
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ siteId, trigger: 'on-demand', by: manager.userId, history: { from: firstDay, to: lastDay } });
    expect(first.json.runId).toMatch(/^r\d{8}T\d{9}Z-[0-9a-f]{4}$/);
    expect(first.json.parts.map((part: any) => part.part)).toEqual(expect.arrayContaining(['sales#netSales', 'sales#orders', 'sales#covers']));
    runId = first.json.runId;
    const second = await send('POST', 'runs');
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ runId, reused: true });
    expect((await send('POST', 'runs', undefined, staff)).status).toBe(403);
  }, 60_000);

  it('lists the run with its models and serves its forecast, also by ?runId=', async () => {
    const list = await get('runs?limit=5');
    expect(list.status).toBe(200);
    expect(list.json.runs[0]).toMatchObject({ runId, trigger: 'on-demand', createdAt: expect.any(String) });
    const one = await get(`runs/${runId}`);
    expect(one.status).toBe(200);
    expect(one.json.parts.map((part: any) => part.part)).toEqual(['sales#netSales', 'sales#orders', 'sales#covers', 'hourly#netSales', 'hourly#orders', 'hourly#covers', 'items', 'ingredients']);
    const covers = one.json.models.find((model: any) => model.part === 'sales#covers');
    expect(covers.method).toMatch(/ETS|SNAIVE/);
    expect(Object.keys(covers.parameters).length).toBeGreaterThan(0);

    const latest = await get('sales?metric=covers&days=3');
    expect(latest.json.run).toMatchObject({ runId, trigger: 'on-demand' });
    expect(latest.json.forecast).toHaveLength(3);
    const byId = await get(`sales?metric=covers&days=28&runId=${runId}`);
    expect(byId.json.forecast).toHaveLength(28);
    expect(byId.json.forecast.slice(0, 3)).toEqual(latest.json.forecast);
    // The hourly forecast of the same run, with the calendar's closed day closed.
    const hourly = await get('hourly?metric=covers&days=7');
    expect(hourly.json.run).toMatchObject({ runId });
    expect(hourly.json.forecast.find((day: any) => day.date === addDays(lastDay, 3))).toMatchObject({ closed: true, mean: 0 });

    expect((await get('runs/r20200101T000000000Z-abcd')).status).toBe(404);
    expect((await get('sales?runId=r20200101T000000000Z-abcd')).status).toBe(404);
    expect((await get('runs/not-a-run')).status).toBe(400);
    expect((await get('runs?limit=0')).status).toBe(400);
    expect((await get('runs?cursor=forged')).status).toBe(400);
    expect((await get('runs', staff)).status).toBe(403);
  });

  describeLocal('the nightly job (local: the test invokes the hourly schedule)', () => {
    it('runs the site once a new day is learnt, and puts that day beside what was forecast for it', async () => {
      const newDay = addDays(lastDay, 1);
      await publishDay(newDay, coversOn(newDay) + 10);
      await eventually(async () => ((await get(`accuracy?metric=covers&from=${newDay}&to=${newDay}`)).json?.days?.[0]?.actual != null ? true : undefined), 30_000, 'the new day learnt');
      const due = await invokeNightlyJob();
      expect(due.ran).toBeGreaterThanOrEqual(1);
      const runs = (await get('runs')).json.runs;
      expect(runs[0]).toMatchObject({ trigger: 'nightly', history: { to: newDay } });
      expect(runs[1].runId).toBe(runId);

      const accuracy = await get(`accuracy?metric=covers&horizon=1&from=${newDay}&to=${newDay}`);
      expect(accuracy.status).toBe(200);
      const [day] = accuracy.json.days;
      expect(day).toMatchObject({ date: newDay, actual: coversOn(newDay) + 10, runId });
      expect(day.error).toBeCloseTo(day.forecast - day.actual, 6);
      expect(accuracy.json.summary.days).toBe(1);
      expect(accuracy.json.summary.mae).toBeCloseTo(Math.abs(day.error), 2);
      const csv = await get(`accuracy?metric=covers&from=${newDay}&to=${newDay}&format=csv`);
      expect(csv.text.split('\r\n')[0]).toMatch(/^date,actual,forecast,/);

      // Nothing new learnt: the next hour's job leaves the site alone.
      const idle = await invokeNightlyJob();
      expect((await get('runs')).json.runs[0].runId).toBe(runs[0].runId);
      expect(idle.failed).toBe(0);
    }, 90_000);
  });

  it('refuses bad accuracy queries with 400 and staff with 403', async () => {
    for (const query of ['horizon=3', 'metric=profit', 'from=2026-05-02&to=2026-05-01', 'from=2020-01-01&to=2026-01-01', 'to=2026-13-01']) {
      const res = await get(`accuracy?${query}`);
      expect([query, res.status, typeof res.json?.error]).toEqual([query, 400, 'object']);
    }
    expect((await get('accuracy', staff)).status).toBe(403);
  });
});
