// What every benchmark shares: a time limit, cleanup that runs on success, error, Ctrl-C or timeout, and a
// header naming the machine, so a figure is never read without knowing where it came from.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

// Before any SDK client exists: Node 20 is supported locally, the SDK's Node 22 notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const TSX_BIN = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

type Cleanup = () => unknown;

export interface Bench {
  /** Registered cleanups run in reverse order, once, however the benchmark ends. */
  onCleanup(cleanup: Cleanup): void;
}

export function machine(): string {
  const gib = Math.round(totalmem() / 2 ** 30);
  // The load average shows whether other work shared the machine during the run.
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  return `node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} cores, ${gib} GiB, load ${load}`;
}

/** The commit measured, and whether the working tree differed from it. */
export function revision(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', PROJECT_ROOT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown revision (not a git checkout)';
  }
}

export function runBench(title: string, timeLimitMs: number, main: (bench: Bench) => Promise<void>): void {
  const cleanups: Cleanup[] = [];
  let finished = false;
  const finish = async (code: number) => {
    if (finished) return;
    finished = true;
    clearTimeout(deadline);
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('cleanup failed:', error instanceof Error ? error.message : error);
      }
    }
    process.exit(code);
  };
  const deadline = setTimeout(() => {
    console.error(`\n${title}: time limit of ${timeLimitMs / 1000} s reached, stopping`);
    void finish(1);
  }, timeLimitMs);
  // `on`, not `once`: a second Ctrl-C must not kill the process while the first one's cleanup is running.
  process.on('SIGINT', () => void finish(130));
  process.on('SIGTERM', () => void finish(143));

  console.log(title);
  console.log(`${new Date().toISOString()}  ${machine()}`);
  console.log(`revision ${revision()}\n`);
  main({ onCleanup: (cleanup) => cleanups.push(cleanup) }).then(
    () => finish(process.exitCode === undefined ? 0 : Number(process.exitCode)),
    (error: unknown) => {
      if (finished) return; // stopping on a signal or the time limit makes the work in progress fail; not news
      console.error(`\n${title} failed:`, error instanceof Error ? (error.stack ?? error.message) : error);
      void finish(1);
    },
  );
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ports from the environment as `BRIGADE_*_PORT`, for the header: shows the run did not use the defaults. */
export function portSummary(ports: object): string {
  return Object.entries(ports)
    .map(([name, port]) => `${name} ${port}`)
    .join(', ');
}
