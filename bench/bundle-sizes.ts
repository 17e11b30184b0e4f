// What each function ships and what its bundle costs at cold start, side by side for a baseline git ref and the
// working tree: packages both (prod stage, offline, no AWS credentials) in the same run, lists every function's zip
// before and after, then times require() of a few handlers in fresh Node processes, alternating the two builds,
// each with the environment its own CloudFormation template gives the function (the baseline's NODE_OPTIONS
// included, so each side is measured as it deploys). For a function that needs no network (GET /health), also the
// first invocation in the same process: what import-time work moved to the first request (built lazily) shows there.
//
//   npx tsx bench/bundle-sizes.ts                          baseline HEAD (the last commit) vs the working tree
//   BRIGADE_BASELINE_REF=3bc3b15 npx tsx bench/bundle-sizes.ts
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { packageService } from '../dev/package-service';
import { packagedFunctions } from './support/bundles';
import { PROJECT_ROOT, runBench } from './support/harness';
import { median, printResult, printTable, round } from './support/stats';
import { extractZipEntry, listZip } from './support/zip';

const exec = promisify(execFile);

const PACKAGE_ARGS = ['--stage', 'prod', '--param=accountId=123456789012'];
const INIT_FUNCTIONS = ['health', 'createOrder', 'ingestTelemetry', 'status'];
const INIT_PROCESSES = 7;
/** Functions whose first invocation is timed too: each answers from memory, so the time is the code's, not a network's. */
const FIRST_INVOCATION: Record<string, object> = {
  health: {
    version: '2.0',
    routeKey: 'GET /health',
    rawPath: '/health',
    rawQueryString: '',
    headers: { 'x-correlation-id': 'bench-first-invocation' },
    requestContext: { http: { method: 'GET', path: '/health' }, requestId: 'bench' },
    isBase64Encoded: false,
  },
};
const PACKAGE_LIMIT_MS = 15 * 60_000;
const REQUIRE_LIMIT_MS = 30_000;

interface Artifact {
  name: string;
  zipBytes: number;
  jsBytes: number;
  mapBytes: number;
  zip: Buffer;
  mainJs: string;
  environment: Record<string, string>;
  functionName: string;
  memorySize: number;
}

interface Build {
  label: 'baseline' | 'current';
  describe: string;
  artifacts: Map<string, Artifact>;
}

runBench('Brigade bench: Lambda bundle sizes and module init time, baseline vs working tree', 40 * 60_000, async (bench) => {
  const work = mkdtempSync(join(tmpdir(), 'brigade-bench-bundle-'));
  bench.onCleanup(() => rmSync(work, { recursive: true, force: true }));

  const ref = process.env.BRIGADE_BASELINE_REF?.trim() || 'HEAD';
  const git = (...args: string[]) => execFileSync('git', ['-C', PROJECT_ROOT, ...args], { encoding: 'utf8' }).trim();
  const baselineCommit = git('rev-parse', '--short', `${ref}^{commit}`);
  const baselineTree = join(work, 'baseline-tree');
  git('worktree', 'add', '--detach', '--quiet', baselineTree, baselineCommit);
  bench.onCleanup(() => git('worktree', 'remove', '--force', baselineTree));
  const changed = git('status', '--porcelain') !== '' || git('rev-parse', '--short', 'HEAD') !== baselineCommit;
  console.log(`baseline: ${ref} = ${baselineCommit}; current: the working tree${changed ? '' : ' (identical to the baseline)'}\n`);

  const builds: Build[] = [];
  for (const [label, root, describe] of [
    ['baseline', baselineTree, baselineCommit],
    ['current', PROJECT_ROOT, 'working tree'],
  ] as const) {
    const started = performance.now();
    const workDir = join(work, label);
    mkdirSync(workDir);
    const packageDir = await packageService({ workDir, args: PACKAGE_ARGS, timeoutMs: PACKAGE_LIMIT_MS, projectRoot: root });
    console.log(`${label} (${describe}): serverless package ${PACKAGE_ARGS.join(' ')}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    builds.push({ label, describe, artifacts: readArtifacts(packageDir) });
  }
  const [baseline, current] = builds as [Build, Build];

  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  const names = [...new Set([...baseline.artifacts.keys(), ...current.artifacts.keys()])].sort(
    (a, b) => (current.artifacts.get(b)?.zipBytes ?? 0) - (current.artifacts.get(a)?.zipBytes ?? 0) || a.localeCompare(b),
  );
  console.log('');
  printTable(
    ['function', 'zip KiB before', 'zip KiB after', 'after/before', '.js KiB after', '.map in zip after'],
    names.map((name) => {
      const before = baseline.artifacts.get(name);
      const after = current.artifacts.get(name);
      return [
        name,
        before ? kib(before.zipBytes) : '-',
        after ? kib(after.zipBytes) : '-',
        before && after ? (after.zipBytes / before.zipBytes).toFixed(2) : '-',
        after ? kib(after.jsBytes) : '-',
        after ? kib(after.mapBytes) : '-',
      ];
    }),
  );
  const sizeSummary = (build: Build) => {
    const sizes = [...build.artifacts.values()].map((a) => a.zipBytes);
    return { functions: sizes.length, totalBytes: sizes.reduce((a, b) => a + b, 0), medianBytes: median(sizes), maxBytes: Math.max(...sizes) };
  };
  const sizes = { baseline: sizeSummary(baseline), current: sizeSummary(current) };
  console.log('');
  printTable(
    ['build', 'functions', 'total KiB', 'median zip KiB', 'largest zip KiB'],
    builds.map((b) => [
      `${b.label} (${b.describe})`,
      sizes[b.label].functions,
      kib(sizes[b.label].totalBytes),
      kib(sizes[b.label].medianBytes),
      kib(sizes[b.label].maxBytes),
    ]),
  );

  // Each artifact unpacked as Lambda unpacks it (the baseline's .js.map beside its .js, as it deployed).
  const init: Array<{ name: string; baselineMs: number; currentMs: number }> = [];
  const firstInvocation: Array<{ name: string; baselineMs: number; currentMs: number }> = [];
  for (const name of INIT_FUNCTIONS) {
    const sides = builds.map((build) => {
      const artifact = build.artifacts.get(name);
      if (!artifact) throw new Error(`${build.label} has no artifact for function ${name}`);
      const root = join(work, 'extracted', build.label, name);
      for (const entry of listZip(artifact.zip)) {
        const target = join(root, entry.name);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, extractZipEntry(artifact.zip, entry));
      }
      return { modulePath: join(root, artifact.mainJs), environment: lambdaEnvironment(artifact), samples: [] as number[], firsts: [] as number[] };
    });
    const event = FIRST_INVOCATION[name];
    // Alternating, so a change in the machine's load hits both sides alike.
    for (let i = 0; i < INIT_PROCESSES; i++) {
      for (const side of sides) {
        const timed = await timeRequire(side.modulePath, side.environment, event);
        side.samples.push(timed.loadMs);
        if (timed.firstInvocationMs !== undefined) side.firsts.push(timed.firstInvocationMs);
      }
    }
    init.push({ name, baselineMs: median(sides[0]!.samples), currentMs: median(sides[1]!.samples) });
    if (event) firstInvocation.push({ name, baselineMs: median(sides[0]!.firsts), currentMs: median(sides[1]!.firsts) });
  }
  console.log(`\nmodule init: require() of the bundled handler, median of ${INIT_PROCESSES} fresh node processes each`);
  printTable(
    ['function', `before ms (${baseline.describe})`, 'after ms', 'after/before'],
    init.map((r) => [r.name, r.baselineMs.toFixed(1), r.currentMs.toFixed(1), (r.currentMs / r.baselineMs).toFixed(2)]),
  );
  console.log('\nmodule init + first invocation, same processes (medians)');
  printTable(
    ['function', `before ms (${baseline.describe})`, 'after ms', 'after/before'],
    firstInvocation.map((r) => {
      const load = init.find((i) => i.name === r.name)!;
      const [before, after] = [load.baselineMs + r.baselineMs, load.currentMs + r.currentMs];
      return [r.name, `${before.toFixed(1)} (${r.baselineMs.toFixed(1)} first call)`, `${after.toFixed(1)} (${r.currentMs.toFixed(1)} first call)`, (after / before).toFixed(2)];
    }),
  );
  const initRatio = median(init.map((r) => r.currentMs)) / median(init.map((r) => r.baselineMs));
  const sizeRatio = sizes.current.medianBytes / sizes.baseline.medianBytes;
  console.log(`\nmedian module init after/before: ${initRatio.toFixed(2)}; median zip after/before: ${sizeRatio.toFixed(2)}`);
  console.log("Timed on this machine's Node and CPU, not Lambda's (nodejs22.x, arm64); the Lambda runtime's own start-up");
  console.log('is not included. Each side runs with its own template environment (NODE_OPTIONS as it deploys).');

  printResult({
    bench: 'bundle-sizes',
    baseline: baseline.describe,
    sizes,
    medianZipRatio: round(sizeRatio, 3),
    medianInitRatio: round(initRatio, 3),
    initMs: init.map((r) => ({ name: r.name, baseline: round(r.baselineMs, 1), current: round(r.currentMs, 1) })),
    firstInvocationMs: firstInvocation.map((r) => ({ name: r.name, baseline: round(r.baselineMs, 1), current: round(r.currentMs, 1) })),
    functions: names.map((name) => ({
      name,
      baselineZipBytes: baseline.artifacts.get(name)?.zipBytes ?? null,
      currentZipBytes: current.artifacts.get(name)?.zipBytes ?? null,
    })),
  });
});

function readArtifacts(packageDir: string): Map<string, Artifact> {
  const artifacts = new Map<string, Artifact>();
  for (const { Properties: fn } of packagedFunctions(packageDir)) {
    const zipName = basename(fn.Code.S3Key);
    const zipPath = join(packageDir, zipName);
    if (!existsSync(zipPath)) throw new Error(`${zipName} is in the template but not in ${packageDir}`);
    const zip = readFileSync(zipPath);
    const entries = listZip(zip);
    // functions/orders/create-order.handler → functions/orders/create-order.js
    const mainJs = `${fn.Handler.slice(0, fn.Handler.lastIndexOf('.'))}.js`;
    const size = (name: string) => entries.find((e) => e.name === name)?.size ?? 0;
    if (!entries.some((e) => e.name === mainJs)) throw new Error(`${zipName} has no ${mainJs}`);
    // Intrinsic functions ({ Ref: … }) have no value outside CloudFormation; a placeholder keeps config checks happy.
    const environment = Object.fromEntries(
      Object.entries(fn.Environment?.Variables ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : `unresolved-${key}`]),
    );
    const name = zipName.replace(/\.zip$/, '');
    artifacts.set(name, {
      name,
      zipBytes: statSync(zipPath).size,
      jsBytes: size(mainJs),
      mapBytes: size(`${mainJs}.map`),
      zip,
      mainJs,
      environment,
      functionName: fn.FunctionName,
      memorySize: fn.MemorySize,
    });
  }
  return artifacts;
}

/** The function's variables from its template plus what the Lambda runtime sets; nothing from this shell. */
function lambdaEnvironment(artifact: Artifact): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...artifact.environment,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: artifact.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(artifact.memorySize),
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  };
}

// The timings go to stderr as the last line: a first invocation writes the function's own log lines to stdout.
const REQUIRE_TIMER = `
const { performance } = require('node:perf_hooks');
const started = performance.now();
const mod = require(process.env.BENCH_MODULE);
const elapsed = performance.now() - started;
if (typeof mod.handler !== 'function') throw new Error('the bundle does not export handler');
(async () => {
  let first = '';
  if (process.env.BENCH_EVENT) {
    const context = { awsRequestId: 'bench', functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, getRemainingTimeInMillis: () => 10000 };
    const invoked = performance.now();
    const response = await mod.handler(JSON.parse(process.env.BENCH_EVENT), context);
    first = String(performance.now() - invoked);
    if (response.statusCode !== 200) throw new Error('first invocation answered ' + response.statusCode + ': ' + response.body);
  }
  process.stderr.write('\\nBENCH ' + elapsed + ' ' + first + '\\n');
})();
`;

async function timeRequire(
  modulePath: string,
  environment: NodeJS.ProcessEnv,
  event?: object,
): Promise<{ loadMs: number; firstInvocationMs?: number }> {
  const { stderr } = await exec(process.execPath, ['-e', REQUIRE_TIMER], {
    env: { ...environment, BENCH_MODULE: modulePath, ...(event && { BENCH_EVENT: JSON.stringify(event) }) },
    timeout: REQUIRE_LIMIT_MS,
  });
  const [, load = '', first = ''] = /BENCH (\S+) ?(\S*)\s*$/.exec(stderr) ?? [];
  const loadMs = Number(load);
  const firstInvocationMs = first === '' ? undefined : Number(first);
  if (!Number.isFinite(loadMs) || (event && !Number.isFinite(firstInvocationMs))) {
    throw new Error(`unexpected output from the require timer: ${stderr.slice(-500)}`);
  }
  return { loadMs, firstInvocationMs };
}
