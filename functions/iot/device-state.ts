// How a unit's live state changes, and which incidents and alerts each change causes: on a batch of readings,
// when it falls silent, when it is decommissioned. Pure decisions on one version of the device; the store
// applies each atomically or not at all (then it is decided again on the newer version).
import { buildAlert } from './alerts';
import { SILENT_AFTER_INTERVALS } from './device-types';
import { endExcursion, type MonitorEvent, type MonitorState } from './excursion';
import type { Reading } from './readings';
import type { DeviceRecord, IncidentRecord, LiveState } from './schemas';
import type { DeviceStateChange } from './device-store';

const iso = (ms: number) => new Date(ms).toISOString();
const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

export function silentAfter(device: Pick<DeviceRecord, 'reportingIntervalSeconds'>, lastSeenAt: number): number {
  return lastSeenAt + SILENT_AFTER_INTERVALS * device.reportingIntervalSeconds * 1000;
}

/**
 * The silence deadline after a message received at `lastSeenAt`, or 'kept' when the stored one is at most one
 * reporting interval short of it. Moving the deadline rewrites the device's entry in the `silence` index (on AWS a
 * delete and a put, 2 write units on top of the device's own), so a unit reporting faster than its interval moves
 * it about once an interval, not on every batch. A deadline kept short can make the watch look at the device up to
 * an interval early; the watch decides on `lastSeenAt` (planOffline), so the offline alert is not early.
 */
export function nextSilentAt(device: Pick<DeviceRecord, 'reportingIntervalSeconds' | 'silentAt' | 'live'>, lastSeenAt: number): number | 'kept' {
  const deadline = silentAfter(device, lastSeenAt);
  const stored = device.silentAt;
  const watched = stored !== undefined && device.live.offlineSince === undefined;
  return watched && stored <= deadline && stored >= deadline - device.reportingIntervalSeconds * 1000 ? 'kept' : deadline;
}

function deviceData(device: DeviceRecord) {
  return { deviceId: device.deviceId, deviceName: device.name, deviceType: device.type, ...(device.location && { location: device.location }) };
}

/** What the store already holds of the incidents an evaluation names: whether each exists, and has ended. */
export type KnownIncidents = ReadonlyMap<string, { ended: boolean }>;

/**
 * Incidents and alerts for the excursion events of one decision. An evaluation that re-ran over stored readings
 * (a late batch) names excursions already alerted on: those it only updates, never alerts twice.
 */
function excursionEffects(device: DeviceRecord, events: MonitorEvent[], known: KnownIncidents, correlationId: string, endedBy: 'reading' | 'decommissioned') {
  const change: Pick<DeviceStateChange, 'incidentPuts' | 'incidentEnds' | 'events'> = { incidentPuts: [], incidentEnds: [], events: [] };
  for (const event of events) {
    if (event.kind === 'excursion-started') {
      if (known.has(event.incidentId)) continue;
      const incident: IncidentRecord = {
        siteId: device.siteId,
        incidentId: event.incidentId,
        kind: 'excursion',
        deviceId: device.deviceId,
        deviceName: device.name,
        deviceType: device.type,
        limits: device.limits,
        severity: event.severity,
        startedAt: iso(event.startedAt),
        detectedAt: iso(event.detectedAt),
        peakC: event.peakC,
        status: 'open',
        actions: [],
        version: 1,
      };
      change.incidentPuts.push(incident);
      change.events.push(
        buildAlert({
          id: `${event.incidentId}:started`,
          type: 'iot.excursion-started',
          siteId: device.siteId,
          correlationId,
          occurredAt: new Date(event.detectedAt),
          severity: event.severity,
          data: {
            ...deviceData(device),
            incidentId: event.incidentId,
            startedAt: iso(event.startedAt),
            detectedAt: iso(event.detectedAt),
            temperatureC: event.temperatureC,
            peakC: event.peakC,
            limits: device.limits,
            gracePeriodMinutes: device.gracePeriodMinutes,
          },
        }),
      );
      continue;
    }
    const end = { incidentId: event.incidentId, endedAt: iso(event.endedAt), durationMinutes: minutes(event.durationMs), peakC: event.peakC, endedBy };
    // Opened and ended by the same decision: one write of the finished incident (a transaction touches an item once).
    const openedNow = change.incidentPuts.find((i) => i.incidentId === event.incidentId);
    const stored = known.get(event.incidentId);
    if (openedNow) Object.assign(openedNow, end);
    else if (stored && !stored.ended) change.incidentEnds.push(end);
    else continue; // already ended, or never opened: nothing to end
    change.events.push(
      buildAlert({
        id: `${event.incidentId}:ended`,
        type: 'iot.excursion-ended',
        siteId: device.siteId,
        correlationId,
        occurredAt: new Date(event.endedAt),
        severity: 'info',
        data: {
          ...deviceData(device),
          incidentId: event.incidentId,
          startedAt: iso(event.startedAt),
          endedAt: iso(event.endedAt),
          durationMinutes: end.durationMinutes,
          peakC: event.peakC,
          limits: device.limits,
          endedBy,
          excursionSeverity: event.severity,
        },
      }),
    );
  }
  return change;
}

export function monitorConfig(device: DeviceRecord) {
  return { limits: device.limits, gracePeriodMs: device.gracePeriodMinutes * 60 * 1000, siteId: device.siteId, deviceId: device.deviceId };
}

export function planIngest(
  device: DeviceRecord,
  input: {
    receivedAt: number;
    readings: Reading[];
    counters: { accepted: number; duplicates: number; rejected: number };
    /** The excursion state machine after this batch (excursion.ts `advance`, or its re-run for a late batch). */
    evaluation: { state: MonitorState; events: MonitorEvent[] };
    known: KnownIncidents;
  },
  correlationId: string,
): DeviceStateChange {
  const { readings, receivedAt } = input;
  const { state: monitor, events } = input.evaluation;
  const lastSeenAt = Math.max(device.live.lastSeenAt ?? 0, receivedAt);
  const live: LiveState = { ...device.live, monitor, lastSeenAt };
  const newest = [...readings].sort((a, b) => b.t - a.t)[0];
  if (newest && newest.t > (device.live.lastReading?.t ?? 0)) {
    const { t, temperatureC, doorOpen, batteryPct } = newest;
    live.lastReading = { t, temperatureC, ...(doorOpen !== undefined && { doorOpen }), ...(batteryPct !== undefined && { batteryPct }) };
    if (batteryPct !== undefined) live.batteryPct = batteryPct;
  }
  const effects = excursionEffects(device, events, input.known, correlationId, 'reading');
  if (device.live.offlineSince !== undefined) {
    delete live.offlineSince;
    effects.events.push(
      buildAlert({
        id: `${device.deviceId}:${device.live.offlineSince}:online`,
        type: 'iot.device-online',
        siteId: device.siteId,
        correlationId,
        occurredAt: new Date(receivedAt),
        severity: 'info',
        data: {
          ...deviceData(device),
          lastSeenAt: iso(device.live.offlineSince),
          backAt: iso(receivedAt),
          silentForSeconds: Math.round((receivedAt - device.live.offlineSince) / 1000),
        },
      }),
    );
  }
  return { device, live, silentAt: nextSilentAt(device, lastSeenAt), counters: input.counters, ...effects };
}

/** The device stopped reporting: one offline alert, and it leaves the silence index until it reports again. */
export function planOffline(device: DeviceRecord, now: number, correlationId: string): DeviceStateChange | undefined {
  const lastSeenAt = device.live.lastSeenAt;
  if (device.status !== 'active' || lastSeenAt === undefined || device.live.offlineSince !== undefined || silentAfter(device, lastSeenAt) > now) {
    return undefined;
  }
  const alert = buildAlert({
    id: `${device.deviceId}:${lastSeenAt}:offline`,
    type: 'iot.device-offline',
    siteId: device.siteId,
    correlationId,
    occurredAt: new Date(now),
    severity: 'warning',
    data: {
      ...deviceData(device),
      lastSeenAt: iso(lastSeenAt),
      silentForSeconds: Math.round((now - lastSeenAt) / 1000),
      reportingIntervalSeconds: device.reportingIntervalSeconds,
    },
  });
  return { device, live: { ...device.live, offlineSince: lastSeenAt }, incidentPuts: [], incidentEnds: [], events: [alert] };
}

/** Decommissioning ends a running excursion (its incident stays open for corrective action) and stops watching. */
export function planDecommission(device: DeviceRecord, now: number, known: KnownIncidents, correlationId: string): DeviceStateChange {
  const ended = endExcursion(device.live.monitor, now);
  const live: LiveState = { ...device.live, monitor: ended.state };
  delete live.offlineSince;
  return {
    device,
    live,
    extra: { status: 'decommissioned', decommissionedAt: iso(now), updatedAt: iso(now) },
    ...excursionEffects(device, ended.event ? [ended.event] : [], known, correlationId, 'decommissioned'),
  };
}
