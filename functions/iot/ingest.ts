// Ingesting one telemetry message from the topic rule: validate each reading, store the new ones with their
// 15-minute bucket counts (a QoS 1 redelivery finds its readings already stored), widen the buckets' ranges,
// then move the device's live state and excursion state machine forward. Safe to run twice on one message.
import { retryOnConflict } from '#shared/dynamodb';
import { logger } from '#shared/logger';
import { byBucket } from './aggregates';
import { deviceStore, incidentStore, rejectStore, telemetryStore } from './config';
import { monitorConfig, planIngest } from './device-state';
import { isInRange } from './device-types';
import { advance, awaitingReadings, type MonitorEvent, type MonitorState } from './excursion';
import { parseTelemetry, type Reading } from './readings';
import type { DeviceRecord, RejectRecord } from './schemas';
import type { StoredReading } from './telemetry-store';

/** Concurrent messages of one device can race on its state; each retry re-reads it. */
const MAX_STATE_ATTEMPTS = 12;
/** How many stored readings a decision may re-evaluate (a day at one a minute is 1,440). */
const MAX_RERUN_READINGS = 2_000;
/** How long a decision waits for readings still in flight before taking the timeline as it is. */
const MAX_SETTLE_WAIT_MS = 3_000;
const SETTLE_POLL_MS = 250;

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  rejected: number;
  alerts: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function ingestTelemetry(output: unknown, correlationId: string): Promise<IngestSummary> {
  const parsed = parseTelemetry(output);
  if (!parsed.ok) return rejectMessage(output, 'invalid-message', parsed.reason);
  const { siteId, deviceId, receivedAt, readings, rejected } = parsed.telemetry;

  const first = await deviceStore.getDevice(siteId, deviceId);
  if (!first) return rejectMessage(output, 'unknown-device', `no device ${deviceId} is registered at site ${siteId}`);
  if (first.status !== 'active') return rejectMessage(output, 'decommissioned-device', `device ${deviceId} was decommissioned`);

  const { stored, duplicates } = await telemetryStore.putReadings(siteId, deviceId, receivedAt, readings, first.limits);
  // All valid readings, not only the new ones: a retried message must finish what a crashed attempt began.
  await widenBuckets(first, readings);

  const counters = { accepted: stored.length, duplicates: duplicates.length, rejected: rejected.length };
  const alerts = await retryOnConflict(
    async (attempt) => {
      const device = attempt === 1 ? first : await deviceStore.getDevice(siteId, deviceId);
      if (!device || device.status !== 'active') return []; // decommissioned meanwhile: its live state is final
      const evaluation = await evaluateExcursions(device, readings);
      const known = await incidentStore.knownIncidents(siteId, evaluation.events.map((e) => e.incidentId));
      const change = planIngest(device, { receivedAt, readings, counters, evaluation, known }, correlationId);
      await deviceStore.commitStateChange(change);
      return change.events.map((e) => e.type);
    },
    {
      attempts: MAX_STATE_ATTEMPTS,
      // Throwing hands the message back for a retry (Lambda retries, then the rule's error action keeps it).
      exhausted: () => new Error(`device ${deviceId} state kept changing; ${MAX_STATE_ATTEMPTS} attempts`),
    },
  );

  if (rejected.length > 0) {
    await rejectStore.putRejects(
      rejected.map((r) => ({
        siteId,
        deviceId,
        receivedAt: iso(receivedAt),
        kind: 'invalid-reading' as const,
        reason: r.reason,
        payload: r.reading,
        position: String(r.index),
      })),
    );
  }
  if (alerts.length > 0) logger.info('device alerts', { siteId, deviceId, alerts });
  return { ...counters, alerts };
}

/**
 * The excursion state machine moved on by this batch. Messages can be processed out of device-time order
 * (concurrent invocations of a burst, a device flushing its buffer), so every decision that alerts, and every
 * late batch, is made on the stored timeline instead: re-run from the last in-range reading before it, once
 * no reading that could change the outcome is still in flight. Excursions named again are not alerted twice
 * (planIngest checks the stored incidents); one the late readings split is ended.
 */
async function evaluateExcursions(device: DeviceRecord, readings: Reading[]): Promise<{ state: MonitorState; events: MonitorEvent[] }> {
  const config = monitorConfig(device);
  const { monitor } = device.live;
  if (readings.length === 0) return { state: monitor, events: [] };
  const earliest = Math.min(...readings.map((r) => r.t));
  if (monitor.lastT === undefined || earliest > monitor.lastT) {
    const step = advance(monitor, readings, config);
    if (step.events.length === 0) return step; // in order and nothing to alert: the common case, no extra reads
  }
  const from = Math.min(earliest, monitor.outOfRangeSince ?? Infinity, monitor.incident?.startedAt ?? Infinity);
  const history = await settledHistory(device, from);
  if (!history) {
    logger.warn('too many readings to re-evaluate; the batch moves the excursion state in arrival order', { deviceId: device.deviceId });
    return advance(monitor, readings, config);
  }
  // From an in-range reading (or the first reading there is) nothing is running: the machine starts empty.
  const rerun = advance({}, history, config);
  const previous = monitor.incident;
  const settled =
    rerun.state.incident?.incidentId === previous?.incidentId ||
    rerun.events.some((e) => e.kind === 'excursion-ended' && e.incidentId === previous?.incidentId);
  if (previous && !settled) {
    // Late readings split the excursion alerted on: it ended at its first in-range reading.
    const endedAt = history.find((r) => r.t > previous.startedAt && isInRange(device.limits, r.temperatureC))?.t ?? rerun.state.outOfRangeSince ?? previous.detectedAt;
    rerun.events.push({
      kind: 'excursion-ended',
      incidentId: previous.incidentId,
      startedAt: previous.startedAt,
      endedAt,
      durationMs: endedAt - previous.startedAt,
      peakC: previous.peakC,
      severity: previous.severity,
    });
  }
  return rerun;
}

/** The stored readings from the last in-range one before `from`, once none that matters is in flight. */
async function settledHistory(device: DeviceRecord, from: number): Promise<StoredReading[] | undefined> {
  const deadline = Date.now() + MAX_SETTLE_WAIT_MS;
  for (;;) {
    const back = await telemetryStore.scanBack(device.siteId, device.deviceId, from, MAX_RERUN_READINGS, (r) => isInRange(device.limits, r.temperatureC));
    if (!back.stopped && !back.exhausted) return undefined;
    const history = await telemetryStore.readingsFrom(device.siteId, device.deviceId, back.readings.at(-1)?.t ?? from, MAX_RERUN_READINGS);
    if (!history) return undefined;
    const now = Date.now();
    if (now >= deadline || !awaitingReadings(history, back.exhausted, device.reportingIntervalSeconds, now)) return history;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

/** Lowest and highest of each bucket the valid readings touch, duplicates included: a retry completes them. */
async function widenBuckets(device: DeviceRecord, readings: Reading[]): Promise<void> {
  for (const { start, readings: group } of byBucket(readings)) {
    const temperatures = group.map((r) => r.temperatureC);
    await telemetryStore.widenBucket(device.siteId, device.deviceId, start, Math.min(...temperatures), Math.max(...temperatures));
  }
}

/** A message that cannot be ingested at all is kept for inspection, not retried: it would fail again. */
export async function rejectMessage(output: unknown, kind: RejectRecord['kind'], reason: string): Promise<IngestSummary> {
  const fields = (output ?? {}) as Record<string, unknown>;
  const siteId = typeof fields.siteId === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(fields.siteId) ? fields.siteId : 'unknown';
  const deviceId = typeof fields.deviceId === 'string' ? fields.deviceId.slice(0, 64) : undefined;
  const receivedAt = typeof fields.receivedAt === 'number' ? fields.receivedAt : Date.now();
  logger.warn('telemetry message rejected', { siteId, deviceId, kind, reason });
  const { siteId: _s, deviceId: _d, receivedAt: _r, clientId: _c, ...payload } = fields;
  await rejectStore.putRejects([{ siteId, deviceId, receivedAt: iso(receivedAt), kind, reason, payload, position: 'message' }]);
  const count = Array.isArray(payload.readings) ? payload.readings.length : 1;
  return { accepted: 0, duplicates: 0, rejected: count, alerts: [] };
}
