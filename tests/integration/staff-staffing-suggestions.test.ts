// The forecast's suggested staffing beside the schedule, over the running stack: a forecast.staffing-suggested event
// published on the events topic (as the forecast domain's run publishes it) reaches staff, and the managers' schedule
// read shows per day the suggested and scheduled people per hour and position, the forecast net sales and the
// schedule's labour % of them; a newer run replaces a day, an older one does not; staff's roster shows none of it.
import { publishEvent } from '../../functions/shared/event-publisher';
import { buildEvent } from '../../functions/shared/events';
import { bearer, type TestUser } from './support/identity';
import { expectStatus } from './support/orders';
import { putProfile, staffSite, type StaffSite } from './support/staff';
import { api, eventually, topicArn, uniqueId } from './support/target';

jest.setTimeout(120_000);

let site: StaffSite;
// Wednesday to Friday in Europe/Paris, far from any other test's weeks.
const DAY = '2027-05-12';
const NEXT = '2027-05-13';
const LATER = '2027-05-14';

const schedule = (by: TestUser) => api('GET', `/sites/${site.siteId}/schedule?from=${DAY}&to=${LATER}`, { headers: bearer(by) });

async function suggest(runId: string, createdAt: string, days: Array<Record<string, unknown>>) {
  const event = buildEvent({
    type: 'forecast.staffing-suggested',
    source: 'forecast',
    siteId: site.siteId,
    correlationId: uniqueId('staffing'),
    id: `staffing-suggested:${site.siteId}:${runId}`,
    data: { runId, createdAt, currency: 'USD', days },
  });
  await publishEvent(topicArn('events'), event);
}

const lunch = (servers: number) => ({
  date: DAY,
  closed: false,
  netSales: 200_000,
  covers: 120,
  hours: [
    { hour: '12', positions: [{ positionId: 'server', people: servers }] },
    { hour: '13', positions: [{ positionId: 'server', people: 1 }] },
  ],
  labourHours: servers + 1,
});

beforeAll(async () => {
  site = await staffSite();
  // 1650 an hour as a server (profileBody), US dollars (us.flsa pack).
  await putProfile(site.siteId, site.manager, site.staff.userId);
}, 120_000);

describe('the schedule beside the forecast', () => {
  it('shows the suggested and scheduled people per hour and position, the forecast sales and the labour % of them', async () => {
    await expectStatus(
      api('POST', `/sites/${site.siteId}/schedule/shifts`, {
        body: { date: DAY, start: '11:30', end: '14:00', breakMinutes: 0, positionId: 'server', userId: site.staff.userId },
        headers: { ...bearer(site.manager), 'idempotency-key': uniqueId('shift') },
      }),
      201,
    );
    const before = (await expectStatus(schedule(site.manager), 200)).json;
    expect(before).toMatchObject({ forecastSales: null, labourPercentOfForecastSales: null });
    expect(before.days[0]).not.toHaveProperty('forecast');

    await suggest('20270511T031500000Z-nightly', '2027-05-11T03:15:00.000Z', [lunch(3), { date: NEXT, closed: true, netSales: 0, covers: 0, hours: [], labourHours: 0 }]);
    const view = await eventually(async () => {
      const json = (await expectStatus(schedule(site.manager), 200)).json;
      // The days are kept in the event's order: once the last is there, so is the first.
      return json.days[1]?.forecast ? json : undefined;
    }, 30_000, 'the suggestion learnt');
    const cost = Math.round(2.5 * 1650);
    expect(view.days[0]).toMatchObject({
      date: DAY,
      cost,
      forecast: { runId: '20270511T031500000Z-nightly', closed: false, currency: 'USD', netSales: 200_000, covers: 120, suggestedLabourHours: 4, suggestedLabourCost: null, labourPercentOfForecastSales: Math.round((cost * 10_000) / 200_000) },
    });
    expect(view.days[0].forecast.hours).toEqual([
      { hour: '11', positions: [{ positionId: 'server', suggested: 0, scheduled: 0.5 }] },
      { hour: '12', positions: [{ positionId: 'server', suggested: 3, scheduled: 1 }] },
      { hour: '13', positions: [{ positionId: 'server', suggested: 1, scheduled: 1 }] },
    ]);
    // The closed day has no shift: it is listed for its forecast, with nothing planned.
    expect(view.days[1]).toMatchObject({ date: NEXT, plannedMinutes: 0, cost: 0, forecast: { closed: true, netSales: 0, hours: [], labourPercentOfForecastSales: null } });
    expect(view).toMatchObject({ forecastSales: 200_000, labourPercentOfForecastSales: Math.round((cost * 10_000) / 200_000) });

    const roster = (await expectStatus(schedule(site.staff), 200)).json;
    expect(JSON.stringify(roster)).not.toMatch(/forecast|suggested/);
  });

  it('keeps the newest run per day: a newer one replaces it, an older one arriving late does not', async () => {
    await suggest('20270512T031500000Z-nightly', '2027-05-12T03:15:00.000Z', [lunch(4)]);
    await eventually(async () => {
      const day = (await expectStatus(schedule(site.manager), 200)).json.days[0];
      return day.forecast.runId === '20270512T031500000Z-nightly' ? day : undefined;
    }, 30_000, 'the newer run learnt');
    // The older run also suggests a later day nobody suggested yet: once that day is there, the run has been applied.
    await suggest('20270510T031500000Z-nightly', '2027-05-10T03:15:00.000Z', [lunch(9), { ...lunch(2), date: LATER }]);
    const days = await eventually(async () => {
      const json = (await expectStatus(schedule(site.manager), 200)).json;
      return json.days[2]?.forecast ? json.days : undefined;
    }, 30_000, 'the older run processed');
    expect(days[2].forecast).toMatchObject({ runId: '20270510T031500000Z-nightly', suggestedLabourHours: 3 });
    const day = days[0];
    expect(day.forecast).toMatchObject({ runId: '20270512T031500000Z-nightly', suggestedLabourHours: 5 });
    expect(day.forecast.hours[1].positions[0]).toEqual({ positionId: 'server', suggested: 4, scheduled: 1 });
  });
});
