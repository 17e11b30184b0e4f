// `osls package` of the service into a directory, bundled with esbuild, from a mirror of the checkout: package
// builds in the service's .esbuild folder (and deletes it) and writes .serverless, so packaging the checkout itself
// would disturb another run using them. The mirror links the checkout's files; serverless.yml is copied (osls
// needs a real file there). `projectRoot` packages another checkout (bench/bundle-sizes.ts: a git worktree of the
// baseline ref), given this checkout's node_modules (a link) when it has none.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OSLS_BIN, PROJECT_ROOT } from '../local-cloud/service-definition';

const exec = promisify(execFile);

/** Packages into `<workDir>/package` with `args` (e.g. --stage prod --param=accountId=…); returns that directory. */
export async function packageService(options: {
  workDir: string;
  args: string[];
  timeoutMs: number;
  projectRoot?: string;
}): Promise<string> {
  const root = options.projectRoot ?? PROJECT_ROOT;
  // Inside that checkout, not only in the mirror: esbuild resolves packages from each file's real path.
  if (!existsSync(join(root, 'node_modules'))) symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  const service = join(options.workDir, 'service');
  mkdirSync(service);
  for (const entry of readdirSync(root)) {
    if (entry === '.esbuild' || entry === '.serverless' || entry === '.git') continue;
    if (entry === 'serverless.yml') copyFileSync(join(root, entry), join(service, entry));
    else symlinkSync(join(root, entry), join(service, entry));
  }
  const packageDir = join(options.workDir, 'package');
  try {
    await exec(process.execPath, [OSLS_BIN, 'package', ...options.args, '--package', packageDir], {
      cwd: service,
      env: { ...process.env, BRIGADE_BUNDLER: 'esbuild' },
      timeout: options.timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless package failed:\n${stdout}\n${stderr}`, { cause: error });
  }
  return packageDir;
}
