// Hourly forecast accuracy against R (issue 16: "within 5 % of the best R method on hourly series"), pure code, no
// stack. The series and R's side are in tests/unit/fixtures/forecast/hourly-benchmark.json (make-hourly-fixtures.R):
// R's taylor summed to hours and synthetic restaurant hours, each with rolling windows of 168 hours (7 days), and at
// each window the point forecasts of R's snaive() at lag 168, stlf() on msts(c(24, 168)) and tbats(), refitted from
// scratch on the window's training data, with R's fit times. At the same windows Brigade runs chooseHourlyModel on
// the training data (its own inner backtest picks the method) and forecasts 168 hours with the winner; its two
// candidates alone are scored too. All are scored here by the same code (accuracy.ts: MASE scaled by the training
// data's seasonal naive at lag 168, sMAPE). Cost: Brigade's fit + backtest + forecast per window, twice (before and
// after R), and, when Rscript with forecast is installed, R's snaive and stlf on the same windows in the same run
// (tbats, 30 s to minutes a window, only from the fixture's recorded times).
//   npx tsx bench/forecast-hourly.ts [fixture.json]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mase, smape } from '../functions/forecast/models/accuracy';
import { chooseHourlyModel, dailyProfile, HOURS_PER_WEEK, mstlEts } from '../functions/forecast/models/hourly';
import { snaive } from '../functions/forecast/models/snaive';
import { PROJECT_ROOT, runBench } from './support/harness';
import { median, printResult, printTable, round } from './support/stats';

const FIXTURE = process.argv[2] ?? join(PROJECT_ROOT, 'tests/unit/fixtures/forecast/hourly-benchmark.json');
const TARGET_RATIO = 1.05;
const BRIGADE_METHODS = ['brigade', 'snaive168', 'dailyProfile', 'mstlEts'] as const;

interface Window {
  training: number;
  forecasts: Record<string, number[]>;
  seconds: Record<string, number>;
}

interface BenchSeries {
  name: string;
  family: string;
  horizon: number;
  y: Array<number | null>;
  windows: Window[];
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

interface Scored {
  name: string;
  family: string;
  mase: Record<string, number>;
  smape: Record<string, number>;
  chosen: string[];
}

function scoreSeries(s: BenchSeries, rMethods: string[]): Scored {
  const mases: Record<string, number[]> = {};
  const smapes: Record<string, number[]> = {};
  const chosen: string[] = [];
  for (const w of s.windows) {
    const training = s.y.slice(0, w.training);
    const actual = s.y.slice(w.training, w.training + s.horizon);
    const choice = chooseHourlyModel(training);
    chosen.push(choice.method);
    const forecasts: Record<string, number[]> = {
      brigade: choice.model.forecast(s.horizon).mean,
      snaive168: snaive(training, HOURS_PER_WEEK).forecast(s.horizon).mean,
      dailyProfile: dailyProfile(training).forecast(s.horizon).mean,
      mstlEts: mstlEts(training).forecast(s.horizon).mean,
      ...Object.fromEntries(rMethods.map((method) => [method, w.forecasts[method]!])),
    };
    for (const [method, forecast] of Object.entries(forecasts)) {
      (mases[method] ??= []).push(mase(actual, forecast, training, HOURS_PER_WEEK));
      (smapes[method] ??= []).push(smape(actual, forecast));
    }
  }
  const meanOf = (scores: Record<string, number[]>) => Object.fromEntries(Object.entries(scores).map(([method, values]) => [method, mean(values)]));
  return { name: s.name, family: s.family, mase: meanOf(mases), smape: meanOf(smapes), chosen };
}

/** Brigade's fit (inner backtest included) and 168-hour forecast per window, ms. */
function timeBrigade(series: BenchSeries[]): number[] {
  return series.flatMap((s) =>
    s.windows.map((w) => {
      const start = process.hrtime.bigint();
      chooseHourlyModel(s.y.slice(0, w.training)).model.forecast(s.horizon);
      return Number(process.hrtime.bigint() - start) / 1e6;
    }),
  );
}

const R_TIMING = `
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })
windows <- fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE)
invisible(stlf(msts(rep(1:24, 30) + 0, seasonal.periods = c(24, 168)), h = 168))  # warm-up: lazy loading
elapsed <- function(expr) { start <- proc.time()[["elapsed"]]; force(expr); 1000 * (proc.time()[["elapsed"]] - start) }
cat(toJSON(lapply(windows, function(w) {
  y <- unlist(w)
  list(snaive = elapsed(snaive(ts(y, frequency = 168), h = 168)), stlf = elapsed(stlf(msts(y, seasonal.periods = c(24, 168)), h = 168)))
}), auto_unbox = TRUE))
`;

function timeR(series: BenchSeries[], dir: string): Array<{ snaive: number; stlf: number }> | undefined {
  const data = join(dir, 'windows.json');
  const script = join(dir, 'timing.R');
  writeFileSync(data, JSON.stringify(series.flatMap((s) => s.windows.map((w) => s.y.slice(0, w.training)))));
  writeFileSync(script, R_TIMING);
  try {
    return JSON.parse(execFileSync('Rscript', [script, data], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 })) as Array<{ snaive: number; stlf: number }>;
  } catch (error) {
    console.error('R timing skipped:', error instanceof Error ? error.message.split('\n')[0] : error);
    return undefined;
  }
}

runBench('Brigade bench: hourly forecast accuracy (7 days × 24 hours) vs R snaive, stlf (MSTL + ETS) and tbats', 15 * 60_000, async (bench) => {
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { r: { version: string; forecast: string }; series: BenchSeries[] };
  const rMethodsOf = (of: BenchSeries[]) => Object.keys(of[0]?.windows[0]?.forecasts ?? {}).filter((method) => of.every((s) => s.windows.every((w) => w.forecasts[method])));
  const rMethods = [...new Set(fixture.series.flatMap((s) => rMethodsOf([s])))];
  const windows = fixture.series.reduce((n, s) => n + s.windows.length, 0);
  console.log(`R side from ${FIXTURE.startsWith(PROJECT_ROOT) ? FIXTURE.slice(PROJECT_ROOT.length + 1) : FIXTURE} (${fixture.r.version}, forecast ${fixture.r.forecast}): ${rMethods.join(', ')}; not recomputed here.`);
  console.log(`${fixture.series.length} series, ${windows} windows of 168 hours; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

  const results = fixture.series.map((s) => scoreSeries(s, rMethodsOf([s])));
  const columns = [...BRIGADE_METHODS, ...rMethods];
  const cell = (value: number | undefined) => (value === undefined ? '–' : round(value, 3));
  console.log('Mean MASE per series (m = 168; mean over its windows; – where R was not run):');
  printTable(
    ['series', 'family', ...columns, 'Brigade ÷ best R', 'Brigade chose'],
    results.map((r) => {
      const bestR = Math.min(...rMethods.flatMap((method) => r.mase[method] ?? []));
      return [r.name, r.family, ...columns.map((method) => cell(r.mase[method])), round(r.mase.brigade! / bestR, 3), [...new Set(r.chosen.map((c) => c.replace(/ETS\(.*?\)/, 'ETS')))].join(', ')];
    }),
    2,
  );

  const families = [...new Set(results.map((r) => r.family))].map((family) => {
    const of = results.filter((r) => r.family === family);
    const methods = [...BRIGADE_METHODS, ...rMethodsOf(fixture.series.filter((s) => s.family === family))];
    const avg = (scores: (r: Scored) => Record<string, number>, method: string) => mean(of.map((r) => scores(r)[method]!));
    const maseOf = Object.fromEntries(methods.map((method) => [method, avg((r) => r.mase, method)]));
    const smapeOf = Object.fromEntries(methods.map((method) => [method, avg((r) => r.smape, method)]));
    const familyR = methods.filter((method) => rMethods.includes(method));
    const bestR = familyR.reduce((best, method) => (maseOf[method]! < maseOf[best]! ? method : best), familyR[0]!);
    return { family, series: of.length, maseOf, smapeOf, bestR, ratio: maseOf.brigade! / maseOf[bestR]! };
  });
  console.log('\nMean MASE per family (and sMAPE of Brigade and the best R method), the same windows for every method:');
  printTable(
    ['family', 'series', ...columns, 'best R', `Brigade ÷ best R (target ≤ ${TARGET_RATIO})`, 'sMAPE Brigade', 'sMAPE best R'],
    families.map((f) => [f.family, f.series, ...columns.map((method) => cell(f.maseOf[method])), f.bestR, round(f.ratio, 3), round(f.smapeOf.brigade!, 2), round(f.smapeOf[f.bestR]!, 2)]),
  );

  const dir = mkdtempSync(join(tmpdir(), 'brigade-forecast-hourly-'));
  bench.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  timeBrigade(fixture.series.slice(0, 1)); // warm-up: let V8 compile the hot loops before timing
  // Two passes, before and after R, so load that changes during the run hits both sides; the faster one counts.
  const before = timeBrigade(fixture.series);
  const rLive = timeR(fixture.series, dir);
  const after = timeBrigade(fixture.series);
  const brigadeMs = before.map((ms, i) => Math.min(ms, after[i]!));
  const recorded = (method: string) => fixture.series.flatMap((s) => s.windows.map((w) => (w.seconds[method] ?? NaN) * 1000));
  console.log(`\nFit time per window (training 6–11 weeks of hours, a 168-hour forecast), ${windows} windows:`);
  const row = (what: string, ms: number[]) => [what, round(median(ms), 1), round(mean(ms), 1), round(Math.max(...ms), 1)];
  printTable(['what', 'median ms', 'mean ms', 'max ms'], [
    row('Brigade chooseHourlyModel (3 candidates, 4-week backtest, daily engine inside) + forecast, best of 2 passes', brigadeMs),
    ...(rLive ? [row('R snaive, this run', rLive.map((t) => t.snaive)), row('R stlf (mstl + ets), this run', rLive.map((t) => t.stlf))] : []),
    ...rMethods.map((method) => row(`R ${method}, recorded with the fixture`, recorded(method).filter((ms) => !Number.isNaN(ms)))),
  ]);
  const rStlfMedian = rLive ? median(rLive.map((t) => t.stlf)) : NaN;
  console.log(`\nBrigade ÷ R stlf (median time per window, this run): ${rLive ? round(median(brigadeMs) / rStlfMedian, 2) : 'n/a (no Rscript with forecast)'}`);
  const met = families.every((f) => f.ratio <= TARGET_RATIO);
  console.log(`Target (Brigade within ${Math.round((TARGET_RATIO - 1) * 100)} % of the best R method's mean MASE in every family): ${met ? 'met' : 'NOT met'}`);
  printResult({
    bench: 'forecast-hourly',
    target: TARGET_RATIO,
    met,
    families: Object.fromEntries(families.map((f) => [f.family, { series: f.series, brigade: round(f.maseOf.brigade!, 4), bestR: f.bestR, bestRMase: round(f.maseOf[f.bestR]!, 4), ratio: round(f.ratio, 4) }])),
    brigadeMedianMs: round(median(brigadeMs), 1),
    rStlfMedianMs: rLive ? round(rStlfMedian, 1) : null,
    loadAverage: round(loadavg()[0]!, 1),
  });
});
