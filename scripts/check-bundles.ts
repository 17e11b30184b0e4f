// After `npm run package -- --package <dir>` (.ci/run): the real zips against the budgets (each zip, and the
// median). Fails naming each function over it and the packages that fill it; fails when a zip carries a source map or the published
// sourcemaps/ lacks one; and fails when the unit test's estimate (tests/unit/bundle-budget.test.ts, esbuild run
// directly) no longer tracks the real zips, since that test is only as good as the estimate.
//
//   npx tsx scripts/check-bundles.ts <package dir>
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  buildBundles,
  budgetViolations,
  MEDIAN_ZIP_BUDGET_BYTES,
  medianBudgetViolations,
  packagedFunctions,
  ZIP_BUDGET_BYTES,
} from '../bench/support/bundles';
import { median } from '../bench/support/stats';
import { listZip } from '../bench/support/zip';

const PROJECT_ROOT = join(__dirname, '..');
/** How far the estimate may drift from the real zip before the unit test's verdict stops meaning anything. */
const ESTIMATE_TOLERANCE = 0.02;

export async function checkPackage(packageDir: string): Promise<{ problems: string[]; summary: string }> {
  const problems: string[] = [];
  const zips = packagedFunctions(packageDir).map(({ Properties: fn }) => {
    const file = join(packageDir, basename(fn.Code.S3Key));
    const bundlePath = `${fn.Handler.slice(0, fn.Handler.lastIndexOf('.'))}.js`;
    const entries = listZip(readFileSync(file));
    for (const entry of entries.filter((e) => e.name.endsWith('.map'))) problems.push(`${basename(file)} carries ${entry.name}`);
    if (!existsSync(join(packageDir, 'sourcemaps', `${bundlePath}.map`))) problems.push(`sourcemaps/${bundlePath}.map is missing`);
    return { name: basename(file, '.zip'), zipBytes: statSync(file).size, bundlePath };
  });

  const estimates = new Map((await buildBundles(PROJECT_ROOT)).map((b) => [b.name, b]));
  const measured = zips.map((zip) => {
    const estimate = estimates.get(zip.name);
    if (!estimate) throw new Error(`${zip.name} is packaged but not declared in any functions.yml`);
    const drift = (estimate.estimatedZipBytes - zip.zipBytes) / zip.zipBytes;
    if (Math.abs(drift) > ESTIMATE_TOLERANCE) {
      problems.push(
        `${zip.name}: the budget test estimates ${estimate.estimatedZipBytes} bytes, the zip has ${zip.zipBytes} ` +
          `(${(drift * 100).toFixed(1)}%): bench/support/bundles.ts no longer builds what osls packages`,
      );
    }
    return { ...zip, packages: estimate.packages };
  });
  problems.push(...budgetViolations(measured), ...medianBudgetViolations(measured));

  const sizes = measured.map((m) => m.zipBytes);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const summary =
    `${measured.length} zips, ${kib(sizes.reduce((a, b) => a + b, 0))} in total, median ${kib(median(sizes))}, ` +
    `largest ${kib(Math.max(...sizes))} (budgets: ${kib(ZIP_BUDGET_BYTES)} each, median ${kib(MEDIAN_ZIP_BUDGET_BYTES)})`;
  return { problems, summary };
}

if (require.main === module) {
  const packageDir = process.argv[2];
  if (!packageDir) {
    console.error('usage: npx tsx scripts/check-bundles.ts <package dir>');
    process.exit(2);
  }
  checkPackage(packageDir).then(
    ({ problems, summary }) => {
      console.log(`bundles: ${summary}`);
      for (const problem of problems) console.error(`bundles: ${problem}`);
      process.exitCode = problems.length > 0 ? 1 : 0;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
