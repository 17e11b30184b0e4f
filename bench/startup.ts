// How long `npm start` takes until "Brigade is running", and how long Ctrl-C takes to stop everything.
// Each run is a fresh process tree; after each stop every port must be free again.
import { spawn, type ChildProcess } from 'node:child_process';
import { assertPortsFree, portsFromEnv } from '../local-cloud/ports';
import { PROJECT_ROOT, portSummary, runBench, sleep, withTimeout } from './support/harness';
import { processGroupsUnder, signalGroup, stopProcessGroups } from './support/process-tree';
import { median, printResult, printTable, round } from './support/stats';

const RUNS = 3;
const READY_LIMIT_MS = 180_000;
const EXIT_LIMIT_MS = 30_000;
const PORTS_FREE_LIMIT_MS = 15_000;
/** How long after npm start exits a process of its tree may still be finishing before it counts as left behind. */
const LEFT_BEHIND_GRACE_MS = 2_000;
const READY_LINE = /Brigade is running \(ready in ([\d.]+) s\)/;
/** start.ts logs `[  4.9s] dynamodb local ready {...}`: where the start-up time goes, at 0.1 s resolution. */
const MILESTONE_LINE = /^\[\s*([\d.]+)s\] ([a-z][^{]*?)(?: \{.*)?$/gm;

interface Run {
  readyMs: number;
  /** What start.ts itself reports: its own time, without tsx and Node booting. */
  selfReportedMs: number;
  exitMs: number;
  exitCode: number | null;
  portsFreeMs: number;
  milestones: Map<string, number>;
}

runBench('Brigade bench: npm start until ready, Ctrl-C until exit', 15 * 60_000, async (bench) => {
  const ports = portsFromEnv();
  console.log(`${RUNS} runs of node_modules/.bin/tsx dev/start.ts (ports: ${portSummary(ports)})\n`);

  // The run in progress. Cleanup stops its process group even when the leader is gone (a start.ts killed early
  // leaves DynamoDB Local's JVM in it), and the groups of its descendants (serverless-offline has its own).
  let current: number | undefined;
  bench.onCleanup(async () => {
    if (current !== undefined) await stopProcessGroups(processGroupsUnder(current), 0, EXIT_LIMIT_MS);
  });

  const runs: Run[] = [];
  for (let i = 1; i <= RUNS; i++) {
    await waitForPortsFree(ports);
    const started = performance.now();
    // What `npm start` runs. Not the tsx wrapper: on a busy machine it SIGKILLs a script that takes over 60 ms to
    // take the interrupt, and serverless-offline (its own process group) was then left running on its ports.
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'dev/start.ts'], {
      cwd: PROJECT_ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so the SIGINT below reaches it the way Ctrl-C in a terminal does
    });
    if (!child.pid) throw new Error('could not spawn npm start');
    current = child.pid;
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
        const match = READY_LINE.exec(output);
        if (match) resolve(Number(match[1]) * 1000);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`)));
    });
    const selfReportedMs = await withTimeout(ready, READY_LIMIT_MS, () => `npm start was not ready in ${READY_LIMIT_MS / 1000} s:\n${output}`);
    const readyMs = performance.now() - started;
    const milestones = new Map<string, number>();
    for (const [, at, name] of output.matchAll(MILESTONE_LINE)) milestones.set(name!, Number(at) * 1000);

    // Taken while everything runs: once start.ts has exited, its orphans can no longer be traced to it.
    const groups = processGroupsUnder(child.pid);
    const stopping = performance.now();
    signalGroup(child.pid, 'SIGINT');
    const exitCode = await withTimeout(exited, EXIT_LIMIT_MS, () => `npm start still running ${EXIT_LIMIT_MS / 1000} s after SIGINT:\n${output}`);
    const exitMs = performance.now() - stopping;
    const portsFreeMs = (await waitForPortsFree(ports)) + exitMs;
    // Ctrl-C must stop everything: a process of the tree still running shortly after the exit was left behind.
    const leftBehind = await stopProcessGroups(groups, LEFT_BEHIND_GRACE_MS, EXIT_LIMIT_MS);
    current = undefined;

    runs.push({ readyMs, selfReportedMs, exitMs, exitCode, portsFreeMs, milestones });
    console.log(
      `  run ${i}: ready ${(readyMs / 1000).toFixed(2)} s (start.ts says ${(selfReportedMs / 1000).toFixed(1)} s), ` +
        `exit ${(exitMs / 1000).toFixed(2)} s after SIGINT, exit code ${exitCode}`,
    );
    for (const leftover of leftBehind) console.log(`  !!! run ${i}: still running after npm start exited (now stopped): ${leftover}`);
    if (exitCode !== 0 || leftBehind.length > 0) process.exitCode = 1;
  }

  const seconds = (ms: number) => round(ms / 1000, 2);
  const fixed = (ms: number) => (ms / 1000).toFixed(2);
  const medianOf = (pick: (run: Run) => number) => median(runs.map(pick));
  console.log('');
  printTable(
    ['run', 'ready s', 'start.ts s', 'exit s', 'ports free s', 'exit code'],
    [
      ...runs.map((r, i) => [`${i + 1}`, fixed(r.readyMs), fixed(r.selfReportedMs), fixed(r.exitMs), fixed(r.portsFreeMs), String(r.exitCode)]),
      [
        'median',
        fixed(medianOf((r) => r.readyMs)),
        fixed(medianOf((r) => r.selfReportedMs)),
        fixed(medianOf((r) => r.exitMs)),
        fixed(medianOf((r) => r.portsFreeMs)),
        '',
      ],
    ],
  );
  const milestoneNames = [...runs[0]!.milestones.keys()];
  const milestones = Object.fromEntries(milestoneNames.map((name) => [name, seconds(medianOf((r) => r.milestones.get(name) ?? Number.NaN))]));
  console.log('\nstart.ts milestones, median seconds since its first line');
  printTable(['milestone', 's'], Object.entries(milestones).map(([name, at]) => [name, at.toFixed(1)]));
  console.log('\nready: spawn until the "Brigade is running" line. start.ts: the time it prints itself (from its first line,');
  console.log('without tsx and Node booting). exit: SIGINT to the process group until the process exited. ports free: until');
  console.log('every Brigade port accepted a listener again.');

  printResult({
    bench: 'startup',
    runs: runs.map((r) => ({
      readyS: seconds(r.readyMs),
      selfReportedS: seconds(r.selfReportedMs),
      exitS: seconds(r.exitMs),
      portsFreeS: seconds(r.portsFreeMs),
      exitCode: r.exitCode,
    })),
    medianReadyS: seconds(medianOf((r) => r.readyMs)),
    medianExitS: seconds(medianOf((r) => r.exitMs)),
    medianMilestonesS: milestones,
  });
});

/** Returns how long it took until every port could be bound; throws if one stays busy. */
async function waitForPortsFree(ports: ReturnType<typeof portsFromEnv>): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      await assertPortsFree(ports);
      return performance.now() - started;
    } catch (error) {
      if (performance.now() - started > PORTS_FREE_LIMIT_MS) throw error;
      await sleep(100);
    }
  }
}
