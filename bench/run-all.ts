// `npm run bench`: every benchmark in turn, each in its own process (so one's leftovers cannot skew the next),
// their output passed through, then one summary table built from their RESULT lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT, runBench, withTimeout } from './support/harness';
import { RESULT_PREFIX, printResult, printTable } from './support/stats';

/** Each script enforces its own limit; these only catch a script that ignores it. */
const BENCHES = [
  { name: 'startup', limitMs: 16 * 60_000 },
  { name: 'dynamodb-vs-http', limitMs: 11 * 60_000 },
  { name: 'iot-ingest', limitMs: 13 * 60_000 },
  { name: 'iot-store-ops', limitMs: 11 * 60_000 },
  { name: 'orders-throughput', limitMs: 11 * 60_000 },
  { name: 'auth-cost', limitMs: 11 * 60_000 },
  { name: 'notifications-latency', limitMs: 13 * 60_000 },
  { name: 'inventory-depletion', limitMs: 13 * 60_000 },
  { name: 'payroll', limitMs: 11 * 60_000 },
  { name: 'analytics', limitMs: 15 * 60_000 },
  { name: 'forecast-ets', limitMs: 11 * 60_000 },
  { name: 'forecast-accuracy', limitMs: 11 * 60_000 },
  { name: 'forecast-hourly', limitMs: 11 * 60_000 },
  { name: 'forecast-items', limitMs: 11 * 60_000 },
  { name: 'bundle-sizes', limitMs: 41 * 60_000 },
];
const KILL_AFTER_MS = 30_000;

/** The parts of each script's RESULT line the summary reads. */
interface Load { opsPerSecond: number; p50Ms: number; p99Ms: number }
interface Results {
  startup?: { medianReadyS: number; medianExitS: number };
  'dynamodb-vs-http'?: { rawPut: Load; rawGet: Load; httpPost: Load; httpGet: Load; rawToHttp: { write: number; read: number } };
  'bundle-sizes'?: {
    baseline: string;
    sizes: Record<'baseline' | 'current', { functions: number; totalBytes: number; medianBytes: number; maxBytes: number }>;
    medianInitRatio: number;
    initMs: Array<{ name: string; baseline: number; current: number }>;
  };
}

runBench('Brigade bench: all benchmarks', BENCHES.reduce((sum, b) => sum + b.limitMs, 60_000), async (bench) => {
  let current: ChildProcess | undefined;
  bench.onCleanup(() => stopChild(current));

  const results: Record<string, unknown> = {};
  const failed: string[] = [];
  for (const { name, limitMs } of BENCHES) {
    console.log(`\n${'='.repeat(100)}\n${name}\n${'='.repeat(100)}`);
    // `node --import tsx`, not the tsx wrapper: SIGTERM then reaches the script itself, which must get it to stop
    // what it started, instead of depending on the wrapper relaying it (once seen to exit without doing so).
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], {
      cwd: PROJECT_ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    current = child;
    let result: unknown;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      console.log(line);
      if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as unknown;
    });
    const code = await withTimeout(
      new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode))),
      limitMs,
      () => `${name} ran past ${limitMs / 1000} s`,
    ).catch(async (error: Error) => {
      console.error(error.message);
      await stopChild(child);
      return null;
    });
    current = undefined;
    if (code !== 0 || !result) failed.push(`${name} (exit ${code}${result ? '' : ', no RESULT line'})`);
    if (result) results[name] = result;
  }

  console.log(`\n${'='.repeat(100)}\nsummary\n`);
  printTable(['bench', 'figure', 'value'], summaryRows(results as Results), 2);
  if (failed.length > 0) {
    console.log(`\nFAILED: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
  printResult({ bench: 'run-all', failed, results });
});

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM'); // each script stops what it started on SIGTERM
  const killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  await closed;
  clearTimeout(killTimer);
}

function summaryRows(results: Results): Array<[string, string, string]> {
  const rows: Array<[string, string, string]> = [];
  const startup = results.startup;
  if (startup) {
    rows.push(['startup', 'median ready after spawn (s)', startup.medianReadyS.toFixed(2)]);
    rows.push(['startup', 'median exit after SIGINT (s)', startup.medianExitS.toFixed(2)]);
  }
  const http = results['dynamodb-vs-http'];
  if (http) {
    const ops = (load: Load, label: string) =>
      rows.push(['dynamodb-vs-http', `${label} ops/s (p50 / p99 ms)`, `${Math.round(load.opsPerSecond)} (${load.p50Ms} / ${load.p99Ms})`]);
    ops(http.rawPut, 'DynamoDB PutItem');
    ops(http.rawGet, 'DynamoDB GetItem');
    ops(http.httpPost, 'HTTP POST menu category');
    ops(http.httpGet, 'HTTP GET menu item');
    rows.push(['dynamodb-vs-http', 'raw/HTTP throughput write, read', `${http.rawToHttp.write}x, ${http.rawToHttp.read}x`]);
  }
  const bundles = results['bundle-sizes'];
  if (bundles) {
    const kib = (bytes: number) => (bytes / 1024).toFixed(1);
    const { baseline: before, current: after } = bundles.sizes;
    rows.push(['bundle-sizes', `total zip KiB (functions), ${bundles.baseline} → now`, `${kib(before.totalBytes)} (${before.functions}) → ${kib(after.totalBytes)} (${after.functions})`]);
    rows.push(['bundle-sizes', 'median / largest zip KiB, now', `${kib(after.medianBytes)} / ${kib(after.maxBytes)}`]);
    for (const init of bundles.initMs) {
      rows.push(['bundle-sizes', `init ms ${init.name} (median), ${bundles.baseline} → now`, `${init.baseline.toFixed(1)} → ${init.current.toFixed(1)}`]);
    }
    rows.push(['bundle-sizes', 'module init median after/before', bundles.medianInitRatio.toFixed(2)]);
  }
  return rows;
}
