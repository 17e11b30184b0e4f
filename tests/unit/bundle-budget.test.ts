// Every function's deploy bundle fits its zip budget. Built here with esbuild directly (one build of every handler,
// the options read from serverless.yml custom.esbuild), so a change that pulls a heavy package into a function fails
// in seconds, naming that function and what fills it, instead of after `npm run package`.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zip as serverlessEsbuildZip } from 'serverless-esbuild/dist/utils';
import {
  budgetViolations,
  buildBundles,
  deployEsbuildOptions,
  estimateZipBytes,
  functionEntries,
  MEDIAN_ZIP_BUDGET_BYTES,
  medianBudgetViolations,
  packagedFunctions,
  packageOf,
  ZIP_BUDGET_BYTES,
  type BundleReport,
} from '../../bench/support/bundles';

const PROJECT_ROOT = join(__dirname, '..', '..');

describe('bundle budget (serverless.yml custom.esbuild, every function)', () => {
  let bundles: BundleReport[];
  beforeAll(async () => {
    bundles = await buildBundles(PROJECT_ROOT);
  }, 180_000);

  it('builds every function the domains declare', () => {
    const declared = functionEntries(PROJECT_ROOT).map((f) => f.name);
    expect(bundles.map((b) => b.name)).toEqual(declared);
    expect(declared.length).toBeGreaterThan(50);
  });

  it(`keeps every zip within ${ZIP_BUDGET_BYTES / 1024} KiB`, () => {
    const violations = budgetViolations(bundles.map((b) => ({ ...b, zipBytes: b.estimatedZipBytes })));
    expect(violations).toEqual([]);
  });

  it(`keeps the median zip within ${MEDIAN_ZIP_BUDGET_BYTES / 1024} KiB`, () => {
    expect(medianBudgetViolations(bundles.map((b) => ({ ...b, zipBytes: b.estimatedZipBytes })))).toEqual([]);
  });

  it('leaves the access-token verifier out of public routes (the policies bind each builder with a pure call)', () => {
    const packagesOf = (name: string) => bundles.find((b) => b.name === name)!.packages.map((p) => p.name);
    for (const name of ['health', 'openApi', 'apiDocs', 'notFound', 'jwks']) expect(packagesOf(name)).not.toContain('jose');
    // health touches nothing: no SDK client at all.
    expect(packagesOf('health')).not.toContain('@aws-sdk/client-dynamodb');
    expect(packagesOf('health')).not.toContain('@smithy/core');
    for (const name of ['createOrder', 'status', 'getMe']) expect(packagesOf(name)).toContain('jose');
  });

  it('bundles only the SDK clients a function calls', () => {
    const packagesOf = (name: string) => bundles.find((b) => b.name === name)!.packages.map((p) => p.name);
    expect(packagesOf('health')).not.toContain('@aws-sdk/client-iot');
    expect(packagesOf('health')).not.toContain('@aws-sdk/client-sns');
    // The token check reads the JWKS from the revocations table with the DynamoDB client it needs anyway.
    for (const name of ['ingestTelemetry', 'createOrder', 'jwks', 'health']) expect(packagesOf(name)).not.toContain('@aws-sdk/client-ssm');
    // Secrets Manager only where a customer reference is made (functions/orders/customer-ref-key.ts): the token check
    // and the rest of the orders domain never read a secret.
    for (const name of ['createOrder', 'setOrderCustomer']) expect(packagesOf(name)).toContain('@aws-sdk/client-secrets-manager');
    for (const name of ['addOrderLine', 'getOrder', 'recordPayment', 'getMe', 'status']) expect(packagesOf(name)).not.toContain('@aws-sdk/client-secrets-manager');
    // Orders events leave through the table's stream: only its relay publishes (shared/outbox-relay.ts).
    expect(packagesOf('createOrder')).not.toContain('@aws-sdk/client-sns');
    expect(packagesOf('relayOutboxStream')).toContain('@aws-sdk/client-sns');
    // The default credential chain's other links are replaced by the environment-only provider.
    for (const b of bundles) expect(b.packages.map((p) => p.name)).not.toContain('@aws-sdk/nested-clients');
  });

  it("keeps zod's locales out (the namespace import tree-shakes; English messages stay)", () => {
    const createOrder = bundles.find((b) => b.name === 'createOrder')!;
    const zod = createOrder.packages.find((p) => p.name === 'zod')!;
    expect(zod.bytes).toBeLessThan(150 * 1024);
  });

  it('estimates the zip that serverless-esbuild writes to within 1%', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brigade-bundle-zip-'));
    try {
      const { build } = await import('esbuild');
      const bundle = functionEntries(PROJECT_ROOT).find((f) => f.name === 'health')!;
      const result = await build({
        ...deployEsbuildOptions(PROJECT_ROOT),
        sourcemap: false,
        entryPoints: [bundle.entry],
        absWorkingDir: PROJECT_ROOT,
        outfile: join(dir, 'health.js'),
        write: false,
        logLevel: 'silent',
      });
      const contents = result.outputFiles[0]!.contents;
      writeFileSync(join(dir, 'health.js'), contents);
      await serverlessEsbuildZip(join(dir, 'health.zip'), [{ localPath: bundle.bundlePath, rootPath: join(dir, 'health.js') }]);
      const real = statSync(join(dir, 'health.zip')).size;
      expect(Math.abs(estimateZipBytes(contents, bundle.bundlePath) - real) / real).toBeLessThan(0.01);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('deploy bundles without keepNames', () => {
  it('keep the error names the logs show', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      ...deployEsbuildOptions(PROJECT_ROOT),
      sourcemap: false,
      stdin: {
        contents: "import { NotFoundError, ServiceUnavailableError } from '#shared/errors'; import { VersionConflictError } from '#shared/dynamodb';" +
          'module.exports = [new NotFoundError(), new ServiceUnavailableError(), new VersionConflictError("order")].map((e) => e.name);',
        resolveDir: PROJECT_ROOT,
        loader: 'ts',
      },
      absWorkingDir: PROJECT_ROOT,
      write: false,
      logLevel: 'silent',
    });
    expect(deployEsbuildOptions(PROJECT_ROOT).keepNames).toBeFalsy();
    const module = { exports: [] as string[] };
    new Function('module', 'require', result.outputFiles[0]!.text)(module, require);
    expect(module.exports).toEqual(['NotFoundError', 'ServiceUnavailableError', 'VersionConflictError']);
  }, 60_000);
});

describe('bundle budget report', () => {
  it('names the function over budget and its heaviest packages, heaviest first', () => {
    const packages = [
      { name: '@aws-sdk/client-iot', bytes: 250 * 1024 },
      { name: 'zod', bytes: 100 * 1024 },
      { name: '(project)', bytes: 40 * 1024 },
    ];
    const violations = budgetViolations([
      { name: 'small', zipBytes: 100 * 1024, packages },
      { name: 'registerDevice', zipBytes: 300 * 1024, packages },
    ]);
    expect(violations).toEqual([
      'registerDevice: 300.0 KiB zipped, over the 250 KiB budget; heaviest: @aws-sdk/client-iot 250.0 KiB, zod 100.0 KiB, (project) 40.0 KiB',
    ]);
  });

  it('names the functions at the median and what fills them when the median is over budget', () => {
    const packages = [{ name: 'zod', bytes: 100 * 1024 }];
    const sized = (name: string, kib: number) => ({ name, zipBytes: kib * 1024, packages });
    expect(medianBudgetViolations([sized('a', 100), sized('b', 140), sized('c', 160)])).toEqual([]);
    expect(medianBudgetViolations([sized('a', 100), sized('b', 155), sized('c', 160)])).toEqual([
      'median zip 155.0 KiB, over the 150 KiB median budget; b (155.0 KiB): zod 100.0 KiB',
    ]);
    expect(medianBudgetViolations([sized('a', 100), sized('b', 150), sized('c', 160), sized('d', 170)])).toEqual([
      'median zip 155.0 KiB, over the 150 KiB median budget; b (150.0 KiB): zod 100.0 KiB; c (160.0 KiB): zod 100.0 KiB',
    ]);
  });

  it('reads the packaged functions from the root template and from nested stacks beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brigade-package-'));
    try {
      const fn = (name: string) => ({ Type: 'AWS::Lambda::Function', Properties: { FunctionName: name, Handler: 'h.handler', MemorySize: 256, Code: { S3Key: `x/${name}.zip` } } });
      const template = (resources: Record<string, object>) => JSON.stringify({ Resources: resources });
      writeFileSync(join(dir, 'cloudformation-template-update-stack.json'), template({ Table: { Type: 'AWS::DynamoDB::Table' }, Health: fn('health') }));
      writeFileSync(join(dir, 'cloudformation-template-orders-nested-stack.json'), template({ CreateOrder: fn('createOrder') }));
      writeFileSync(join(dir, 'cloudformation-template-create-stack.json'), template({ Ignored: fn('ignored') }));
      expect(packagedFunctions(dir).map((f) => f.Properties.FunctionName).sort()).toEqual(['createOrder', 'health']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('attributes metafile inputs to their package', () => {
    expect(packageOf('node_modules/@aws-sdk/client-sns/dist-es/SNSClient.js')).toBe('@aws-sdk/client-sns');
    expect(packageOf('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(packageOf('node_modules/a/node_modules/b/index.js')).toBe('b');
    expect(packageOf('functions/orders/create-order.ts')).toBe('(project)');
  });

  it('reads the deploy options from serverless.yml, without serverless-esbuild-only settings', () => {
    const options = deployEsbuildOptions(PROJECT_ROOT);
    const yml = readFileSync(join(PROJECT_ROOT, 'serverless.yml'), 'utf8');
    expect(yml).toContain('mainFields: [module, main]');
    expect(options.mainFields).toEqual(['module', 'main']);
    expect(options.sourcemap).toBe('external');
    expect(options).not.toHaveProperty('packager');
    expect(options).not.toHaveProperty('plugins');
  });
});
