// The runnable examples (examples/*.http and examples/telemetry.sh) against the stack, so they keep working:
// every request's status as the runner checks it, then the outcomes each file is there to show.
// They use the demo site and users that the local stack seeds (dev/seed/), as `npm start` does.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runHttpFile, withDemoCredentials, type FileRun } from '../../examples/runner';
import { api, apiUrl, describeWithCommands, isLocal, itLocal } from './support/target';
import { login } from './support/identity';

const EXAMPLES = resolve(__dirname, '../../examples');
const PROJECT_ROOT = resolve(__dirname, '../..');
const env = withDemoCredentials(PROJECT_ROOT, process.env);
const describeSeeded = isLocal ? describe : describe.skip;

async function run(file: string): Promise<FileRun> {
  const lines: string[] = [];
  const result = await runHttpFile(join(EXAMPLES, file), { baseUrl: apiUrl, env, log: (line) => lines.push(line) });
  if (!result.passed) throw new Error(`${file} failed:\n${lines.join('\n')}`);
  return result;
}

const bodyOf = (result: FileRun, name: string) => result.responses.get(name)?.json as any;

describeSeeded('examples/*.http against the demo data (local stack: other targets have no demo data)', () => {
  it('gateway.http: health, status with a token, 401 without, openapi, jwks, JSON 404', async () => {
    const result = await run('gateway.http');
    expect(result.outcomes.map((o) => `${o.method} ${o.path} ${o.status}`)).toEqual([
      'GET /health 200',
      'POST /auth/login 200',
      'GET /status 200',
      'GET /status 401',
      'GET /openapi.json 200',
      'GET /.well-known/jwks.json 200',
      'GET /no-such-route 404',
    ]);
  });

  it('users.http: the session it signs in is ended by its logout', async () => {
    const result = await run('users.http');
    expect(result.outcomes.at(-1)).toMatchObject({ method: 'POST', path: '/auth/refresh', status: 401, passed: true });
    expect(bodyOf(result, 'login').user).toMatchObject({ role: 'manager', sites: ['demo-bistro'] });
  });

  it('orders.http: a new order, through the kitchen, paid in full and closed, in the day’s sales', async () => {
    const result = await run('orders.http');
    const placed = bodyOf(result, 'order');
    // Burger with cheddar (1650 + 150) and two large lemonades (2 × 600), server-priced in cents.
    expect(placed.lines.map((l: any) => [l.itemId, l.quantity, l.unitPrice, l.amount])).toEqual([
      ['bistro-burger', 1, 1800, 1800],
      ['lemonade', 2, 600, 1200],
    ]);
    expect(bodyOf(result, 'payment').payment).toMatchObject({ method: 'card', amount: placed.totals.balance, tip: 300 });
    const paid = bodyOf(result, 'paidOrder');
    expect(paid).toMatchObject({ orderId: placed.orderId, status: 'closed' });
    expect(paid.totals).toMatchObject({ total: placed.totals.total + 300, paid: placed.totals.total + 300, balance: 0 });

    // Each run places a new order: a fresh Idempotency-Key every time.
    const again = await run('orders.http');
    expect(bodyOf(again, 'order').orderId).not.toBe(placed.orderId);
    const staff = await login(env.BRIGADE_STAFF_EMAIL!, env.BRIGADE_STAFF_PASSWORD!);
    const day = await api('GET', `/sites/demo-bistro/orders?businessDay=${placed.businessDay}&limit=100`, { headers: { authorization: `Bearer ${staff.accessToken}` } });
    expect(day.json.orders.map((o: any) => o.orderId)).toEqual(expect.arrayContaining([placed.orderId, bodyOf(again, 'order').orderId]));
  }, 60_000);

  it('inventory.http: a receipt, waste and a count move on-hand in base units, in the ledger newest first', async () => {
    const result = await run('inventory.http');
    const [receipt, waste, count] = ['receipt', 'waste', 'count'].map((name) => bodyOf(result, name));
    // Ledger quantities are milli-grams of coffee beans: one case of 6 one-kg bags, 250 g wasted.
    const moved = (body: any) => body.movement.changes[0].after - body.movement.changes[0].before;
    expect(receipt.movement).toMatchObject({ kind: 'receive', value: 14700 });
    expect(moved(receipt)).toBe(6_000_000);
    expect(waste.movement).toMatchObject({ kind: 'waste', reason: 'spoiled' });
    expect(moved(waste)).toBe(-250_000);
    // The count (4 bags and 350 g) sets on-hand whatever orders took before it; the variance is the difference.
    expect(count.movement.changes[0].after).toBe(4_350_000);
    expect(count.movement.variance).toBe(moved(count));
    expect(count.onHand).toEqual({ 'dry-store': 4350 });
    const ids = [count, waste, receipt].map((body) => body.movement.movementId);
    const ledger = bodyOf(result, 'ledger').movements.map((m: any) => m.movementId);
    expect(ledger.filter((id: string) => ids.includes(id))).toEqual(ids);
    expect(result.outcomes.at(-1)).toMatchObject({ method: 'POST', status: 409, passed: true });

    // Each run records new movements: a fresh Idempotency-Key every time, never a replay of the last run.
    const again = await run('inventory.http');
    expect(bodyOf(again, 'receipt').movement.movementId).not.toBe(receipt.movement.movementId);
  }, 60_000);

  it('staff.http: the server reads their own wages, clocks in (a second clock-in is 409), takes a break, clocks out', async () => {
    const result = await run('staff.http');
    const profile = bodyOf(result, 'profile');
    expect(profile.positions[0].wages.map((w: any) => w.amount)).toEqual([1650, 1800]);
    const shiftId = bodyOf(result, 'clockIn').shiftId;
    expect(bodyOf(result, 'floor').staff).toContainEqual(expect.objectContaining({ userId: profile.userId, state: 'working', positionId: 'bartender', shiftId }));
    expect(bodyOf(result, 'clockOut')).toMatchObject({ state: 'off', shiftId, workedSeconds: expect.any(Number) });
    expect(result.outcomes.filter((o) => o.status === 409)).toHaveLength(1);
  }, 60_000);

  it('iot.http: provisions a unit with a certificate, commands it, decommissions it', async () => {
    const result = await run('iot.http');
    const registered = bodyOf(result, 'device');
    expect(registered.credentials.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(registered.connection).toMatchObject({ clientId: registered.device.thingName, telemetryTopic: `brigade/demo-bistro/devices/${registered.device.deviceId}/telemetry` });
    const commands = result.outcomes.filter((o) => o.path.endsWith('/commands') && o.method === 'POST').map((o) => o.status);
    expect(commands).toEqual([202, 422]);
  }, 60_000);

  it('notifications.http: the server is told the order is ready, reads it, and the inbox says so', async () => {
    const result = await run('notifications.http');
    const order = bodyOf(result, 'order');
    const notification = bodyOf(result, 'notification');
    expect(notification).toMatchObject({
      eventType: 'order.status-changed',
      title: `Order #${order.ticketNumber} is ready`,
      data: expect.objectContaining({ orderId: order.orderId }),
    });
    expect(notification.readAt).toEqual(expect.any(String));
    const staff = await login(env.BRIGADE_STAFF_EMAIL!, env.BRIGADE_STAFF_PASSWORD!);
    const unread = await api('GET', '/me/notifications?unread=true&limit=100', { headers: { authorization: `Bearer ${staff.accessToken}` } });
    expect(unread.json.notifications.map((n: any) => n.notificationId)).not.toContain(notification.notificationId);
  }, 60_000);
});

describeWithCommands(['mosquitto_pub', 'curl'])('examples/telemetry.sh', () => {
  itLocal('provisions a unit, publishes a reading with mosquitto_pub, and reads it back stored', 'signs in as the demo manager', async () => {
    const script = join(EXAMPLES, 'telemetry.sh');
    const { stdout } = await promisify(execFile)('bash', [script], { env: { ...env, BRIGADE_API_URL: apiUrl } as NodeJS.ProcessEnv, timeout: 25_000 });
    const stored = /^stored: (.*)$/m.exec(stdout);
    expect(stored).not.toBeNull();
    expect(JSON.parse(stored![1]!)).toMatchObject({ temperatureC: 3.4, batteryPct: 97, seq: 1 });
    expect(stdout).toMatch(/^decommissioned telemetry-example-/m);
  });
});
