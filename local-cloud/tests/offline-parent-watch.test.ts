// serverless-offline runs in a process group of its own, so nothing stops it if the local cloud's process dies
// without stopping it; the preload (offline-parent-watch.cjs) makes it stop itself once orphaned.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { isAlive } from './processes';

const PRELOAD = join(__dirname, '..', 'offline-parent-watch.cjs');
const { watchParent } = require(PRELOAD) as { watchParent: (parentPid: () => number, onOrphaned: (parent: number) => void, everyMs?: number) => NodeJS.Timeout };

const until = async (condition: () => boolean, limitMs: number) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
};

it('says nothing while the parent is the same, and once when it changes, with the parent it had', async () => {
  let parent = 4242;
  const orphaned: number[] = [];
  const timer = watchParent(() => parent, (was) => orphaned.push(was), 10);
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(orphaned).toEqual([]);
  parent = 1;
  expect(await until(() => orphaned.length > 0, 1_000)).toBe(true);
  parent = 7;
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(orphaned).toEqual([4242]);
  clearInterval(timer);
});

it('a process preloaded with it, in its own process group, ends on its interrupt handler once its parent is killed', async () => {
  // The parent starts the watched child (detached, as offline.ts starts serverless-offline), says its pid, and waits.
  const child = [
    "process.on('SIGINT', () => process.exit(0));", // serverless-offline stops on SIGINT
    'setInterval(() => {}, 1000);',
  ].join('');
  const parentScript = [
    "const { spawn } = require('node:child_process');",
    `const c = spawn(process.execPath, ['--require', ${JSON.stringify(PRELOAD)}, '-e', ${JSON.stringify(child)}], { detached: true, stdio: 'ignore', env: { ...process.env, BRIGADE_WATCH_PARENT: '1' } });`,
    'console.log(c.pid);',
    'setInterval(() => {}, 1000);',
  ].join('\n');
  const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  const childPid = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))));
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(isAlive(childPid)).toBe(true); // its parent is alive: it stays
    const killedAt = Date.now();
    parent.kill('SIGKILL');
    expect(await until(() => !isAlive(childPid), 4_000)).toBe(true);
    // Within the check interval and its interrupt handler, not the 5 s fallback exit.
    expect(Date.now() - killedAt).toBeLessThan(3_000);
  } finally {
    if (isAlive(childPid)) process.kill(childPid, 'SIGKILL');
  }
}, 15_000);
