// Starts the local stack (the embedded local cloud with Brigade's bootstrap, dev/stack.ts) for a benchmark and
// registers its stop. Its log goes to stderr, capped, so stdout keeps only figures while a failing rule or handler
// is still visible.
import { startBrigadeStack, type BrigadeStack } from '../../dev/stack';
import { portSummary, type Bench } from './harness';

const MAX_LOG_LINES = 20;

export async function startBenchCloud(bench: Bench): Promise<BrigadeStack> {
  let lines = 0;
  let suppressed = 0;
  const toStderr = (line: string) => {
    if (lines++ < MAX_LOG_LINES) console.error(`  [local cloud] ${line}`);
    else suppressed++;
  };
  const started = performance.now();
  const cloud = await startBrigadeStack({
    log: (message, extra) => {
      if (/fail|error/i.test(message)) toStderr(`${message}${extra ? ` ${JSON.stringify(extra).slice(0, 500)}` : ''}`);
    },
    onOfflineOutput: (line) => {
      if (/\b(error|warn(ing)?)\b/i.test(line)) toStderr(`offline | ${line}`);
    },
  });
  bench.onCleanup(async () => {
    await cloud.stop();
    if (suppressed > 0) console.error(`  [local cloud] ${suppressed} more log lines not shown`);
  });
  console.log(`local cloud ready in ${((performance.now() - started) / 1000).toFixed(1)} s (ports: ${portSummary(cloud.ports)})\n`);
  return cloud;
}

/**
 * Signs in as the seeded demo user with `role` and returns the access token (15 minutes: longer than any
 * benchmark here) and how long the sign-in took.
 */
export async function signInAsDemo(cloud: BrigadeStack, role: 'owner' | 'manager' | 'staff'): Promise<{ accessToken: string; ms: number }> {
  const user = cloud.demoUsers.find((u) => u.role === role);
  if (!user) throw new Error(`the local cloud seeded no ${role}`);
  const started = performance.now();
  const res = await fetch(`${cloud.env.BRIGADE_API_URL}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const ms = performance.now() - started;
  const { accessToken } = (await res.json()) as { accessToken?: string };
  if (res.status !== 200 || !accessToken) throw new Error(`sign-in as ${user.email} answered ${res.status}`);
  return { accessToken, ms };
}
