// What each function ships and what its bundle costs at cold start: packages the prod stage as a deploy would
// (offline, no AWS credentials), lists every artifact, then times require() of a few handlers in fresh Node
// processes with the environment the CloudFormation template gives them.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { packageService } from '../dev/package-service';
import { runBench } from './support/harness';
import { median, printResult, printTable, round } from './support/stats';
import { extractZipEntry, listZip } from './support/zip';

const exec = promisify(execFile);

const PACKAGE_ARGS = ['--stage', 'prod', '--param=accountId=123456789012'];
const INIT_FUNCTIONS = ['health', 'createOrder', 'status'];
const INIT_PROCESSES = 5;
const PACKAGE_LIMIT_MS = 5 * 60_000;
const REQUIRE_LIMIT_MS = 30_000;

interface LambdaResource {
  Type: string;
  Properties: {
    Handler: string;
    FunctionName: string;
    MemorySize: number;
    Code: { S3Key: string };
    Environment?: { Variables?: Record<string, string> };
  };
}

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

runBench('Brigade bench: Lambda bundle sizes and module init time', 10 * 60_000, async (bench) => {
  const work = mkdtempSync(join(tmpdir(), 'brigade-bench-bundle-'));
  bench.onCleanup(() => rmSync(work, { recursive: true, force: true }));

  const packageStarted = performance.now();
  const packageDir = await packageService({ workDir: work, args: PACKAGE_ARGS, timeoutMs: PACKAGE_LIMIT_MS });
  const packageMs = performance.now() - packageStarted;
  console.log(`serverless package ${PACKAGE_ARGS.join(' ')}: ${(packageMs / 1000).toFixed(1)} s\n`);

  const template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as {
    Resources: Record<string, LambdaResource>;
  };
  const artifacts: Artifact[] = Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map(({ Properties: fn }) => {
      const zipName = basename(fn.Code.S3Key);
      const zip = readFileSync(join(packageDir, zipName));
      const entries = listZip(zip);
      // functions/orders/create-order.handler → functions/orders/create-order.js
      const mainJs = `${fn.Handler.slice(0, fn.Handler.lastIndexOf('.'))}.js`;
      const size = (name: string) => entries.find((e) => e.name === name)?.size ?? 0;
      if (!entries.some((e) => e.name === mainJs)) throw new Error(`${zipName} has no ${mainJs}`);
      return {
        name: zipName.replace(/\.zip$/, ''),
        zipBytes: statSync(join(packageDir, zipName)).size,
        jsBytes: size(mainJs),
        mapBytes: size(`${mainJs}.map`),
        zip,
        mainJs,
        environment: fn.Environment?.Variables ?? {},
        functionName: fn.FunctionName,
        memorySize: fn.MemorySize,
      };
    })
    .sort((a, b) => b.zipBytes - a.zipBytes);

  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  printTable(
    ['function', 'zip KiB', 'main .js KiB', '.js.map KiB'],
    artifacts.map((a) => [a.name, kib(a.zipBytes), kib(a.jsBytes), kib(a.mapBytes)]),
  );
  const totalZip = artifacts.reduce((sum, a) => sum + a.zipBytes, 0);
  console.log(`  ${artifacts.length} functions, ${kib(totalZip)} KiB of zips in total\n`);

  const init: Array<{ name: string; sourceMaps: boolean; medianMs: number; minMs: number; maxMs: number }> = [];
  for (const name of INIT_FUNCTIONS) {
    const artifact = artifacts.find((a) => a.name === name);
    if (!artifact) throw new Error(`no artifact for function ${name}`);
    // The whole artifact (.js and its .map side by side), as Lambda unpacks it.
    const root = join(work, 'extracted', name);
    for (const entry of listZip(artifact.zip)) {
      const target = join(root, entry.name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, extractZipEntry(artifact.zip, entry));
    }
    for (const sourceMaps of [true, false]) {
      const environment = lambdaEnvironment(artifact, sourceMaps);
      const samples: number[] = [];
      for (let i = 0; i < INIT_PROCESSES; i++) samples.push(await timeRequire(join(root, artifact.mainJs), environment));
      init.push({ name, sourceMaps, medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples) });
    }
  }

  console.log(`module init: require() of the bundled handler, ${INIT_PROCESSES} fresh node processes each`);
  printTable(
    ['function', 'NODE_OPTIONS', 'median ms', 'min ms', 'max ms'],
    init.map((r) => [
      r.name,
      r.sourceMaps ? '--enable-source-maps' : '(none)',
      r.medianMs.toFixed(1),
      r.minMs.toFixed(1),
      r.maxMs.toFixed(1),
    ]),
  );
  console.log('\n--enable-source-maps is what serverless.yml deploys. Timed here on this machine\'s Node and CPU, not');
  console.log('Lambda\'s (nodejs22.x, arm64); the Lambda runtime\'s own start-up is not included.');

  printResult({
    bench: 'bundle-sizes',
    packageS: round(packageMs / 1000, 1),
    totalZipBytes: totalZip,
    functions: artifacts.map((a) => ({ name: a.name, zipBytes: a.zipBytes, jsBytes: a.jsBytes, mapBytes: a.mapBytes })),
    initMs: init.map((r) => ({
      name: r.name,
      sourceMaps: r.sourceMaps,
      median: round(r.medianMs, 1),
      min: round(r.minMs, 1),
      max: round(r.maxMs, 1),
    })),
  });
});

/** The function's variables from the template plus what the Lambda runtime sets; nothing from this shell. */
function lambdaEnvironment(artifact: Artifact, sourceMaps: boolean): NodeJS.ProcessEnv {
  const { NODE_OPTIONS, ...variables } = artifact.environment;
  return {
    PATH: process.env.PATH,
    ...variables,
    ...(sourceMaps && NODE_OPTIONS ? { NODE_OPTIONS } : {}),
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: artifact.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(artifact.memorySize),
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  };
}

const REQUIRE_TIMER = `
const { performance } = require('node:perf_hooks');
const started = performance.now();
const mod = require(process.env.BENCH_MODULE);
const elapsed = performance.now() - started;
if (typeof mod.handler !== 'function') throw new Error('the bundle does not export handler');
process.stdout.write(String(elapsed));
`;

async function timeRequire(modulePath: string, environment: NodeJS.ProcessEnv): Promise<number> {
  const { stdout } = await exec(process.execPath, ['-e', REQUIRE_TIMER], {
    env: { ...environment, BENCH_MODULE: modulePath },
    timeout: REQUIRE_LIMIT_MS,
  });
  const ms = Number(stdout);
  if (!Number.isFinite(ms)) throw new Error(`unexpected output from the require timer: ${stdout}`);
  return ms;
}
