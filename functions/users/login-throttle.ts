// Login brute-force limits, per account and per source IP, in fixed windows stored in DynamoDB with TTL so
// every Lambda instance sees the same counts. Only failures count; the (N+1)th attempt in a window is refused
// before the password is even looked at, so a correct password during a lockout is refused too.
import { TooManyRequestsError } from '#shared/errors';
import { config, store } from './config';

function windowOf(nowSeconds: number) {
  const start = Math.floor(nowSeconds / config.LOGIN_WINDOW_SECONDS) * config.LOGIN_WINDOW_SECONDS;
  return { id: start, end: start + config.LOGIN_WINDOW_SECONDS };
}

function keys(email: string, ip: string, windowId: number) {
  return { account: `ACCOUNT#${email}#${windowId}`, ip: `IP#${ip}#${windowId}` };
}

export async function assertLoginAllowed(email: string, ip: string): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const window = windowOf(now);
  const k = keys(email, ip, window.id);
  const [account, fromIp] = await Promise.all([store.failureCount(k.account), store.failureCount(k.ip)]);
  if (account >= config.LOGIN_MAX_FAILURES_PER_ACCOUNT || fromIp >= config.LOGIN_MAX_FAILURES_PER_IP) {
    throw new TooManyRequestsError(window.end - now, 'Too many failed sign-in attempts; try again later');
  }
}

export async function recordLoginFailure(email: string, ip: string): Promise<void> {
  const window = windowOf(Math.floor(Date.now() / 1000));
  const k = keys(email, ip, window.id);
  await Promise.all([store.recordFailure(k.account, window.end), store.recordFailure(k.ip, window.end)]);
}
