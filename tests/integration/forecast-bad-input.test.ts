// Every forecast route fed what a client should not send (odd site ids, horizons, metrics, formats, unknown
// parameters): each answer is a 4xx with a JSON error, never a 5xx.
import { policies } from '../../functions/forecast/policies';
import { badQuery, misanswered, oddIdProbes } from './support/bad-input';
import { bearer, createSite, theOwner } from './support/identity';

it('odd path ids, horizons, metrics, formats and unknown parameters are a 4xx with a JSON error, never a 5xx', async () => {
  const [siteId, owner] = await Promise.all([createSite(), theOwner()]);
  const sales = `/sites/${siteId}/forecast/sales`;
  const probes = [
    ...Object.keys(policies).flatMap((route) => oddIdProbes(route, { siteId })),
    ...['0', '29', '-1', '1.5', 'week', '1e3', ''].map((days) => badQuery(`days=${days}`, `${sales}?days=${days}`)),
    badQuery('an unknown metric', `${sales}?metric=profit`),
    badQuery('two metrics', `${sales}?metric=netSales,orders`),
    badQuery('an unknown format', `${sales}?format=xlsx`),
    badQuery('an unknown parameter', `${sales}?horizon=7`),
    // Regression: a from after the default to (the last day learnt) was a 500 (DynamoDB refused the key range).
    badQuery('accuracy from after the last day learnt', `/sites/${siteId}/forecast/accuracy?from=2199-12-31`),
    badQuery('accuracy from today, after the last day learnt', `/sites/${siteId}/forecast/accuracy?from=${new Date().toISOString().slice(0, 10)}`),
    ...['items', 'ingredients'].flatMap((route) => [
      ...['0', '15', '-1', '1.5', 'week', ''].map((days) => badQuery(`${route} days=${days}`, `/sites/${siteId}/forecast/${route}?days=${days}`)),
      badQuery(`${route} an unknown format`, `/sites/${siteId}/forecast/${route}?format=xlsx`),
      badQuery(`${route} an unknown parameter`, `/sites/${siteId}/forecast/${route}?metric=orders`),
    ]),
  ];
  expect(await misanswered(probes, bearer(owner))).toEqual([]);
}, 60_000);
