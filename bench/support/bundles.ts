// Every function's bundle as `osls package` builds it, without osls: the handlers come from each domain's
// functions.yml and the esbuild options from serverless.yml custom.esbuild (read here, so the budget test and the
// deploy cannot drift apart). One esbuild build of all entry points, in memory, with a metafile that says which
// packages fill each bundle. Used by tests/unit/bundle-budget.test.ts, bench/bundle-sizes.ts and .ci/check-bundles.ts.
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { parse } from 'yaml';
import { median } from './stats';

/** The most a function's zip may weigh (the issue 12 goal). */
export const ZIP_BUDGET_BYTES = 250 * 1024;
/** The most the median zip may weigh (the issue 12 goal): what a typical route ships, not only the heaviest. */
export const MEDIAN_ZIP_BUDGET_BYTES = 150 * 1024;

export interface FunctionEntry {
  name: string;
  /** functions/orders/create-order.ts */
  entry: string;
  /** functions/orders/create-order.js, as the zip holds it */
  bundlePath: string;
}

export interface PackageWeight {
  name: string;
  bytes: number;
}

export interface BundleReport extends FunctionEntry {
  jsBytes: number;
  /** What the zip will weigh: the bundle deflated as the zip stores it, plus the zip's own headers. */
  estimatedZipBytes: number;
  /** Bytes each package (or `(project)` for our own code) contributes to the minified bundle, heaviest first. */
  packages: PackageWeight[];
}

// serverless-esbuild's own settings, which it removes before calling esbuild (dist/bundle.js), plus `plugins`,
// a file name that serverless-esbuild loads (ours only moves source maps out of the zip).
const SERVERLESS_ESBUILD_ONLY = [
  'concurrency', 'zipConcurrency', 'exclude', 'nativeZip', 'packager', 'packagePath', 'watch', 'keepOutputDirectory',
  'packagerOptions', 'installExtraArgs', 'outputFileExtension', 'outputBuildFolder', 'outputWorkFolder', 'nodeExternals',
  'skipBuild', 'skipRebuild', 'skipBuildExcludeFns', 'stripEntryResolveExtensions', 'disposeContext', 'plugins', 'config',
];

interface ServiceFile {
  custom: { domains: string[]; esbuild: Record<string, unknown> };
}

function readService(projectRoot: string): ServiceFile {
  return parse(readFileSync(join(projectRoot, 'serverless.yml'), 'utf8')) as ServiceFile;
}

/** The options serverless-esbuild hands esbuild for every function. */
export function deployEsbuildOptions(projectRoot: string): BuildOptions {
  const options = { ...readService(projectRoot).custom.esbuild };
  for (const key of SERVERLESS_ESBUILD_ONLY) delete options[key];
  return options as BuildOptions;
}

/** Every function of every domain in custom.domains, with its handler's source file. */
export function functionEntries(projectRoot: string): FunctionEntry[] {
  const entries: FunctionEntry[] = [];
  for (const domain of readService(projectRoot).custom.domains) {
    const file = join('functions', domain, 'functions.yml');
    const functions = parse(readFileSync(join(projectRoot, file), 'utf8')) as Record<string, { handler?: string }>;
    for (const [name, fn] of Object.entries(functions)) {
      if (!fn.handler) throw new Error(`${file}: ${name} has no handler`);
      const module = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
      entries.push({ name, entry: `${module}.ts`, bundlePath: `${module}.js` });
    }
  }
  return entries;
}

/** node_modules/@aws-sdk/client-sns/dist-es/… → @aws-sdk/client-sns; anything outside node_modules is ours. */
export function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return '(project)';
  const [first = '', second = ''] = input.slice(at + 'node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

export function heaviestPackages(output: Metafile['outputs'][string]): PackageWeight[] {
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytes].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

// A zip entry costs a local header (30 bytes + name) and a central directory record (46 bytes + name); the archive
// ends with a 22-byte record. serverless-esbuild zips through archiver, whose compress-commons defaults to
// zlib's best speed (level 1): the same level gives the deployed entry's compressed size to the byte.
const ZIP_DEFLATE_LEVEL = 1;
const zipOverhead = (entryName: string) => 30 + 46 + 2 * Buffer.byteLength(entryName) + 22;
export const estimateZipBytes = (content: Uint8Array, entryName: string) =>
  deflateRawSync(content, { level: ZIP_DEFLATE_LEVEL }).length + zipOverhead(entryName);

export const formatPackages = (packages: PackageWeight[], count = 5) =>
  packages
    .slice(0, count)
    .map((p) => `${p.name} ${(p.bytes / 1024).toFixed(1)} KiB`)
    .join(', ');

/** Builds every function (or those named) once, in memory, with the deploy's options. */
export async function buildBundles(projectRoot: string, only?: string[]): Promise<BundleReport[]> {
  const functions = functionEntries(projectRoot).filter((f) => !only || only.includes(f.name));
  const entryPoints = [...new Set(functions.map((f) => f.entry))];
  const result = await build({
    ...deployEsbuildOptions(projectRoot),
    // Maps are not in the zip; building them would only slow this down.
    sourcemap: false,
    entryPoints,
    absWorkingDir: projectRoot,
    outbase: projectRoot,
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = new Map(
    Object.entries(result.metafile.outputs).map(([path, output]) => [output.entryPoint, { path, output }]),
  );
  const files = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  return functions.map((fn) => {
    const built = outputs.get(fn.entry);
    const contents = built && files.get(join(projectRoot, built.path));
    if (!built || !contents) throw new Error(`esbuild produced no bundle for ${fn.entry}`);
    return {
      ...fn,
      jsBytes: contents.length,
      estimatedZipBytes: estimateZipBytes(contents, fn.bundlePath),
      packages: heaviestPackages(built.output),
    };
  });
}

/** One line per function over the budget, naming its heaviest packages; empty when every bundle fits. */
export function budgetViolations(
  bundles: Array<{ name: string; zipBytes: number; packages: PackageWeight[] }>,
  budgetBytes = ZIP_BUDGET_BYTES,
): string[] {
  return bundles
    .filter((b) => b.zipBytes > budgetBytes)
    .sort((a, b) => b.zipBytes - a.zipBytes)
    .map(
      (b) =>
        `${b.name}: ${(b.zipBytes / 1024).toFixed(1)} KiB zipped, over the ${(budgetBytes / 1024).toFixed(0)} KiB budget; ` +
        `heaviest: ${formatPackages(b.packages)}`,
    );
}

/**
 * One line when the median zip is over its budget, naming the functions at the median and what fills them (a
 * package every route pulls in moves the median, not the largest zip); empty when it fits.
 */
export function medianBudgetViolations(
  bundles: Array<{ name: string; zipBytes: number; packages: PackageWeight[] }>,
  budgetBytes = MEDIAN_ZIP_BUDGET_BYTES,
): string[] {
  const middle = median(bundles.map((b) => b.zipBytes));
  if (!(middle > budgetBytes)) return [];
  const sorted = [...bundles].sort((a, b) => a.zipBytes - b.zipBytes);
  const atMedian = sorted.slice(Math.floor((sorted.length - 1) / 2), Math.floor(sorted.length / 2) + 1);
  return [
    `median zip ${(middle / 1024).toFixed(1)} KiB, over the ${(budgetBytes / 1024).toFixed(0)} KiB median budget; ` +
      atMedian.map((b) => `${b.name} (${(b.zipBytes / 1024).toFixed(1)} KiB): ${formatPackages(b.packages)}`).join('; '),
  ];
}

export interface LambdaFunctionResource {
  Type: 'AWS::Lambda::Function';
  Properties: {
    FunctionName: string;
    Handler: string;
    MemorySize: number;
    Code: { S3Key: string };
    Environment?: { Variables?: Record<string, unknown> };
  };
}

/**
 * Every Lambda function of a packaged service: those of the root template and of any nested stack's template
 * written beside it (resources/nested-stacks.js moves each domain's functions into a nested stack).
 */
export function packagedFunctions(packageDir: string): LambdaFunctionResource[] {
  const templates = readdirSync(packageDir).filter(
    (file) => file === 'cloudformation-template-update-stack.json' || /nested-stack(-[0-9]+)?\.json$/.test(file),
  );
  return templates.flatMap((file) => {
    const template = JSON.parse(readFileSync(join(packageDir, file), 'utf8')) as { Resources?: Record<string, { Type: string }> };
    return Object.values(template.Resources ?? {}).filter((r): r is LambdaFunctionResource => r.Type === 'AWS::Lambda::Function');
  });
}
