import { monitorConfig, planDecommission, planIngest, planOffline, type KnownIncidents } from '../../functions/iot/device-state';
import { advance } from '../../functions/iot/excursion';
import { liveStatus } from '../../functions/iot/device-status';
import type { Reading } from '../../functions/iot/readings';
import type { DeviceRecord } from '../../functions/iot/schemas';
import { fridge } from './fixtures/iot-device';

const MIN = 60_000;
const T0 = Date.parse('2026-11-25T10:00:00Z');
const counters = { accepted: 1, duplicates: 0, rejected: 0 };

/** planIngest with the state machine moved on by `batch` from the device's state, as ingest does in order. */
function ingest(device: DeviceRecord, receivedAt: number, batch: Reading[], known: KnownIncidents = new Map(), correlationId = 'c1') {
  const evaluation = advance(device.live.monitor, batch, monitorConfig(device));
  return planIngest(device, { receivedAt, readings: batch, counters, evaluation, known }, correlationId);
}

const readings = (temperatures: number[], from = 0): Reading[] =>
  temperatures.map((temperatureC, i) => ({ t: T0 + (from + i) * MIN, deviceTime: true, temperatureC, batteryPct: 90 - i }));

describe('device state decisions', () => {
  it('a batch moves the live state and watches for silence from the receive time', () => {
    const change = ingest(fridge(), T0 + 3 * MIN, readings([3, 4, 3.5]), new Map(), 'c1');
    expect(change.live).toMatchObject({ lastSeenAt: T0 + 3 * MIN, batteryPct: 88, lastReading: { t: T0 + 2 * MIN, temperatureC: 3.5 } });
    expect(change.silentAt).toBe(T0 + 6 * MIN);
    expect(change.events).toEqual([]);
    expect(change.counters).toEqual(counters);
  });

  it('the silence deadline moves only when the stored one is more than an interval short: its index entry is rewritten then', () => {
    // A reading a minute, silent after 3 minutes. Watched until T0 + 6 min (set by a message at T0 + 3 min).
    const watched = fridge({ silentAt: T0 + 6 * MIN, live: { lastSeenAt: T0 + 3 * MIN, monitor: {} } });
    // 20 s later the deadline would be T0 + 6 min 20 s: the stored one is 20 s short, within an interval. Kept.
    expect(ingest(watched, T0 + 3 * MIN + 20_000, readings([3], 3)).silentAt).toBe('kept');
    expect(ingest(watched, T0 + 4 * MIN, readings([3], 4)).silentAt).toBe('kept'); // exactly an interval short
    // More than an interval short: moved to the full deadline.
    expect(ingest(watched, T0 + 4 * MIN + 1, readings([3], 4)).silentAt).toBe(T0 + 7 * MIN + 1);
    // Not watched (never reported, or offline): a deadline is set.
    expect(ingest(fridge(), T0 + 4 * MIN, readings([3], 4)).silentAt).toBe(T0 + 7 * MIN);
    const offline = fridge({ silentAt: T0 + 6 * MIN, live: { lastSeenAt: T0 + 3 * MIN, offlineSince: T0 + 3 * MIN, monitor: {} } });
    expect(ingest(offline, T0 + 3 * MIN + 20_000, readings([3], 3)).silentAt).toBe(T0 + 6 * MIN + 20_000);
    // A stored deadline beyond the new one (a longer interval was set meanwhile) is replaced, not kept.
    expect(ingest(fridge({ silentAt: T0 + 60 * MIN, live: { lastSeenAt: T0, monitor: {} } }), T0 + MIN, readings([3], 1)).silentAt).toBe(T0 + 4 * MIN);
  });

  it('an excursion opens an incident and publishes excursion-started with site, severity and the device', () => {
    const change = ingest(fridge(), T0 + 20 * MIN, readings(Array(17).fill(8)), new Map(), 'c1');
    expect(change.incidentPuts).toHaveLength(1);
    expect(change.incidentPuts[0]).toMatchObject({ status: 'open', actions: [], severity: 'warning', peakC: 8, deviceName: 'Walk-in' });
    expect(change.events).toHaveLength(1);
    expect(change.events[0]).toMatchObject({
      id: `${change.incidentPuts[0]!.incidentId}:started`,
      type: 'iot.excursion-started',
      source: 'iot',
      siteId: 'demo-bistro',
      correlationId: 'c1',
      data: { deviceId: 'walkin-1', severity: 'warning', startedAt: new Date(T0).toISOString(), gracePeriodMinutes: 15 },
    });
  });

  it('an excursion opened and ended in one batch is written once, already ended', () => {
    const change = ingest(fridge(), T0 + 30 * MIN, readings([...Array(20).fill(8), 4]), new Map(), 'c1');
    expect(change.events.map((e) => e.type)).toEqual(['iot.excursion-started', 'iot.excursion-ended']);
    expect(change.incidentPuts[0]).toMatchObject({ endedAt: new Date(T0 + 20 * MIN).toISOString(), durationMinutes: 20, endedBy: 'reading' });
    expect(change.incidentEnds).toEqual([]);
    expect(change.events[1]!.data).toMatchObject({ durationMinutes: 20, peakC: 8, severity: 'info', excursionSeverity: 'warning' });
  });

  it('the end of an excursion opened earlier updates that incident', () => {
    const open = ingest(fridge(), T0, readings(Array(17).fill(8)), new Map(), 'c1');
    const known = new Map([[open.incidentPuts[0]!.incidentId, { ended: false }]]);
    const change = ingest(fridge({ live: open.live }), T0 + 20 * MIN, readings([3], 18), known, 'c2');
    expect(change.incidentPuts).toEqual([]);
    expect(change.incidentEnds).toEqual([{ incidentId: open.incidentPuts[0]!.incidentId, endedAt: new Date(T0 + 18 * MIN).toISOString(), durationMinutes: 18, peakC: 8, endedBy: 'reading' }]);
  });

  it('an evaluation naming incidents already stored alerts on none of them again (a late batch re-ran)', () => {
    const open = ingest(fridge(), T0 + 20 * MIN, readings(Array(17).fill(8)));
    const id = open.incidentPuts[0]!.incidentId;
    const again = ingest(fridge(), T0 + 20 * MIN, readings(Array(17).fill(8)), new Map([[id, { ended: false }]]));
    expect(again.incidentPuts).toEqual([]);
    expect(again.events).toEqual([]);
    const over = ingest(fridge(), T0 + 30 * MIN, readings([...Array(20).fill(8), 4]), new Map([[id, { ended: false }]]));
    expect(over.incidentEnds.map((e) => e.incidentId)).toEqual([id]);
    expect(over.events.map((e) => e.type)).toEqual(['iot.excursion-ended']);
    const done = ingest(fridge(), T0 + 30 * MIN, readings([...Array(20).fill(8), 4]), new Map([[id, { ended: true }]]));
    expect(done.events).toEqual([]);
  });

  it('silence: one offline decision, then nothing until the device reports; then it is online again', () => {
    const reported = fridge({ live: { monitor: {}, lastSeenAt: T0 } });
    expect(planOffline(reported, T0 + 3 * MIN - 1, 'w')).toBeUndefined();
    const offline = planOffline(reported, T0 + 3 * MIN, 'w')!;
    expect(offline.silentAt).toBeUndefined(); // leaves the silence index
    expect(offline.events[0]).toMatchObject({ id: `walkin-1:${T0}:offline`, type: 'iot.device-offline', data: { severity: 'warning', silentForSeconds: 180 } });
    const isOffline = fridge({ live: offline.live });
    expect(planOffline(isOffline, T0 + 10 * MIN, 'w')).toBeUndefined();
    const back = ingest(isOffline, T0 + 10 * MIN, readings([3], 10), new Map(), 'c3');
    expect(back.live.offlineSince).toBeUndefined();
    expect(back.events.map((e) => e.type)).toEqual(['iot.device-online']);
    expect(back.events[0]!.data).toMatchObject({ silentForSeconds: 600, severity: 'info' });
  });

  it('decommissioning ends a running excursion and stops the watch', () => {
    const open = ingest(fridge(), T0, readings(Array(17).fill(8)), new Map(), 'c1');
    const id = open.incidentPuts[0]!.incidentId;
    const change = planDecommission(fridge({ live: open.live }), T0 + 40 * MIN, new Map([[id, { ended: false }]]), 'c4');
    expect(change.extra).toMatchObject({ status: 'decommissioned' });
    expect(change.silentAt).toBeUndefined();
    expect(change.events[0]).toMatchObject({ type: 'iot.excursion-ended', data: { endedBy: 'decommissioned', durationMinutes: 40 } });
  });

  it('live status: the most urgent condition wins', () => {
    const now = T0 + MIN;
    expect(liveStatus(fridge(), now)).toBe('awaiting-data');
    expect(liveStatus(fridge({ live: { monitor: {}, lastSeenAt: T0 } }), now)).toBe('ok');
    expect(liveStatus(fridge({ live: { monitor: {}, lastSeenAt: T0, batteryPct: 10 } }), now)).toBe('low-battery');
    expect(liveStatus(fridge({ live: { monitor: { outOfRangeSince: T0 }, lastSeenAt: T0, batteryPct: 10 } }), now)).toBe('out-of-range');
    const excursion = { incidentId: 'x', startedAt: T0, detectedAt: T0, severity: 'warning' as const, peakC: 8 };
    expect(liveStatus(fridge({ live: { monitor: { incident: excursion }, lastSeenAt: T0 } }), now)).toBe('excursion');
    expect(liveStatus(fridge({ live: { monitor: { incident: excursion }, lastSeenAt: T0 } }), T0 + 4 * MIN)).toBe('offline');
    expect(liveStatus(fridge({ status: 'decommissioned' }), now)).toBe('decommissioned');
  });
});
