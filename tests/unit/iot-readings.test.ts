import { dedupeKey, parseTelemetry, type ParsedTelemetry } from '../../functions/iot/readings';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const rule = { siteId: 'demo-bistro', deviceId: 'walkin-1', receivedAt: NOW, clientId: 'walkin-1' };
const parsed = (output: unknown): ParsedTelemetry => {
  const outcome = parseTelemetry(output);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.telemetry;
};

describe('telemetry parsing', () => {
  it('a single reading: device time if given, else the receive time', () => {
    expect(parsed({ ...rule, temperatureC: 3.5, t: NOW - 1000, seq: 4 }).readings).toEqual([{ t: NOW - 1000, deviceTime: true, temperatureC: 3.5, seq: 4 }]);
    expect(parsed({ ...rule, temperatureC: 3.5 }).readings).toEqual([{ t: NOW, deviceTime: false, temperatureC: 3.5 }]);
  });

  it('a batch: each reading validated on its own; bad ones rejected with a reason, the rest kept', () => {
    const telemetry = parsed({
      ...rule,
      readings: [
        { t: NOW - 60_000, temperatureC: 3, doorOpen: false, batteryPct: 80 },
        { t: NOW - 30_000, temperatureC: 'warm' },
        { temperatureC: 4 },
        { t: NOW + 10 * 60_000, temperatureC: 4 },
        { t: NOW - 25 * 60 * 60_000, temperatureC: 4 },
        { t: NOW - 20_000, temperatureC: 4, batteryPct: 140 },
        { t: NOW, temperatureC: 4.5, firmware: '1.2' },
      ],
    });
    expect(telemetry.readings.map((r) => r.t)).toEqual([NOW - 60_000, NOW]);
    expect(telemetry.readings[1]).toEqual({ t: NOW, deviceTime: true, temperatureC: 4.5 });
    expect(telemetry.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'temperatureC: Invalid input: expected number, received string'],
      [2, 't: required in a batch'],
      [3, 't: more than 5 minutes in the future'],
      [4, 't: older than 24 hours'],
      [5, 'batteryPct: Too big: expected number to be <=100'],
    ]);
    expect(telemetry.rejected[0]!.reading).toEqual({ t: NOW - 30_000, temperatureC: 'warm' });
  });

  it('the same reading twice in one batch is kept once', () => {
    const telemetry = parsed({ ...rule, readings: [{ t: NOW, temperatureC: 3 }, { t: NOW, temperatureC: 3 }] });
    expect(telemetry.readings).toHaveLength(1);
  });

  it('refuses messages that are not telemetry at all', () => {
    expect(parseTelemetry({ ...rule, readings: 'nope' })).toEqual({ ok: false, reason: 'readings must be an array' });
    expect(parseTelemetry({ ...rule, readings: Array(501).fill({ t: NOW, temperatureC: 1 }) })).toEqual({ ok: false, reason: 'a batch holds at most 500 readings' });
    expect(parseTelemetry({ ...rule, siteId: 'Not A Site' }).ok).toBe(false);
  });

  it('dedupe key: device time, else seq, else none', () => {
    expect(dedupeKey({ t: 5, deviceTime: true, temperatureC: 1, seq: 9 })).toBe('t:5');
    expect(dedupeKey({ t: 5, deviceTime: false, temperatureC: 1, seq: 9 })).toBe('seq:9');
    expect(dedupeKey({ t: 5, deviceTime: false, temperatureC: 1 })).toBeUndefined();
  });
});
