// A deployed function's stack trace is traceable without maps in the zip: the bundle is built with the deploy's
// esbuild options and plugin (which moves the map out to sourcemaps/), run until it throws, and the stack, with
// Lambda's /var/task paths, is symbolicated back to the TypeScript line that threw.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deployEsbuildOptions } from '../../bench/support/bundles';
import { bundlePathOf, projectPath, symbolicate } from '../../scripts/stacktrace';

const PROJECT_ROOT = join(__dirname, '..', '..');
const exec = promisify(execFile);
const esbuildPlugins = require('../../dev/esbuild-plugins.js') as (serverless: { serviceDir: string }) => import('esbuild').Plugin[];

const SOURCE = `// the throw below is line 8
function priceOf(lines: Array<{ qty: number }>): number {
  return lines.reduce((sum, line) => sum + line.qty, 0);
}

export const handler = async () => {
  const total = priceOf([{ qty: 1 }]);
  if (total > 0) throw new Error('rejected on purpose');
  return total;
};
`;

describe('npm run stacktrace', () => {
  let service: string;
  beforeAll(() => {
    service = mkdtempSync(join(tmpdir(), 'brigade-stacktrace-'));
    mkdirSync(join(service, 'functions', 'demo'), { recursive: true });
    writeFileSync(join(service, 'functions', 'demo', 'thrower.ts'), SOURCE);
  });
  afterAll(() => rmSync(service, { recursive: true, force: true }));

  it('maps a minified Lambda stack back to the TypeScript line, with maps kept out of the bundle folder', async () => {
    const { build } = await import('esbuild');
    const outdir = join(service, '.esbuild', '.build', 'functions', 'demo');
    await build({
      ...deployEsbuildOptions(PROJECT_ROOT),
      entryPoints: ['functions/demo/thrower.ts'],
      absWorkingDir: service,
      outdir,
      plugins: esbuildPlugins({ serviceDir: service }),
      logLevel: 'silent',
    });
    const bundle = join(outdir, 'thrower.js');
    expect(existsSync(`${bundle}.map`)).toBe(false);
    expect(readFileSync(bundle, 'utf8')).not.toContain('sourceMappingURL');
    const mapsDir = join(service, '.esbuild', '.serverless', 'sourcemaps');
    expect(existsSync(join(mapsDir, 'functions', 'demo', 'thrower.js.map'))).toBe(true);

    const { stdout } = await exec(process.execPath, [
      '-e',
      `require(${JSON.stringify(bundle)}).handler().catch((e) => { process.stdout.write(e.stack); })`,
    ]);
    // As CloudWatch shows it: the bundle lives at /var/task/<path in the zip>.
    const lambdaStack = stdout.split(join(service, '.esbuild', '.build')).join('/var/task');
    expect(lambdaStack).toMatch(/\/var\/task\/functions\/demo\/thrower\.js:1:\d+/);

    const traced = symbolicate(lambdaStack, mapsDir, service);
    expect(traced).toContain('Error: rejected on purpose');
    expect(traced).toMatch(/at \S*handler \(functions\/demo\/thrower\.ts:8:\d+\)/);
  }, 60_000);

  it('leaves lines it cannot map as they are', () => {
    const text = 'Error: boom\n    at node:internal/process/task_queues:95:5\n    at x (/var/task/functions/none/missing.js:1:10)';
    expect(symbolicate(text, join(tmpdir(), 'no-such-maps'))).toBe(text);
  });

  it('shows sources from the project root, also for builds made from a mirror of the checkout', () => {
    expect(projectPath('functions/orders/create-order.ts')).toBe('functions/orders/create-order.ts');
    expect(projectPath('../../../work/main/functions/orders/create-order.ts')).toBe('functions/orders/create-order.ts');
    expect(projectPath('../../work/main/node_modules/zod/v4/core/core.js')).toBe('node_modules/zod/v4/core/core.js');
  });

  it('finds the path in the zip from any deployed location', () => {
    expect(bundlePathOf('/var/task/functions/orders/create-order.js')).toBe('functions/orders/create-order.js');
    expect(bundlePathOf('file:///var/task/functions/iot/ingest-telemetry.js')).toBe('functions/iot/ingest-telemetry.js');
    expect(bundlePathOf('functions/users/login.js')).toBe('functions/users/login.js');
    expect(bundlePathOf('/var/runtime/index.mjs')).toBeUndefined();
  });
});
