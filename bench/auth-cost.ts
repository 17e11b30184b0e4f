// Login cost (dominated by the scrypt hash) and what the access-token check adds to a request: the same
// trivial work behind a public route (GET /health) and behind a protected one (GET /me, which also reads the user).
import { startBenchCloud } from './support/cloud';
import { runBench } from './support/harness';
import { runConcurrent } from './support/load';
import { printResult, printTable, round } from './support/stats';

const LOGINS = 40;
const REQUESTS = 2_000;

runBench('Brigade bench: login and the cost of the auth middleware', 10 * 60_000, async (bench) => {
  const cloud = await startBenchCloud(bench);
  const api = cloud.env.BRIGADE_API_URL!;
  const staff = cloud.demoUsers.find((u) => u.role === 'staff')!;
  const login = async () => {
    const res = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: staff.email, password: staff.password }),
    });
    if (res.status !== 200) throw new Error(`login → ${res.status}`);
    return (await res.json()) as { accessToken: string };
  };
  const { accessToken } = await login(); // also loads the handler
  const get = (path: string, headers: Record<string, string> = {}) => async () => {
    const res = await fetch(`${api}${path}`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
  };
  await runConcurrent(50, 4, get('/health'));
  await runConcurrent(50, 4, get('/me', { authorization: `Bearer ${accessToken}` }));

  const logins1 = await runConcurrent(LOGINS / 2, 1, async () => void (await login()));
  const logins4 = await runConcurrent(LOGINS, 4, async () => void (await login()));
  const health = await runConcurrent(REQUESTS, 8, get('/health'));
  const me = await runConcurrent(REQUESTS, 8, get('/me', { authorization: `Bearer ${accessToken}` }));

  const rows = [
    ['POST /auth/login, 1 at a time', logins1],
    ['POST /auth/login, 4 concurrent', logins4],
    ['GET /health (public)', health],
    ['GET /me (token + revocation check + user read)', me],
  ] as const;
  printTable(
    ['operation', 'ops/s', 'p50 ms', 'p99 ms'],
    rows.map(([name, r]) => [name, round(r.opsPerSecond), round(r.p50), round(r.p99)]),
  );
  console.log(`\nauth adds ${round(me.p50 - health.p50)} ms at p50 (GET /me vs GET /health)`);
  printResult({
    loginSerialP50Ms: round(logins1.p50),
    loginConcurrentOpsPerS: round(logins4.opsPerSecond),
    healthP50Ms: round(health.p50),
    meP50Ms: round(me.p50),
    authAddsP50Ms: round(me.p50 - health.p50),
  });
});
