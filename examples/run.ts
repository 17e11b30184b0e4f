// npm run examples [-- orders.http …] [--var name=value …] [--print-env]
// Runs the example .http files against the stack at BRIGADE_API_URL (default: `npm start`'s http://127.0.0.1:3000,
// or BRIGADE_HTTP_PORT's), prints `METHOD path → status` per request, and exits 1 if any request failed.
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { runHttpFile, withDemoCredentials } from './runner';

const EXAMPLES_DIR = __dirname;
const PROJECT_ROOT = resolve(EXAMPLES_DIR, '..');

function usage(problem?: string): never {
  if (problem) console.error(problem);
  console.error('usage: npm run examples [-- [file.http …] [--var name=value …] [--print-env]]');
  process.exit(2);
}

async function main() {
  const files: string[] = [];
  const variables: Record<string, string> = {};
  let printEnv = false;
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--var') {
      const pair = args[++i] ?? usage('--var needs name=value');
      const at = pair.indexOf('=');
      if (at < 1) usage(`--var ${pair}: expected name=value`);
      variables[pair.slice(0, at)] = pair.slice(at + 1);
    } else if (arg === '--print-env') printEnv = true;
    else if (arg === '--help' || arg === '-h') usage();
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else files.push(arg);
  }

  const baseUrl = process.env.BRIGADE_API_URL ?? `http://127.0.0.1:${process.env.BRIGADE_HTTP_PORT ?? 3000}`;
  const env = withDemoCredentials(PROJECT_ROOT, process.env);
  if (printEnv) {
    // For editors: `eval "$(npm run --silent examples -- --print-env)"`, then start the editor from that shell.
    for (const name of Object.keys(env).filter((n) => /^BRIGADE_(OWNER|MANAGER|STAFF)_(EMAIL|PASSWORD)$/.test(n)).sort()) {
      console.log(`export ${name}='${env[name]}'`);
    }
    return;
  }

  const chosen = files.length > 0 ? files : readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.http')).sort();
  let failed = 0;
  for (const file of chosen) {
    const path = file.includes('/') ? resolve(file) : join(EXAMPLES_DIR, file);
    console.log(`\n${basename(path)}  (${baseUrl})`);
    const run = await runHttpFile(path, { baseUrl, variables, env, log: (line) => console.log(`  ${line}`) });
    if (!run.passed) failed++;
  }
  console.log(failed === 0 ? `\n${chosen.length} files passed` : `\n${failed} of ${chosen.length} files failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
