// Integration suites run two at a time (jest.integration.config.js), but a few change state every suite sees: the
// SNS fault switch fails anyone's publish, the examples clock the demo server in and out while another suite reads
// that nobody at the demo site is on the clock, and a subscriber that expects exactly the events it caused would
// get another suite's too. Those run alone: a readers-writer lock served by the global setup (the parent process),
// taken by each suite's environment (suite-environment.ts). A lock is held as long as its HTTP request stays open,
// so a worker that dies releases what it held.
import { request, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LockMode = 'shared' | 'exclusive';

/** Suites that must not overlap any other (file names): each says in its header what it changes or observes. */
export const EXCLUSIVE_SUITES = new Set([
  'users-events.test.ts', // SNS faults; asserts every users event published in a window, and the outbox relay
  'orders-events.test.ts', // SNS faults (1,000 failed publishes while the stream relay gives up)
  'examples.test.ts', // clocks the demo server in and out (staff-profiles reads the demo clocks), orders there
  'forecast.test.ts', // runs analytics' daily-figures job for every site: other suites' sites get days and markers
  'forecast-runs.test.ts', // runs the nightly forecast job for every site: another suite's site gets a run
  // Run inventory's whole-menu review for every site: it can read another suite's stock item between its creation
  // and its first receipt and 86 that suite's dish (seen in CI: inventory-depletion's burger 86'd, a 409).
  'inventory-auto-86.test.ts',
  'inventory-suppliers.test.ts',
]);

interface Waiter {
  mode: LockMode;
  grant: () => void;
}

export async function startSuiteLock(): Promise<{ url: string; close: () => Promise<void> }> {
  let exclusiveHeld = false;
  let sharedHeld = 0;
  const queue: Waiter[] = [];
  // First come, first served: a waiting exclusive suite is not overtaken by shared ones arriving after it.
  const admit = () => {
    while (queue.length > 0 && !exclusiveHeld) {
      const next = queue[0]!;
      if (next.mode === 'exclusive' && sharedHeld > 0) return;
      queue.shift();
      if (next.mode === 'exclusive') exclusiveHeld = true;
      else sharedHeld += 1;
      next.grant();
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const mode: LockMode = new URL(req.url ?? '/', 'http://lock').searchParams.get('mode') === 'exclusive' ? 'exclusive' : 'shared';
    let state: 'waiting' | 'held' | 'released' = 'waiting';
    const waiter: Waiter = {
      mode,
      grant: () => {
        state = 'held';
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('granted\n');
      },
    };
    res.on('close', () => {
      if (state === 'waiting') queue.splice(queue.indexOf(waiter), 1);
      if (state === 'held') {
        if (mode === 'exclusive') exclusiveHeld = false;
        else sharedHeld -= 1;
      }
      state = 'released';
      admit();
    });
    queue.push(waiter);
    admit();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A global setup that fails after this must not be kept alive by it.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Waits for the lock in `mode`; the returned function releases it. */
export function acquireSuiteLock(url: string, mode: LockMode): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}?mode=${mode}`, { method: 'POST', agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`suite lock → ${res.statusCode}`));
      // Released by closing the request; the server's side of it ending then is expected, not an error.
      else res.once('data', () => resolve(() => req.destroy())).on('error', () => {});
    });
    req.on('error', reject);
    req.end();
  });
}
