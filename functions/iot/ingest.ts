// Ingesting a batch of telemetry messages from the telemetry stream (the topic rule's SELECT outputs): validate
// each message and reading (what is invalid is kept as a reject, never retried), read every device of the batch
// at once, store the new readings (a QoS 1 or stream redelivery finds its readings already stored; readings later
// than the device's last counted one are new by construction), then move each device's live state and excursion
// state machine forward once, over its readings of the batch in device-time order, sealing the 15-minute buckets
// the device has moved past before committing. A device whose processing fails is reported with its messages, so
// they are redelivered. Safe to run twice on one message.
import { backOff, lostRace } from '#shared/dynamodb';
import { logger } from '#shared/logger';
import { recordAlertRaised, recordReadingsIngested } from '#shared/metrics';
import { bucketsToSeal } from './aggregates';
import { deviceStore, incidentStore, rejectStore, telemetryStore } from './config';
import { monitorConfig, planIngest } from './device-state';
import { deviceRef, type DeviceStateChange } from './device-store';
import { isInRange } from './device-types';
import { advance, awaitingReadings, lateReadingsChangeNothing, settleLateWindow, type MonitorEvent, type MonitorState } from './excursion';
import { parseTelemetry, type ParsedTelemetry, type Reading } from './readings';
import type { DeviceRecord, RejectRecord } from './schemas';
import type { ReceivedReading, StoredReading } from './telemetry-store';
import { inParallel } from './table';

/** Another writer of a device (the watch, an edit, a concurrent batch outside the stream) makes a commit retry. */
const MAX_STATE_ATTEMPTS = 12;
/** How many stored readings a decision may re-evaluate (a day at one a minute is 1,440). */
const MAX_RERUN_READINGS = 2_000;
/** How long a decision waits for readings still in flight before taking the timeline as it is. */
const MAX_SETTLE_WAIT_MS = 3_000;
const SETTLE_POLL_MS = 250;
/** Devices of one batch decided at once (most decisions read nothing; a re-evaluation reads the timeline). */
const DECISION_CONCURRENCY = 16;

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  rejected: number;
  alerts: string[];
}

/** One queue message: its id (what a partial batch failure names) and the rule's SELECT output it carries. */
export interface TelemetryMessage {
  id: string;
  output: unknown;
}

export interface BatchOutcome extends IngestSummary {
  /** Ids of the messages to hand back for redelivery: those of the devices whose processing failed. */
  failedMessageIds: string[];
}

/** One device's messages of the batch, and what became of them. */
interface DeviceBatch {
  ref: string;
  siteId: string;
  deviceId: string;
  messages: Array<{ id: string; output: unknown; telemetry: ParsedTelemetry }>;
  device?: DeviceRecord;
  /** Its valid readings in device-time order, none twice, each with its message's receive time. */
  readings: ReceivedReading[];
  /** Readings repeated within the batch (a redelivery in the same batch), counted as duplicates. */
  repeated: number;
  accepted: number;
  duplicates: number;
  alerts: string[];
  failed?: unknown;
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface IngestOptions {
  /**
   * The messages come from the telemetry stream: no other batch holding this batch's devices runs meanwhile, and
   * every earlier message of theirs was ingested before (or is in this batch). A device's readings later than
   * its last counted one are then new without asking DynamoDB (telemetry-store.ts `countedThrough`).
   */
  oneBatchPerDevice?: boolean;
}

export async function ingestBatch(messages: TelemetryMessage[], correlationId: string, options: IngestOptions = {}): Promise<BatchOutcome> {
  const failedMessageIds = new Set<string>();
  let rejected = 0;
  const batches = new Map<string, DeviceBatch>();
  await inParallel(messages, DECISION_CONCURRENCY, async ({ id, output }) => {
    const parsed = parseTelemetry(output);
    if (parsed.ok) {
      const { siteId, deviceId } = parsed.telemetry;
      const ref = deviceRef(siteId, deviceId);
      const batch = batches.get(ref) ?? { ref, siteId, deviceId, messages: [], readings: [], repeated: 0, accepted: 0, duplicates: 0, alerts: [] };
      batch.messages.push({ id, output, telemetry: parsed.telemetry });
      batches.set(ref, batch);
      return;
    }
    const count = await keepRejected(id, failedMessageIds, () => rejectMessage(output, 'invalid-message', parsed.reason));
    rejected += count;
  });
  const devices = await deviceStore.getDevices([...batches.values()].map(({ siteId, deviceId }) => ({ siteId, deviceId })));

  const active: DeviceBatch[] = [];
  for (const batch of batches.values()) {
    const device = devices.get(batch.ref);
    if (device?.status === 'active') {
      batch.device = device;
      collectReadings(batch);
      active.push(batch);
      continue;
    }
    const [kind, reason]: [RejectRecord['kind'], string] = device
      ? ['decommissioned-device', `device ${batch.deviceId} was decommissioned`]
      : ['unknown-device', `no device ${batch.deviceId} is registered at site ${batch.siteId}`];
    await inParallel(batch.messages, DECISION_CONCURRENCY, async ({ id, output }) => {
      const count = await keepRejected(id, failedMessageIds, () => rejectMessage(output, kind, reason));
      rejected += count;
    });
  }

  await storeReadings(active, options.oneBatchPerDevice === true);
  await advanceDevices(active.filter((b) => !b.failed), correlationId);

  for (const batch of active) {
    if (!batch.failed) {
      try {
        await keepInvalidReadings(batch);
      } catch (error) {
        batch.failed = error;
      }
    }
    rejected += batch.messages.reduce((sum, m) => sum + m.telemetry.rejected.length, 0);
    if (batch.failed) {
      logger.error('telemetry of a device failed; its messages will be redelivered', { siteId: batch.siteId, deviceId: batch.deviceId, error: batch.failed as Error });
      for (const { id } of batch.messages) failedMessageIds.add(id);
    }
  }

  const accepted = active.reduce((sum, b) => sum + b.accepted, 0);
  recordReadingsIngested(accepted);
  const alerts = active.flatMap((b) => b.alerts);
  // Only the committed decisions' events: an excursion a late batch re-ran is updated, never started twice.
  for (const alert of alerts) if (alert === 'iot.excursion-started') recordAlertRaised(alert);
  return {
    accepted,
    duplicates: active.reduce((sum, b) => sum + b.duplicates, 0),
    rejected,
    alerts,
    failedMessageIds: [...failedMessageIds],
  };
}

/** Writes a reject; a failure to write it hands the message back (it would otherwise be lost). */
async function keepRejected(id: string, failed: Set<string>, reject: () => Promise<IngestSummary>): Promise<number> {
  try {
    return (await reject()).rejected;
  } catch (error) {
    logger.error('telemetry reject not kept; the message will be redelivered', { messageId: id, error: error as Error });
    failed.add(id);
    return 0;
  }
}

/**
 * A device's readings of the batch, merged from its messages in device-time order. A reading repeated in the
 * batch (a QoS 1 redelivery queued next to the original) is kept once: two writes of one item cannot share a
 * transaction, and it must count once.
 */
function collectReadings(batch: DeviceBatch): void {
  const seen = new Set<string>();
  for (const { telemetry } of batch.messages) {
    for (const reading of telemetry.readings) {
      // Its item key (device time, or receive time marked as such) and, without device time, its seq marker.
      const keys = [`${reading.t}:${reading.deviceTime}`, ...(reading.deviceTime || reading.seq === undefined ? [] : [`seq:${reading.seq}`])];
      if (keys.some((key) => seen.has(key))) {
        batch.repeated++;
        continue;
      }
      for (const key of keys) seen.add(key);
      batch.readings.push({ ...reading, receivedAt: telemetry.receivedAt });
    }
  }
  batch.readings.sort((a, b) => a.t - b.t);
}

async function storeReadings(batches: DeviceBatch[], oneBatchPerDevice: boolean): Promise<void> {
  const outcomes = await telemetryStore.putReadings(
    batches.map(({ siteId, deviceId, readings, device }) => ({
      siteId,
      deviceId,
      readings,
      ...(oneBatchPerDevice && { countedThrough: device!.live.lastReading?.t ?? 0 }),
    })),
  );
  outcomes.forEach((outcome, index) => {
    const batch = batches[index]!;
    if (!outcome.ok) {
      batch.failed = outcome.error;
      return;
    }
    batch.accepted = outcome.stored.length;
    batch.duplicates = outcome.duplicates.length + batch.repeated;
  });
}

/**
 * Moves each device's state machine forward over its readings of the batch, in rounds. The decisions that touch
 * only the device item (most) are committed together; one that opens or ends an incident is committed with it and
 * its alerts. The devices another batch moved on meanwhile (a device reporting faster than batches complete has
 * messages in several) are re-read together and decided again in the next round, until each commits.
 */
async function advanceDevices(batches: DeviceBatch[], correlationId: string): Promise<void> {
  let pending = batches;
  for (let round = 1; pending.length > 0; round++) {
    if (round > MAX_STATE_ATTEMPTS) {
      // Failing hands the device's messages back for redelivery (then, after the queue's receive limit, its DLQ).
      for (const batch of pending) batch.failed = new Error(`device ${batch.deviceId} state kept changing; ${MAX_STATE_ATTEMPTS} attempts`);
      break;
    }
    if (round > 1) {
      await backOff(round - 1);
      pending = await reread(pending);
    }
    const decided = await inParallel(pending, DECISION_CONCURRENCY, async (batch) => {
      try {
        return { batch, change: await decide(batch, batch.device!, correlationId) };
      } catch (error) {
        batch.failed = error;
        return undefined;
      }
    });
    pending = await commitDecisions(decided.filter((d) => d !== undefined));
  }
  for (const batch of batches) if (batch.alerts.length > 0) logger.info('device alerts', { siteId: batch.siteId, deviceId: batch.deviceId, alerts: batch.alerts });
}

/** The devices as they are now; one decommissioned meanwhile keeps its final live state and is left out. */
async function reread(batches: DeviceBatch[]): Promise<DeviceBatch[]> {
  try {
    const devices = await deviceStore.getDevices(batches.map(({ siteId, deviceId }) => ({ siteId, deviceId })));
    return batches.filter((batch) => {
      batch.device = devices.get(batch.ref);
      return batch.device?.status === 'active';
    });
  } catch (error) {
    for (const batch of batches) batch.failed = error;
    return [];
  }
}

/** Commits the decisions; returns the batches whose device moved on meanwhile (to decide again). */
async function commitDecisions(decided: Array<{ batch: DeviceBatch; change: DeviceStateChange }>): Promise<DeviceBatch[]> {
  const plain = decided.filter(({ change }) => !touchesMoreThanDevice(change));
  const lost = new Set<DeviceStateChange>();
  try {
    for (const change of await deviceStore.commitLiveStates(plain.map((d) => d.change))) lost.add(change);
  } catch (error) {
    for (const { batch } of plain) batch.failed = error;
  }
  await inParallel(
    decided.filter(({ change }) => touchesMoreThanDevice(change)),
    DECISION_CONCURRENCY,
    async ({ batch, change }) => {
      try {
        await deviceStore.commitStateChange(change);
      } catch (error) {
        if (lostRace(error)) lost.add(change);
        else batch.failed = error;
      }
    },
  );
  const again: DeviceBatch[] = [];
  for (const { batch, change } of decided) {
    if (batch.failed) continue;
    if (lost.has(change)) again.push(batch);
    // Only the committed decision's events: an excursion a late batch re-ran is updated, never started twice.
    else batch.alerts = change.events.map((e) => e.type);
  }
  return again;
}

const touchesMoreThanDevice = (change: DeviceStateChange) => change.incidentPuts.length > 0 || change.incidentEnds.length > 0 || change.events.length > 0;

/**
 * The state change of `device` (as read) for the batch's readings. The buckets the device moves past are sealed
 * first: once the change commits, readers compute only the bucket of its last reading from raw readings. A batch
 * that loses its commit decides (and seals) again on the device as another batch left it, so the last batch to
 * commit on a bucket seals it with every reading of the batches committed before it.
 */
async function decide(batch: DeviceBatch, device: DeviceRecord, correlationId: string): Promise<DeviceStateChange> {
  const readings: Reading[] = batch.readings;
  await telemetryStore.sealBuckets(device, bucketsToSeal(device.live.lastReading?.t, readings));
  const evaluation = await evaluateExcursions(device, readings);
  const known = await incidentStore.knownIncidents(device.siteId, evaluation.events.map((e) => e.incidentId));
  const counters = { accepted: batch.accepted, duplicates: batch.duplicates, rejected: batch.messages.reduce((sum, m) => sum + m.telemetry.rejected.length, 0) };
  const receivedAt = Math.max(...batch.messages.map((m) => m.telemetry.receivedAt));
  return planIngest(device, { receivedAt, readings, counters, evaluation, known }, correlationId);
}

/** The batch's invalid readings, kept per message with their reasons. */
async function keepInvalidReadings(batch: DeviceBatch): Promise<void> {
  const rejects = batch.messages.flatMap(({ telemetry }) =>
    telemetry.rejected.map((r) => ({
      siteId: batch.siteId,
      deviceId: batch.deviceId,
      receivedAt: iso(telemetry.receivedAt),
      kind: 'invalid-reading' as const,
      reason: r.reason,
      payload: r.reading,
      position: String(r.index),
    })),
  );
  if (rejects.length > 0) await rejectStore.putRejects(rejects);
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
  if (monitor.lastT === undefined || earliest > monitor.lastT || lateReadingsChangeNothing(monitor, readings, device.limits)) {
    const step = advance(monitor, readings, config);
    if (step.events.length === 0) return step; // in order (or late and harmless) and nothing to alert: no extra reads
  }
  const from = Math.min(earliest, monitor.outOfRangeSince ?? Infinity, monitor.incident?.startedAt ?? Infinity);
  const history = await settledHistory(device, from);
  const { lastT } = monitor;
  const late = lastT === undefined ? [] : readings.filter((r) => r.t <= lastT);
  if (history && !history.complete && late.length > 0) {
    // The late readings settled on the window; the batch's newer ones, if any, then move the live state as usual.
    const settled = settleLateWindow(monitor, history.readings, Math.max(...late.map((r) => r.t)), config);
    if (settled) {
      const step = advance(settled.state, readings.filter((r) => !late.includes(r)), config);
      return { state: step.state, events: [...settled.events, ...step.events] };
    }
  }
  if (!history?.complete) {
    logger.warn('too many readings to re-evaluate; the batch moves the excursion state in arrival order', { deviceId: device.deviceId });
    // Its late readings are skipped unevaluated, so the in-range run can no longer vouch for what it holds.
    const { inRangeSince: _unknown, ...state } = monitor;
    return advance(state, readings, config);
  }
  // From an in-range reading (or the first reading there is) nothing is running: the machine starts empty.
  const rerun = advance({}, history.readings, config);
  const previous = monitor.incident;
  const settled =
    rerun.state.incident?.incidentId === previous?.incidentId ||
    rerun.events.some((e) => e.kind === 'excursion-ended' && e.incidentId === previous?.incidentId);
  if (previous && !settled) {
    // Late readings split the excursion alerted on: it ended at its first in-range reading.
    const endedAt = history.readings.find((r) => r.t > previous.startedAt && isInRange(device.limits, r.temperatureC))?.t ?? rerun.state.outOfRangeSince ?? previous.detectedAt;
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

/**
 * The stored readings from the last in-range one before `from`, once none that matters is in flight: all of them
 * up to the newest (`complete`), or the first MAX_RERUN_READINGS; undefined when even the way back to an in-range
 * reading is longer than that.
 */
async function settledHistory(device: DeviceRecord, from: number): Promise<{ readings: StoredReading[]; complete: boolean } | undefined> {
  const deadline = Date.now() + MAX_SETTLE_WAIT_MS;
  for (;;) {
    const back = await telemetryStore.scanBack(device.siteId, device.deviceId, from, MAX_RERUN_READINGS, (r) => isInRange(device.limits, r.temperatureC));
    if (!back.stopped && !back.exhausted) return undefined;
    const history = await telemetryStore.readingsFrom(device.siteId, device.deviceId, back.readings.at(-1)?.t ?? from, MAX_RERUN_READINGS);
    const now = Date.now();
    if (now >= deadline || !awaitingReadings(history.readings, back.exhausted, device.reportingIntervalSeconds, now)) return history;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

/** A message that cannot be ingested at all is kept for inspection, not retried: it would fail again. */
async function rejectMessage(output: unknown, kind: RejectRecord['kind'], reason: string): Promise<IngestSummary> {
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
