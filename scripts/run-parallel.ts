// Runs npm scripts side by side and fails if any fails, naming it: `npm test` type-checks and lints at once (each
// is one process on one core, and neither needs the other's result).
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: tsx scripts/run-parallel.ts <npm script>...');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(script: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', script], { stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`${script}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

void Promise.all(scripts.map(run)).then((exitCodes) => {
  const failed = scripts.filter((_, i) => exitCodes[i] !== 0);
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
});
