// CPU time by part of the stack, read from /proc: this process and every process it started (DynamoDB Local's JVM,
// serverless-offline), so a phase's CPU can be divided by its operations. A cost per operation moves far less with
// the machine's load than a rate does, and it says which process a rate is waiting on.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICK_MS = 10; // USER_HZ = 100 on Linux

/** The parts: DynamoDB Local's JVM, serverless-offline (the handlers run in it), and this process (the benchmark's clients and the embedded local cloud). */
export interface StackCpu {
  dynamodbLocal: number;
  offline: number;
  bench: number;
}

/**
 * Single threads inside those parts, where a rate can be capped whatever the cores: DynamoDB Local runs every
 * SQLite statement on one thread (`SQLiteQueue`); serverless-offline runs every handler in its main thread
 * (`useInProcess`). Also the JVM's JIT compiler threads, whose work is warm-up, not a cost of the operations.
 */
export interface SerialThreadsCpu {
  dynamodbSqlite: number;
  dynamodbJit: number;
  offlineMain: number;
}

interface ProcessStat {
  pid: number;
  ppid: number;
  cpuMs: number;
  command: string;
}

function processStats(): ProcessStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return [{ pid: Number(pid), ppid: Number(stat.split(') ')[1]!.split(' ')[1]), cpuMs: cpuMsOf(stat), command }];
      } catch {
        return []; // exited meanwhile
      }
    });
}

/** `pid` and every process below it (serverless-offline runs in its own process group, but is still a child). */
function descendantsOf(pid: number, stats: readonly ProcessStat[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of stats) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const found = new Set([pid]);
  for (const parent of found) for (const child of children.get(parent) ?? []) found.add(child);
  return found;
}

const cpuMsOf = (statLine: string) => {
  // Fields after the command's closing parenthesis: the command may hold spaces.
  const fields = statLine.split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
};

/** CPU ms of the threads of `pid` whose name (`comm`) matches, or only its main thread. */
function threadsCpuMs(pid: number, which: RegExp | 'main'): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const matches = which === 'main' ? Number(tid) === pid : which.test(readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8'));
      if (matches) total += cpuMsOf(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
    } catch {
      // the thread ended meanwhile
    }
  }
  return total;
}

/** CPU ms used so far by this process and its descendants, by part, and by the serial threads. Linux only; elsewhere undefined. */
export function stackCpuMs(): (StackCpu & { threads: SerialThreadsCpu }) | undefined {
  let stats: ProcessStat[];
  try {
    stats = processStats();
  } catch {
    return undefined;
  }
  const ours = descendantsOf(process.pid, stats);
  const cpu = { dynamodbLocal: 0, offline: 0, bench: 0, threads: { dynamodbSqlite: 0, dynamodbJit: 0, offlineMain: 0 } };
  for (const p of stats.filter((s) => ours.has(s.pid))) {
    const part = p.command.includes('DynamoDBLocal') ? 'dynamodbLocal' : p.command.includes('\0offline\0') ? 'offline' : 'bench';
    cpu[part] += p.cpuMs;
    if (part === 'dynamodbLocal') {
      cpu.threads.dynamodbSqlite += threadsCpuMs(p.pid, /^SQLiteQueue/);
      cpu.threads.dynamodbJit += threadsCpuMs(p.pid, /^C\d CompilerThre/);
    } else if (part === 'offline') {
      cpu.threads.offlineMain += threadsCpuMs(p.pid, 'main');
    }
  }
  return cpu;
}

/** CPU ms per operation of a phase, by part and serial thread, and how busy each serial thread was over the phase (0..1). */
export interface PhaseCpu {
  perOperation: StackCpu & SerialThreadsCpu & { total: number };
  busy: SerialThreadsCpu;
}

/** Measures `phase` and returns its result with its CPU (undefined off Linux). */
export async function withCpuPerOperation<T>(operations: number, phase: () => Promise<T>): Promise<{ result: T; cpu?: PhaseCpu }> {
  const before = stackCpuMs();
  const started = performance.now();
  const result = await phase();
  const wallMs = performance.now() - started;
  const after = stackCpuMs();
  if (!before || !after) return { result };
  const per = (part: keyof StackCpu) => (after[part] - before[part]) / operations;
  const thread = (name: keyof SerialThreadsCpu) => after.threads[name] - before.threads[name];
  const parts = { dynamodbLocal: per('dynamodbLocal'), offline: per('offline'), bench: per('bench') };
  const threads: SerialThreadsCpu = { dynamodbSqlite: thread('dynamodbSqlite'), dynamodbJit: thread('dynamodbJit'), offlineMain: thread('offlineMain') };
  return {
    result,
    cpu: {
      perOperation: {
        ...parts,
        dynamodbSqlite: threads.dynamodbSqlite / operations,
        dynamodbJit: threads.dynamodbJit / operations,
        offlineMain: threads.offlineMain / operations,
        total: parts.dynamodbLocal + parts.offline + parts.bench,
      },
      busy: { dynamodbSqlite: threads.dynamodbSqlite / wallMs, dynamodbJit: threads.dynamodbJit / wallMs, offlineMain: threads.offlineMain / wallMs },
    },
  };
}
