// The demo's forecast-vs-actual: what nightly runs would have forecast for the history's last four weeks, one day and
// one week ahead, had the forecast domain been running then. Per metric the model is chosen by the domain's backtest
// on the history up to the first origin only, then refitted at each origin as the backtests do (ETS: the same
// parameters, its states re-run over the days up to the origin), so no forecast sees a day after its origin. A nightly
// run would choose afresh each night; this keeps the seed to two model searches. The tracked items carry
// `runId: 'demo-backfill'` (no stored run is behind them).
import type { DailyPoint } from '../../functions/forecast/daily-series-store';
import { dailySeriesOf, MIN_HISTORY_DAYS, roundForecast, WEEKLY_PERIOD, type ForecastMetric } from '../../functions/forecast/forecast-rules';
import { chooseByBacktest } from '../../functions/forecast/models/backtest';
import { TRACKED_HORIZONS } from '../../functions/forecast/run-rules';
import { trackedItem } from '../../functions/forecast/run-store';
import { addDays } from '../../functions/shared/time';

export const BACKFILL_RUN_ID = 'demo-backfill';
/** Days compared: the accuracy route's default window. */
const COMPARED_DAYS = 28;
/** Net sales and covers: what a manager looks at. */
const METRICS: readonly ForecastMetric[] = ['netSales', 'covers'];
/** When the nightly run of the day after an origin would have run. */
const RUN_TIME = 'T03:00:00.000Z';

export function accuracyBackfill(siteId: string, points: readonly DailyPoint[]): Array<Record<string, unknown>> {
  const items: Array<Record<string, unknown>> = [];
  const longest = Math.max(...TRACKED_HORIZONS);
  for (const metric of METRICS) {
    const series = dailySeriesOf(points, metric);
    if (!series) return [];
    const firstCompared = addDays(series.to, 1 - COMPARED_DAYS);
    const firstOrigin = series.dates.indexOf(addDays(firstCompared, -longest));
    const training = series.values.slice(0, firstOrigin + 1);
    if (firstOrigin < 0 || training.filter((value) => value !== null).length < MIN_HISTORY_DAYS) return [];
    const choice = chooseByBacktest(training, WEEKLY_PERIOD);
    for (let origin = firstOrigin; origin < series.dates.length - 1; origin++) {
      const forecast = choice.refit(series.values.slice(0, origin + 1)).forecast(longest);
      const value = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? roundForecast(metric, x) : null);
      for (const horizon of TRACKED_HORIZONS) {
        const date = addDays(series.dates[origin]!, horizon);
        if (date < firstCompared || date > series.to) continue;
        const i = horizon - 1;
        items.push(
          trackedItem(siteId, {
            metric,
            date,
            horizon,
            mean: value(forecast.mean[i]),
            lower80: value(forecast.lower80[i]),
            upper80: value(forecast.upper80[i]),
            lower95: value(forecast.lower95[i]),
            upper95: value(forecast.upper95[i]),
            runId: BACKFILL_RUN_ID,
            createdAt: `${addDays(series.dates[origin]!, 1)}${RUN_TIME}`,
          }),
        );
      }
    }
  }
  return items;
}
