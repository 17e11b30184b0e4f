import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DeviceModel } from '../../dev/simulator/device-model';
import { awaitingReadings } from '../../functions/iot/excursion';

const MIN = 60_000;
const T0 = Date.parse('2026-11-25T08:00:00Z'); // before lunch service: few door openings

function run(model: DeviceModel, minutes: number, from = 0) {
  return Array.from({ length: minutes }, (_, i) => model.read(T0 + (from + i + 1) * MIN));
}

describe('simulated unit', () => {
  it('a working fridge holds its setpoint within noise, and is deterministic for a seed', () => {
    const readings = run(new DeviceModel('fridge', T0, 4), 60).filter((r) => !r.doorOpen);
    expect(Math.max(...readings.map((r) => r.temperatureC))).toBeLessThan(4.5);
    expect(Math.min(...readings.map((r) => r.temperatureC))).toBeGreaterThan(2);
    expect(run(new DeviceModel('fridge', T0, 4), 10)).toEqual(run(new DeviceModel('fridge', T0, 4), 10));
  });

  it('a compressor failure warms a fridge slowly, past 5 °C after minutes, not at once; repaired, it recovers', () => {
    const model = new DeviceModel('fridge', T0, 4);
    model.setFault('compressor', true);
    const warming = run(model, 40);
    const firstOut = warming.findIndex((r) => r.temperatureC > 5);
    expect(firstOut).toBeGreaterThanOrEqual(8);
    expect(firstOut).toBeLessThan(30);
    expect(warming.at(-1)!.temperatureC).toBeGreaterThan(8);
    model.setFault('compressor', false);
    expect(run(model, 30, 40).at(-1)!.temperatureC).toBeLessThan(4);
  });

  it('a door left open warms it faster; hot-holding cools instead', () => {
    const fridge = new DeviceModel('fridge', T0, 4);
    fridge.setFault('door-open', true);
    const open = run(fridge, 6);
    expect(open.every((r) => r.doorOpen)).toBe(true);
    expect(open.at(-1)!.temperatureC).toBeGreaterThan(5);
    const cabinet = new DeviceModel('hot-holding', T0, 4);
    cabinet.setFault('compressor', true);
    expect(run(cabinet, 30).at(-1)!.temperatureC).toBeLessThan(63);
  });

  it('applies a shadow delta it understands and reports its control state', () => {
    const freezer = new DeviceModel('freezer', T0, 4);
    expect(freezer.apply({ setpointC: -22, mode: 'defrost', colour: 'red' })).toEqual({ setpointC: -22, mode: 'defrost' });
    const sensor = new DeviceModel('ambient', T0, 4);
    expect(sensor.apply({ setpointC: 10 })).toEqual({ mode: 'normal' });
  });

  it('a battery fault drains the battery', () => {
    const model = new DeviceModel('freezer', T0, 4);
    model.setFault('battery', true);
    expect(run(model, 60).at(-1)!.batteryPct).toBeLessThan(20);
  });
});

describe('waiting for readings in flight', () => {
  const now = T0 + 60 * MIN;
  const at = (minute: number, receivedAgoMs: number) => ({ t: T0 + minute * MIN, receivedAt: now - receivedAgoMs });

  it('waits while a gap of more than two intervals sits next to a reading received moments ago', () => {
    expect(awaitingReadings([at(0, 60_000), at(1, 1_000), at(5, 1_000)], false, 60, now)).toBe(true);
    expect(awaitingReadings([at(0, 60_000), at(1, 1_000), at(2, 1_000)], false, 60, now)).toBe(false);
    expect(awaitingReadings([at(0, 60_000), at(5, 30_000)], false, 60, now)).toBe(false); // a real gap, long settled
  });

  it('waits when the timeline starts at a first reading that just arrived', () => {
    expect(awaitingReadings([at(0, 1_000)], true, 60, now)).toBe(true);
    expect(awaitingReadings([at(0, 1_000)], false, 60, now)).toBe(false);
  });
});

describe('npm run simulate', () => {
  it('takes the broker port from BRIGADE_MQTT_PORT and fails (non-zero) when it cannot connect', () => {
    const root = join(__dirname, '../..');
    const { BRIGADE_MQTT_URL: _url, ...inherited } = process.env;
    const env = { ...inherited, BRIGADE_MQTT_PORT: '1' };
    const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['dev/simulator/simulate.ts', '--devices', '1', '--duration', '30'], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout).toContain('on mqtt://127.0.0.1:1:');
    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull();
  }, 90_000);
});
