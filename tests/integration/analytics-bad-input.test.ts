// Every analytics route fed what a client should not send (odd site ids, dates, grains, ranges, comparisons and
// formats, unknown parameters): each answer is a 4xx with a JSON error, never a 5xx.
import { policies } from '../../functions/analytics/policies';
import { badQuery, misanswered, ODD_DATES, oddIdProbes } from './support/bad-input';
import { bearer, createSite, theOwner, type TestUser } from './support/identity';

let siteId: string;
let owner: TestUser;

beforeAll(async () => {
  [siteId, owner] = await Promise.all([createSite(), theOwner()]);
}, 60_000);

it('odd path ids on every route are a 4xx with a JSON error, never a 5xx', async () => {
  const probes = Object.keys(policies).flatMap((route) => oddIdProbes(route, { siteId }));
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});

it('odd dates, grains, comparisons, formats, ranges and unknown parameters are a 400', async () => {
  const dashboard = `/sites/${siteId}/analytics/dashboard`;
  const sales = `/sites/${siteId}/analytics/sales`;
  const range = 'from=2026-11-01&to=2026-11-30';
  const probes = [
    ...ODD_DATES.flatMap((date) => [
      badQuery(`dashboard date=${date}`, `${dashboard}?date=${date}`),
      badQuery(`from=${date}`, `${sales}?from=${date}&to=2026-11-02`),
      badQuery(`to=${date}`, `${sales}?from=2026-11-01&to=${date}`),
    ]),
    badQuery('no range', sales),
    badQuery('a backwards range', `${sales}?from=2026-11-02&to=2026-11-01`),
    badQuery('401 days at day grain', `${sales}?from=2025-01-01&to=2026-02-05`),
    badQuery('801 days at week grain', `${sales}?from=2024-01-01&to=2026-03-11&grain=week`),
    badQuery('a year grain', `${sales}?${range}&grain=year`),
    badQuery('an unknown comparison', `${sales}?${range}&compare=yesterday`),
    badQuery('an unknown format', `${sales}?${range}&format=xlsx`),
    badQuery('an unknown parameter', `${sales}?${range}&metric=margin`),
    badQuery('an unknown metric', `${sales}?${range}&metrics=netSales,margin`),
    badQuery('no metric', `${sales}?${range}&metrics=`),
    badQuery('an unknown dashboard parameter', `${dashboard}?site=all`),
  ];
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
});
