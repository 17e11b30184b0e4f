// Finding and stopping every process a spawned command started, including those in their own process group
// (serverless-offline runs detached), from `ps` so it works on Linux and macOS.
import { execFileSync } from 'node:child_process';
import { sleep } from './harness';

interface ProcessRow {
  pid: number;
  ppid: number;
  pgid: number;
  zombie: boolean;
  command: string;
}

function processTable(): ProcessRow[] {
  const output = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return output
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s*(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, pid, ppid, pgid, stat, command]) => ({
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      zombie: stat!.startsWith('Z'), // exited, waiting to be reaped: nothing left to stop
      command: command!,
    }));
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}

/**
 * The group led by `pid` and the groups of all its descendants. Take it while the tree runs: once a parent
 * exits, its orphans can no longer be traced to it.
 */
export function processGroupsUnder(pid: number): Set<number> {
  const table = processTable();
  const groups = new Set([pid]);
  const pending = [pid];
  while (pending.length > 0) {
    const parent = pending.pop();
    for (const row of table) {
      if (row.ppid !== parent) continue;
      groups.add(row.pgid);
      pending.push(row.pid);
    }
  }
  return groups;
}

function liveMembers(groups: Set<number>): ProcessRow[] {
  return processTable().filter((row) => groups.has(row.pgid) && !row.zombie);
}

/**
 * Waits `graceMs` for the groups to empty on their own, then sends SIGTERM, then SIGKILL after `limitMs`.
 * Returns what was still running after the grace period (empty when the tree stopped by itself).
 */
export async function stopProcessGroups(groups: Set<number>, graceMs: number, limitMs: number): Promise<string[]> {
  const graceEnds = performance.now() + graceMs;
  let live = liveMembers(groups);
  while (live.length > 0 && performance.now() < graceEnds) {
    await sleep(100);
    live = liveMembers(groups);
  }
  const leftBehind = live.map((row) => `${row.pid} ${row.command.slice(0, 120)}`);
  if (live.length === 0) return leftBehind;

  for (const pgid of new Set(live.map((row) => row.pgid))) signalGroup(pgid, 'SIGTERM');
  const deadline = performance.now() + limitMs;
  while (liveMembers(groups).length > 0 && performance.now() < deadline) await sleep(100);
  for (const pgid of new Set(liveMembers(groups).map((row) => row.pgid))) signalGroup(pgid, 'SIGKILL');
  return leftBehind;
}
