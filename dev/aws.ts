// `npm run aws -- <service> <command> ...`: the installed AWS CLI against the local stack's edge port, with the
// local credentials and region (like LocalStack's `awslocal`). `npm run --silent env:local` prints the same
// variables as `export` lines, for `eval "$(npm run --silent env:local)"` and any SDK or tool.
import { spawnSync } from 'node:child_process';
import { portsFromEnv } from '../local-cloud/ports';
import { LOCAL_REGION } from '../local-cloud/types';

/** What a client of the local stack needs: its edge endpoint, the local credentials and the region. */
export function localAwsEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // AWS CLI v1 reads the region from AWS_DEFAULT_REGION, v2 and the SDKs from AWS_REGION.
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ENDPOINT_URL: `http://127.0.0.1:${portsFromEnv(env).edge}`,
  };
}

export function exportLines(variables: Record<string, string>): string {
  return Object.entries(variables).map(([name, value]) => `export ${name}=${value}\n`).join('');
}

/** The CLI's argv and environment: the caller's arguments unchanged, after the local endpoint unless they name one. */
export function awsInvocation(args: string[], env: NodeJS.ProcessEnv = process.env): { argv: string[]; env: NodeJS.ProcessEnv } {
  const local = localAwsEnv(env);
  const named = args.some((a) => a === '--endpoint-url' || a.startsWith('--endpoint-url='));
  // A profile (which would win over the credentials below) or a session token of a real account must not mix in.
  const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _default, AWS_SESSION_TOKEN: _token, ...rest } = env;
  return {
    argv: named ? args : ['--endpoint-url', local.AWS_ENDPOINT_URL!, ...args],
    // No pager (CLI v2 would wait on `less` in scripts).
    env: { ...rest, ...local, AWS_PAGER: '' },
  };
}

/** Runs the CLI and returns the exit code to pass on: the CLI's own, 128+n after a signal, 127 if it is missing. */
export function runAws(args: string[], env: NodeJS.ProcessEnv = process.env, command = 'aws'): number {
  const invocation = awsInvocation(args, env);
  const result = spawnSync(command, invocation.argv, { stdio: 'inherit', env: invocation.env });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error(
        `The AWS CLI (\`${command}\`) is not installed or not on PATH. Install it (https://aws.amazon.com/cli/, or ` +
          '`pip install awscli`, or `apt-get install awscli`), or use any SDK with the variables of `npm run --silent env:local`.',
      );
      return 127;
    }
    console.error(`Could not run \`${command}\`: ${result.error.message}`);
    return 1;
  }
  if (result.signal) return 128 + (signalNumber(result.signal) ?? 0);
  return result.status ?? 1;
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Partial<Record<NodeJS.Signals, number>>)[signal];
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--print-env') process.stdout.write(exportLines(localAwsEnv()));
  else process.exitCode = runAws(args);
}
