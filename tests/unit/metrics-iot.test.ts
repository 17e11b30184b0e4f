// ReadingsIngested and AlertsRaised from the telemetry consumer (functions/iot/ingest-telemetry.ts): counted
// once for what is really new, so a QoS 1 redelivery of the same message (readings already stored, excursion
// already alerted on) counts nothing. The stores are fakes that behave like the table would.
import type { Context, KinesisStreamEvent, SQSEvent } from 'aws-lambda';
import { flushMetrics } from '#shared/metrics';
import { emfFiguresOf } from './fixtures/emf';
import { fridge } from './fixtures/iot-device';
import type { SeriesReadings, StoredReading } from '../../functions/iot/telemetry-store';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const MIN = 60_000;
const walkIn = fridge();

// The table as the fakes see it: stored readings by time, incidents opened by committed decisions.
const table = { readings: new Map<number, StoredReading>(), incidents: new Set<string>(), alerts: [] as string[], monitor: undefined as unknown };
const fakes = {
  deviceStore: {
    getDevice: async () => walkIn,
    getDevices: async () => new Map([['demo-bistro/walkin-1', walkIn]]),
    commitLiveStates: async () => [],
    commitStateChange: async (change: { incidentPuts: Array<{ incidentId: string }>; events: Array<{ type: string }>; live: { monitor: unknown } }) => {
      for (const incident of change.incidentPuts) table.incidents.add(incident.incidentId);
      table.monitor = change.live.monitor;
      table.alerts.push(...change.events.map((e) => e.type));
    },
  },
  telemetryStore: {
    putReadings: async (series: SeriesReadings[]) =>
      series.map(({ readings }) => {
        const stored = readings.filter((r) => !table.readings.has(r.t));
        for (const r of stored) table.readings.set(r.t, { t: r.t, temperatureC: r.temperatureC, receivedAt: r.receivedAt });
        return { ok: true, stored, duplicates: readings.filter((r) => !stored.includes(r)) };
      }),
    sealBuckets: async () => undefined,
    scanBack: async () => ({ readings: [], stopped: false, exhausted: true }),
    readingsFrom: async (_site: string, _device: string, from: number, maxItems: number) => {
      const readings = [...table.readings.values()].filter((r) => r.t >= from).sort((a, b) => a.t - b.t);
      return { readings: readings.slice(0, maxItems), complete: readings.length <= maxItems };
    },
  },
  incidentStore: {
    knownIncidents: async (_site: string, ids: Iterable<string>) => new Map([...ids].filter((id) => table.incidents.has(id)).map((id) => [id, { ended: false }])),
  },
  rejectStore: { putRejects: async () => undefined },
};
jest.mock('../../functions/iot/config', () => fakes);

describe('IoT ingest metrics', () => {
  const { handler } = require('../../functions/iot/ingest-telemetry') as typeof import('../../functions/iot/ingest-telemetry');
  const context = { awsRequestId: 'ingest-1', functionName: 'ingestTelemetry' } as Context;
  // Twenty minutes at 9 °C in a 5 °C fridge with a 15-minute grace period: an excursion starts.
  const warmBatch = {
    siteId: 'demo-bistro',
    deviceId: 'walkin-1',
    receivedAt: T0 + 20 * MIN,
    readings: Array.from({ length: 20 }, (_, i) => ({ t: T0 + i * MIN, temperatureC: 9 })),
  };

  /** A Kinesis batch of these rule outputs, as the telemetry stream's event source mapping hands it over. */
  const batchOf = (...outputs: unknown[]) =>
    ({
      Records: outputs.map((output, i) => ({ kinesis: { sequenceNumber: String(49_000 + i), data: Buffer.from(JSON.stringify(output)).toString('base64') } })),
    }) as unknown as KinesisStreamEvent;

  beforeEach(() => {
    table.readings.clear();
    table.incidents.clear();
    table.alerts.length = 0;
    flushMetrics();
  });

  it('a message counts its new readings and the excursion it starts, once', async () => {
    expect(await emfFiguresOf(() => handler(batchOf(warmBatch), context))).toEqual([
      'AlertsRaised{alertType=iot.excursion-started}: 1',
      'ReadingsIngested{}: 20',
    ]);
    expect(table.incidents.size).toBe(1);
  });

  it('its redelivery (readings stored, incident open) counts nothing; a message with some new readings counts those', async () => {
    await emfFiguresOf(() => handler(batchOf(warmBatch), context));
    expect(await emfFiguresOf(() => handler(batchOf(warmBatch), context))).toEqual([]);
    const overlapping = { ...warmBatch, receivedAt: T0 + 22 * MIN, readings: [...warmBatch.readings.slice(-2), { t: T0 + 20 * MIN, temperatureC: 9 }, { t: T0 + 21 * MIN, temperatureC: 9 }] };
    expect(await emfFiguresOf(() => handler(batchOf(overlapping), context))).toEqual(['ReadingsIngested{}: 2']);
  });

  it('a message and its QoS 1 redelivery in the same batch count once', async () => {
    expect(await emfFiguresOf(() => handler(batchOf(warmBatch, warmBatch), context))).toEqual([
      'AlertsRaised{alertType=iot.excursion-started}: 1',
      'ReadingsIngested{}: 20',
    ]);
    expect(table.incidents.size).toBe(1);
  });

  it('a late batch behind more readings than one re-run takes (put back hours later) still alerts the excursion it shows, once', async () => {
    // Stored, in range: a reading a minute at minutes 0–9, then from minute 41 one every 30 s, 2,160 of them (18 hours
    // on); the unit's live state has evaluated them all.
    const afterGap = Array.from({ length: 2_160 }, (_, i) => T0 + 41 * MIN + i * 30_000);
    for (const t of [...Array.from({ length: 10 }, (_, i) => T0 + i * MIN), ...afterGap]) table.readings.set(t, { t, temperatureC: 3, receivedAt: t });
    const lastT = afterGap.at(-1)!;
    const live = walkIn.live;
    walkIn.live = { lastReading: { t: lastT, temperatureC: 3 }, monitor: { lastT, inRangeSince: T0 + 41 * MIN } };
    try {
      // The gap, minutes 10–40: 9 °C for 25 minutes, then back within limits.
      const gap = { ...warmBatch, receivedAt: lastT + 2 * MIN, readings: Array.from({ length: 31 }, (_, i) => ({ t: T0 + (10 + i) * MIN, temperatureC: i < 25 ? 9 : 4 })) };
      // With it, two newer readings, as a device flushing its buffer would send them: they move the live state on.
      const newer = [lastT + 30_000, lastT + 60_000].map((t) => ({ t, temperatureC: 4 }));
      expect(await emfFiguresOf(() => handler(batchOf({ ...gap, readings: [...gap.readings, ...newer] }), context))).toEqual([
        'AlertsRaised{alertType=iot.excursion-started}: 1',
        'ReadingsIngested{}: 33',
      ]);
      expect(table.incidents.size).toBe(1);
      expect(table.alerts).toEqual(['iot.excursion-started', 'iot.excursion-ended']);
      expect(table.monitor).toEqual({ lastT: lastT + 60_000, inRangeSince: T0 + 41 * MIN });
      expect(await emfFiguresOf(() => handler(batchOf(gap), context))).toEqual([]);
    } finally {
      walkIn.live = live;
    }
  });

  it('from the queue (telemetryTransport: queue), an SQS batch counts the same, its redelivery nothing', async () => {
    const queueBatch = (...outputs: unknown[]) => ({ Records: outputs.map((output, i) => ({ messageId: `m-${i}`, body: JSON.stringify(output) })) }) as unknown as SQSEvent;
    expect(await emfFiguresOf(() => handler(queueBatch(warmBatch), context))).toEqual(['AlertsRaised{alertType=iot.excursion-started}: 1', 'ReadingsIngested{}: 20']);
    expect(await emfFiguresOf(() => handler(queueBatch(warmBatch), context))).toEqual([]);
  });
});

describe('the telemetry event, from either transport (messagesOf)', () => {
  const { messagesOf } = require('../../functions/iot/ingest-telemetry') as typeof import('../../functions/iot/ingest-telemetry');
  const output = { siteId: 's', deviceId: 'd', temperatureC: 3 };

  it('a Kinesis batch: records by sequence number, one batch per device (the stream keeps a device in one lane)', () => {
    const event = { Records: [{ kinesis: { sequenceNumber: '49001', data: Buffer.from(JSON.stringify(output)).toString('base64') } }, { kinesis: { sequenceNumber: '49002', data: Buffer.from('not json').toString('base64') } }] };
    expect(messagesOf(event as unknown as KinesisStreamEvent)).toEqual({
      messages: [
        { id: '49001', output },
        { id: '49002', output: { body: 'not json' } },
      ],
      oneBatchPerDevice: true,
    });
  });

  it('an SQS batch: messages by id, not one batch per device (a standard queue hands a device to two invocations at once)', () => {
    const event = { Records: [{ messageId: 'a', body: JSON.stringify(output) }, { messageId: 'b', body: '{' }] };
    expect(messagesOf(event as unknown as SQSEvent)).toEqual({
      messages: [
        { id: 'a', output },
        { id: 'b', output: { body: '{' } },
      ],
      oneBatchPerDevice: false,
    });
    expect(messagesOf({ Records: [] } as unknown as SQSEvent)).toEqual({ messages: [], oneBatchPerDevice: false });
  });
});
