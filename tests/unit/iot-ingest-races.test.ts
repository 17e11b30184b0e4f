// Concurrent ingest batches holding messages of the same devices (a unit reporting several times a second): a
// device another batch moved on is re-read with the others that lost, decided again on what is stored now, and
// committed; one that never stops moving fails alone, so only its messages are redelivered. The stores are fakes
// that keep each device's version like the table's conditional writes do.
import { fridge } from './fixtures/iot-device';
import type { DeviceStateChange } from '../../functions/iot/device-store';
import type { DeviceRecord } from '../../functions/iot/schemas';
import type { SeriesReadings } from '../../functions/iot/telemetry-store';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const SECOND = 1_000;

/** The devices as stored; `moveOn` names devices another batch writes just before each of our commits. */
const table = {
  devices: new Map<string, DeviceRecord>(),
  moveOn: new Map<string, number>(),
  reads: [] as string[][],
  committed: [] as DeviceStateChange[],
  /** Seals and commits in the order they happened. */
  log: [] as string[],
  /** What each putReadings call was given. */
  stored: [] as SeriesReadings[][],
};
const fakes = {
  deviceStore: {
    getDevices: async (keys: Array<{ siteId: string; deviceId: string }>) => {
      table.reads.push(keys.map((k) => k.deviceId));
      return new Map(keys.map((k) => [`${k.siteId}/${k.deviceId}`, structuredClone(table.devices.get(k.deviceId)!)]));
    },
    commitLiveStates: async (changes: DeviceStateChange[]) => {
      const lost: DeviceStateChange[] = [];
      for (const change of changes) {
        const stored = table.devices.get(change.device.deviceId)!;
        const racing = table.moveOn.get(stored.deviceId) ?? 0;
        if (racing > 0) {
          // Another batch committed a later reading of this device first.
          table.moveOn.set(stored.deviceId, racing - 1);
          const lastT = (stored.live.monitor.lastT ?? T0) + 10 * SECOND;
          table.devices.set(stored.deviceId, { ...stored, version: stored.version + 1, live: { ...stored.live, monitor: { lastT, inRangeSince: T0 } } });
        }
        if (table.devices.get(stored.deviceId)!.version !== change.device.version) {
          lost.push(change);
          continue;
        }
        table.devices.set(stored.deviceId, { ...stored, version: stored.version + 1, live: change.live });
        table.committed.push(change);
        table.log.push(`commit ${stored.deviceId} on v${change.device.version}`);
      }
      return lost;
    },
    commitStateChange: async () => undefined,
  },
  telemetryStore: {
    putReadings: async (series: SeriesReadings[]) => {
      table.stored.push(series);
      return series.map(({ readings }) => ({ ok: true, stored: readings, duplicates: [] }));
    },
    sealBuckets: async (device: DeviceRecord, starts: number[]) => {
      for (const start of starts) table.log.push(`seal ${device.deviceId} ${new Date(start).toISOString().slice(11, 16)} on v${device.version}`);
    },
    scanBack: async () => ({ readings: [], stopped: false, exhausted: true }),
    readingsFrom: async () => ({ readings: [], complete: true }),
  },
  incidentStore: { knownIncidents: async () => new Map() },
  rejectStore: { putRejects: async () => undefined },
};
jest.mock('../../functions/iot/config', () => fakes);

describe('ingest: devices racing between concurrent batches', () => {
  const { ingestBatch } = require('../../functions/iot/ingest') as typeof import('../../functions/iot/ingest');
  const message = (id: string, deviceId: string, t: number) => ({
    id,
    output: { siteId: 'demo-bistro', deviceId, receivedAt: t, t, temperatureC: 3 },
  });

  beforeEach(() => {
    table.devices.clear();
    table.moveOn.clear();
    table.reads.length = 0;
    table.committed.length = 0;
    table.log.length = 0;
    table.stored.length = 0;
    for (const deviceId of ['walkin-1', 'walkin-2']) {
      table.devices.set(deviceId, fridge({ deviceId, live: { monitor: { lastT: T0, inRangeSince: T0 - 60 * SECOND } } }));
    }
  });

  it('a device another batch moved on is re-read (alone) and decided again on its new version; nothing is redelivered', async () => {
    table.moveOn.set('walkin-1', 1);
    const outcome = await ingestBatch([message('m1', 'walkin-1', T0 + SECOND), message('m2', 'walkin-2', T0 + SECOND)], 'c1');
    expect(outcome.failedMessageIds).toEqual([]);
    expect(table.reads.slice(1)).toEqual([['walkin-1']]); // after the batch's own read, only the one that lost
    const walkIn1 = table.committed.filter((c) => c.device.deviceId === 'walkin-1');
    expect(walkIn1).toHaveLength(1);
    expect(walkIn1[0]!.device.version).toBe(8); // decided on what the other batch left, not on what was read first
    // Its reading is now older than the one the other batch evaluated, and in range: the state stays where it was.
    expect(walkIn1[0]!.live.monitor).toEqual({ lastT: T0 + 10 * SECOND, inRangeSince: T0 });
    expect(table.committed.map((c) => c.device.deviceId).sort()).toEqual(['walkin-1', 'walkin-2']);
  });

  it('a device that keeps moving on fails alone after its attempts: only its messages go back to the queue', async () => {
    table.moveOn.set('walkin-1', Number.POSITIVE_INFINITY);
    const outcome = await ingestBatch([message('m1', 'walkin-1', T0 + SECOND), message('m2', 'walkin-2', T0 + SECOND)], 'c1');
    expect(outcome.failedMessageIds).toEqual(['m1']);
    expect(table.committed.map((c) => c.device.deviceId)).toEqual(['walkin-2']);
  }, 20_000);

  it('a device moving into a new bucket seals the one it left before committing; decided again, it seals again', async () => {
    // Its last reading was at 10:14:50; this batch's is at 10:15:05. Another batch moves it on once first.
    const lastReading = { t: T0 + 14 * 60 * SECOND + 50 * SECOND, temperatureC: 3 };
    table.devices.set('walkin-1', fridge({ deviceId: 'walkin-1', live: { lastReading, monitor: { lastT: lastReading.t, inRangeSince: T0 } } }));
    table.moveOn.set('walkin-1', 1);
    const outcome = await ingestBatch([message('m1', 'walkin-1', T0 + 15 * 60 * SECOND + 5 * SECOND)], 'c1');
    expect(outcome.failedMessageIds).toEqual([]);
    // The seal on the version that lost is done again on the one that commits: it holds what that batch stored.
    expect(table.log).toEqual(['seal walkin-1 10:00 on v7', 'seal walkin-1 10:00 on v8', 'commit walkin-1 on v8']);
  });

  it('readings within the bucket of the last reading seal nothing; a late one in an earlier bucket seals that one again', async () => {
    const lastReading = { t: T0 + 20 * 60 * SECOND, temperatureC: 3 };
    table.devices.set('walkin-1', fridge({ deviceId: 'walkin-1', live: { lastReading, monitor: { lastT: lastReading.t, inRangeSince: T0 } } }));
    await ingestBatch([message('m1', 'walkin-1', T0 + 21 * 60 * SECOND)], 'c1');
    expect(table.log).toEqual(['commit walkin-1 on v7']);
    table.log.length = 0;
    await ingestBatch([message('m2', 'walkin-1', T0 + 5 * 60 * SECOND)], 'c2');
    expect(table.log).toEqual(['seal walkin-1 10:00 on v8', 'commit walkin-1 on v8']);
  });

  it('from the stream (one batch of a device at a time) the last counted reading of each device bounds what is new; from elsewhere nothing does', async () => {
    table.devices.set('walkin-2', fridge({ deviceId: 'walkin-2', live: { monitor: { lastT: T0 }, lastReading: { t: T0 - SECOND, temperatureC: 3 } } }));
    table.devices.set('walkin-1', fridge({ deviceId: 'walkin-1', live: { monitor: {} } }));
    await ingestBatch([message('m1', 'walkin-1', T0 + SECOND), message('m2', 'walkin-2', T0 + SECOND)], 'c1', { oneBatchPerDevice: true });
    expect(table.stored[0]!.map(({ deviceId, countedThrough }) => [deviceId, countedThrough])).toEqual([
      ['walkin-1', 0],
      ['walkin-2', T0 - SECOND],
    ]);
    await ingestBatch([message('m3', 'walkin-1', T0 + 2 * SECOND)], 'c2');
    expect(table.stored[1]![0]!.countedThrough).toBeUndefined();
  });
});
