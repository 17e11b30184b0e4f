// The demo's forecast chain over the running stack, as `npm start` leaves it: after the demo history, the forecast
// domain's nightly job has stored a run for demo-bistro with every part (daily, hourly, items, ingredients, staffing at
// the demo's productivity targets), published its ingredient demand, which inventory's reorder suggestions follow, and
// its staffing, which staff's schedule shows beside the shifts; and four weeks of forecast vs actual are there.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { addDays } from '../../functions/shared/time';
import { api, dynamo, eventually, tableName } from './support/target';
import { bearer, theOwner, type TestUser } from './support/identity';

const DEMO = 'demo-bistro';
let owner: TestUser;
const get = async (path: string) => {
  const res = await api('GET', `/sites/${DEMO}${path}`, { headers: bearer(owner) });
  expect([path, res.status]).toEqual([path, 200]);
  return res.json;
};

beforeAll(async () => {
  owner = await theOwner();
  await eventually(async () => (await dynamo.send(new GetCommand({ TableName: tableName('analytics'), Key: { pk: 'DEMO', sk: `HISTORY#${DEMO}` } }))).Item, 150_000, 'the demo history seeded');
  await eventually(async () => ((await get('/forecast/runs?limit=1')).runs.length > 0 ? true : undefined), 120_000, "the demo's first forecast run");
}, 300_000);

describe("the demo site's forecasts", () => {
  it('are a stored nightly run with every part, the staffing at the demo targets', async () => {
    const [run] = (await get('/forecast/runs?limit=1')).runs;
    expect(run).toMatchObject({ trigger: 'nightly', history: { to: expect.any(String) } });
    expect(run.parts.map((part: any) => part.part)).toEqual(['sales#netSales', 'sales#orders', 'sales#covers', 'hourly#netSales', 'hourly#orders', 'hourly#covers', 'items', 'ingredients', 'staffing']);
    const staffing = await get('/forecast/staffing?days=7');
    expect(staffing.run.runId).toBe(run.runId);
    const open = staffing.days.filter((day: any) => !day.closed);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((day: any) => day.labourHours > 0 && day.hours.some((hour: any) => hour.positions.some((p: any) => p.positionId === 'server' && p.people >= 1)))).toBe(true);
    // Costed at the demo staff's learnt rates, so labour % of the forecast sales is known.
    expect(open.every((day: any) => Number.isInteger(day.labourCost) && day.labourPercentBps > 0)).toBe(true);
    const items = await get('/forecast/items?days=14');
    expect(items.items.length).toBeGreaterThan(3);
    const ingredients = await get('/forecast/ingredients?days=14');
    expect(ingredients.ingredients.length).toBeGreaterThan(0);
  });

  it("feed inventory's reorder suggestions with the run's ingredient demand", async () => {
    const [run] = (await get('/forecast/runs?limit=1')).runs;
    const suggestions = await eventually(async () => {
      const answer = await get('/inventory/reorder-suggestions');
      return answer.forecast?.runId === run.runId ? answer : undefined;
    }, 60_000, 'the demand learnt by inventory');
    const byForecast = suggestions.items.filter((item: any) => item.basis === 'forecast');
    expect(byForecast.length).toBeGreaterThan(0);
    for (const item of byForecast) expect(item.forecastDemand).toBeGreaterThan(0);
  });

  it("are shown beside staff's schedule, with the labour % of the forecast sales", async () => {
    const [run] = (await get('/forecast/runs?limit=1')).runs;
    const from = addDays(run.history.to, 1);
    const schedule = await eventually(async () => {
      const answer = await get(`/schedule?from=${from}&to=${addDays(from, 6)}`);
      return answer.days.some((day: any) => day.forecast) ? answer : undefined;
    }, 60_000, 'the staffing learnt by staff');
    const day = schedule.days.find((d: any) => d.forecast && d.forecast.netSales > 0);
    expect(day.forecast.hours.length).toBeGreaterThan(0);
    expect(schedule.forecastSales).toBeGreaterThan(0);
  });

  it('come with four weeks of forecast vs actual', async () => {
    const accuracy = await get('/forecast/accuracy?metric=covers&horizon=1');
    expect(accuracy.summary.days).toBe(28);
    expect(accuracy.summary.relativeToSeasonalNaive).toBeGreaterThan(0);
    expect(accuracy.summary.coverage95).toBeGreaterThan(0.5);
    const weekAhead = await get('/forecast/accuracy?metric=netSales&horizon=7');
    expect(weekAhead.summary.days).toBe(28);
  });
});
