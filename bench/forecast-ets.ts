// The ETS engine's cost (functions/forecast/models/ets.ts, pure, no stack): autoEts (R's default candidate set,
// up to 15 models by maximum likelihood, the lowest AICc kept) plus a 14-day forecast, on generated 365-day
// restaurant-like daily series with a weekly season (m = 7), and R's forecast::ets() + forecast() on the same series
// in the same run when `Rscript` with the forecast and jsonlite packages is installed. Ours runs before and after
// R, so load that changes during the run hits both; the ratio is R's time over ours. Also the budget:
// 300 items × 365 days fitted on one core, from the measured time per series (the backtest harness is not here).
// And how often both chose the same model, and who found the lower AICc when they did not. Both of autoEts's
// searches are timed: "exact" (every candidate fully, R's choice) and "screened" (short search for all, full for
// the best two).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autoEts, type AutoEtsOptions } from '../functions/forecast/models/ets';
import { runBench } from './support/harness';
import { mulberry32 } from './support/random';
import { median, printResult, printTable, round } from './support/stats';

const SERIES = 24;
const DAYS = 365;
const PERIOD = 7;
const HORIZON = 14;
const ITEMS_IN_BUDGET = 300;
const BUDGET_MS = 10_000;

/** One item's daily demand: a weekly profile, a trend or none, a yearly swing, noise additive or multiplicative. */
function dailySeries(index: number): number[] {
  const next = mulberry32(index * 104729 + 17);
  const normal = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  const base = 20 + next() * 400;
  const weekly = Array.from({ length: PERIOD }, () => 0.6 + next() * 0.9);
  const growth = (next() - 0.3) * 0.002;
  const swing = next() * 0.2;
  const noise = 0.04 + next() * 0.12;
  const multiplicative = index % 2 === 0;
  return Array.from({ length: DAYS }, (_, t) => {
    const level = base * (1 + growth * t) * (1 + swing * Math.sin((2 * Math.PI * t) / 365));
    const expected = level * weekly[t % PERIOD]!;
    const value = multiplicative ? expected * Math.exp(noise * normal()) : expected + noise * base * normal();
    return Math.max(1, Math.round(value * 10) / 10);
  });
}

interface OneFit {
  ms: number;
  method: string;
  aicc: number;
}

function timing(fits: OneFit[]) {
  const meanMs = fits.reduce((a, f) => a + f.ms, 0) / fits.length;
  return { medianMs: median(fits.map((f) => f.ms)), meanMs, projectedSeconds: (meanMs * ITEMS_IN_BUDGET) / 1000 };
}

function fitOurs(series: number[][], search: AutoEtsOptions['search']): OneFit[] {
  return series.map((y) => {
    const start = process.hrtime.bigint();
    const model = autoEts(y, PERIOD, { search });
    model.forecast(HORIZON);
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, method: model.method, aicc: model.aicc ?? NaN };
  });
}

const R_SCRIPT = `
suppressPackageStartupMessages({ library(forecast); library(jsonlite) })
series <- fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE)
invisible(forecast(ets(ts(unlist(series[[1]]), frequency = ${PERIOD})), h = ${HORIZON}))  # warm-up: lazy loading
out <- lapply(series, function(s) {
  y <- ts(unlist(s), frequency = ${PERIOD})
  start <- proc.time()[["elapsed"]]
  fit <- ets(y)
  invisible(forecast(fit, h = ${HORIZON}))
  list(ms = 1000 * (proc.time()[["elapsed"]] - start), method = fit$method, aicc = fit$aicc)
})
cat(toJSON(out, auto_unbox = TRUE, digits = NA))
`;

function fitR(series: number[][], dir: string): OneFit[] | undefined {
  const data = join(dir, 'series.json');
  const script = join(dir, 'ets.R');
  writeFileSync(data, JSON.stringify(series));
  writeFileSync(script, R_SCRIPT);
  try {
    return JSON.parse(execFileSync('Rscript', [script, data], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 })) as OneFit[];
  } catch (error) {
    console.error('R side skipped:', error instanceof Error ? error.message.split('\n')[0] : error);
    return undefined;
  }
}

runBench(`Brigade bench: ETS autoEts vs R forecast::ets, ${SERIES} daily series × ${DAYS} days, m = ${PERIOD}`, 15 * 60_000, async (bench) => {
  const dir = mkdtempSync(join(tmpdir(), 'brigade-forecast-ets-'));
  bench.onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const series = Array.from({ length: SERIES }, (_, i) => dailySeries(i));

  fitOurs(series.slice(0, 2), 'exact'); // warm-up: let V8 compile the hot loops before timing
  const exactBefore = fitOurs(series, 'exact');
  const screenedBefore = fitOurs(series, 'screened');
  const r = fitR(series, dir);
  const exactAfter = fitOurs(series, 'exact');
  const screenedAfter = fitOurs(series, 'screened');
  const bestOf = (a: OneFit[], b: OneFit[]) => a.map((fit, i) => ({ ...fit, ms: Math.min(fit.ms, b[i]!.ms) }));
  const ours = bestOf(exactBefore, exactAfter);
  const screened = bestOf(screenedBefore, screenedAfter);

  const ourSide = timing(ours);
  const screenedSide = timing(screened);
  const rSide = r ? timing(r) : undefined;
  const row = (name: string, t: ReturnType<typeof timing>) => [name, round(t.medianMs), round(t.meanMs), round(t.projectedSeconds, 2)];
  printTable(
    ['engine', 'median ms/series', 'mean ms/series', `× ${ITEMS_IN_BUDGET} items (s)`],
    [
      row('Brigade autoEts exact (best of 2 runs)', ourSide),
      row('  first run', timing(exactBefore)),
      row('  second run (after R)', timing(exactAfter)),
      row('Brigade autoEts screened (best of 2)', screenedSide),
      ...(rSide ? [row('R forecast::ets', rSide)] : []),
    ],
  );
  const ourMedian = ourSide.medianMs;
  const rMedian = rSide?.medianMs ?? NaN;
  const projected = ourSide.projectedSeconds * 1000;
  console.log(`\nR ÷ Brigade (median time per series): exact ${r ? round(rMedian / ourMedian, 2) : 'n/a (no Rscript with forecast)'}, screened ${r ? round(rMedian / screenedSide.medianMs, 2) : 'n/a'}`);
  console.log(`Budget: ${ITEMS_IN_BUDGET} items fitted in ${round(projected / 1000, 2)} s exact, ${round(screenedSide.projectedSeconds, 2)} s screened, on one core (goal < ${BUDGET_MS / 1000} s for fitting and backtesting together)`);

  let sameModel = 0;
  let oursLower = 0;
  let rLower = 0;
  let screenedSame = 0;
  if (r) {
    console.log('');
    printTable(
      ['series', 'Brigade exact', 'AICc', 'Brigade screened', 'AICc', 'R model', 'AICc'],
      ours.map((f, i) => {
        const theirs = r[i]!;
        if (f.method === theirs.method) sameModel++;
        else if (f.aicc < theirs.aicc) oursLower++;
        else rLower++;
        if (screened[i]!.method === theirs.method) screenedSame++;
        return [String(i), f.method, round(f.aicc, 2), screened[i]!.method, round(screened[i]!.aicc, 2), theirs.method, round(theirs.aicc, 2)];
      }),
    );
    console.log(`\nExact: R's model on ${sameModel} of ${SERIES}; where they differ, the lower AICc is ours on ${oursLower}, R's on ${rLower}.`);
    console.log(`Screened: R's model on ${screenedSame} of ${SERIES}.`);
  }

  printResult({
    series: SERIES,
    days: DAYS,
    period: PERIOD,
    oursMedianMs: round(ourMedian, 2),
    oursMeanMs: round(ourSide.meanMs, 2),
    rMedianMs: rSide ? round(rMedian, 2) : null,
    rMeanMs: rSide ? round(rSide.meanMs, 2) : null,
    rOverOurs: r ? round(rMedian / ourMedian, 2) : null,
    projected300ItemsSeconds: round(projected / 1000, 2),
    withinBudget: projected < BUDGET_MS,
    screenedMedianMs: round(screenedSide.medianMs, 2),
    screenedProjected300ItemsSeconds: round(screenedSide.projectedSeconds, 2),
    screenedSameModel: r ? screenedSame : null,
    sameModel: r ? sameModel : null,
    oursLowerAicc: r ? oursLower : null,
    rLowerAicc: r ? rLower : null,
  });
});
