// The excursion state machine, on the readings' own timestamps (device time), so a replay of half an hour of
// readings behaves exactly like half an hour of real time.
//
//   in range ──reading out of limits──▶ out of range (grace running, no alert: a door opening)
//   out of range ──back in limits──▶ in range                                   (nothing happened)
//   out of range ──still out ≥ grace period──▶ excursion: incident opened, `iot.excursion-started`
//   excursion ──back in limits──▶ in range: `iot.excursion-ended` with duration and peak
//
// Readings at or before the last one evaluated are ignored (a QoS 1 redelivery, or a late batch), so feeding
// the same readings twice cannot open a second incident.
import { createHash } from 'node:crypto';
import { deviationC, isInRange, type Limits } from './device-types';

export interface MonitorState {
  /** Device time (ms) of the last reading evaluated. */
  lastT?: number;
  /** Device time the current out-of-limits run began. */
  outOfRangeSince?: number;
  /** Device time from which every reading evaluated (up to `lastT`) was within limits; unset while out of them. */
  inRangeSince?: number;
  /** The temperature furthest beyond the limits during that run. */
  peakC?: number;
  /** The open excursion, once the run outlasted the grace period; its peak follows `peakC`. */
  incident?: { incidentId: string; startedAt: number; detectedAt: number; severity: Severity; peakC: number };
}

export type Severity = 'critical' | 'warning';

export interface TimedReading {
  t: number;
  temperatureC: number;
}

export type MonitorEvent =
  | { kind: 'excursion-started'; incidentId: string; startedAt: number; detectedAt: number; temperatureC: number; peakC: number; severity: Severity }
  | { kind: 'excursion-ended'; incidentId: string; startedAt: number; endedAt: number; durationMs: number; peakC: number; severity: Severity };

/** An excursion this far beyond the limits is critical (discard risk); less is a warning. */
const CRITICAL_DEVIATION_C = 5;

function severityOf(limits: Limits, peakC: number): Severity {
  return deviationC(limits, peakC) >= CRITICAL_DEVIATION_C ? 'critical' : 'warning';
}

/** The start of an incident id: its start time, so ids sort by it. */
export const incidentTimePrefix = (startedAt: number) => startedAt.toString(36).padStart(9, '0');

/** Deterministic, so every attempt at opening the same excursion names the same incident. */
export function incidentIdOf(siteId: string, deviceId: string, startedAt: number): string {
  const device = createHash('sha256').update(`${siteId}/${deviceId}`).digest('hex').slice(0, 8);
  return `${incidentTimePrefix(startedAt)}-${device}`;
}

function worse(limits: Limits, a: number, b: number): number {
  return deviationC(limits, b) > deviationC(limits, a) ? b : a;
}

export function advance(
  state: MonitorState,
  readings: readonly TimedReading[],
  config: { limits: Limits; gracePeriodMs: number; siteId: string; deviceId: string },
): { state: MonitorState; events: MonitorEvent[]; evaluated: number } {
  const next: MonitorState = { ...state };
  const events: MonitorEvent[] = [];
  let evaluated = 0;
  for (const reading of [...readings].sort((a, b) => a.t - b.t)) {
    if (next.lastT !== undefined && reading.t <= next.lastT) continue;
    evaluated++;
    next.lastT = reading.t;
    if (isInRange(config.limits, reading.temperatureC)) {
      next.inRangeSince ??= reading.t;
      if (next.incident) {
        const { incidentId, startedAt, severity, peakC } = next.incident;
        events.push({ kind: 'excursion-ended', incidentId, startedAt, endedAt: reading.t, durationMs: reading.t - startedAt, peakC, severity });
      }
      delete next.outOfRangeSince;
      delete next.peakC;
      delete next.incident;
      continue;
    }
    delete next.inRangeSince;
    next.outOfRangeSince ??= reading.t;
    const peakC = next.peakC === undefined ? reading.temperatureC : worse(config.limits, next.peakC, reading.temperatureC);
    next.peakC = peakC;
    if (next.incident) {
      next.incident = { ...next.incident, peakC };
    } else if (reading.t - next.outOfRangeSince >= config.gracePeriodMs) {
      const startedAt = next.outOfRangeSince;
      const incident = {
        incidentId: incidentIdOf(config.siteId, config.deviceId, startedAt),
        startedAt,
        detectedAt: reading.t,
        severity: severityOf(config.limits, peakC),
        peakC,
      };
      next.incident = incident;
      events.push({ kind: 'excursion-started', ...incident, temperatureC: reading.temperatureC });
    }
  }
  return { state: next, events, evaluated };
}

/**
 * Whether readings that arrive after later ones were evaluated (concurrent batches of a device that reports
 * several times a second) leave the state machine where it is: the unit is within limits, and every such
 * reading is within limits and falls in the in-range run already evaluated, so it splits no run and starts none.
 * Such readings need no re-run on the stored timeline.
 */
export function lateReadingsChangeNothing(state: MonitorState, readings: readonly TimedReading[], limits: Limits): boolean {
  const { lastT, inRangeSince } = state;
  if (lastT === undefined || inRangeSince === undefined || state.outOfRangeSince !== undefined || state.incident) return false;
  return readings.every((r) => r.t > lastT || (r.t >= inRangeSince && isInRange(limits, r.temperatureC)));
}

/**
 * Late readings re-run over the first part of the stored timeline only, when the whole of it from before them is
 * too long to re-run (a batch put back hours later from the telemetry DLQ, on a unit reporting every few seconds).
 * `window` starts at the last in-range reading before the late ones (or at the first reading there is) and is
 * followed by readings already evaluated into `live`. When the window holds every late reading and ends within
 * limits with nothing running, what follows it does not depend on what came before (the machine restarts empty at
 * an in-range reading): the window's excursions are the late readings' whole effect, and the live state keeps its
 * place, except that its in-range run, if it began inside the window, may begin later. Otherwise undefined.
 */
export function settleLateWindow(
  live: MonitorState,
  window: readonly TimedReading[],
  lastLateT: number,
  config: { limits: Limits; gracePeriodMs: number; siteId: string; deviceId: string },
): { state: MonitorState; events: MonitorEvent[]; evaluated: number } | undefined {
  const end = window.at(-1)?.t;
  if (end === undefined || end < lastLateT || live.lastT === undefined || live.lastT < end) return undefined;
  // A run the live state holds began after the window, or the window would not end within limits in it.
  if ((live.outOfRangeSince ?? Infinity) <= end || (live.incident?.startedAt ?? Infinity) <= end) return undefined;
  const rerun = advance({}, window, config);
  if (rerun.state.inRangeSince === undefined || rerun.state.outOfRangeSince !== undefined || rerun.state.incident) return undefined;
  const state: MonitorState = { ...live };
  // Split by a late reading out of limits, the run begins again after it; a window within limits throughout splits nothing.
  const split = rerun.state.inRangeSince > window[0]!.t;
  if (split && live.inRangeSince !== undefined && live.inRangeSince <= end) state.inRangeSince = Math.max(live.inRangeSince, rerun.state.inRangeSince);
  return { state, events: rerun.events, evaluated: rerun.evaluated };
}

/** Ends an open excursion outside the readings (the unit was decommissioned), at `at`. */
export function endExcursion(state: MonitorState, at: number): { state: MonitorState; event?: MonitorEvent } {
  if (!state.incident) return { state };
  const { incidentId, startedAt, severity, peakC } = state.incident;
  const endedAt = Math.max(at, startedAt);
  const event: MonitorEvent = { kind: 'excursion-ended', incidentId, startedAt, endedAt, durationMs: endedAt - startedAt, peakC, severity };
  return { state: { lastT: state.lastT }, event };
}

/** Readings of one burst of messages are all stored within this long of each other. */
export const SETTLE_MS = 5_000;

/**
 * Whether readings that could change a decision may still be in flight: a gap in the stored timeline (more
 * than two reporting intervals) next to a reading received moments ago, or, when the timeline starts at the
 * device's first stored reading, that reading itself arrived moments ago.
 */
export function awaitingReadings(
  history: readonly { t: number; receivedAt: number }[],
  startsAtFirstReading: boolean,
  reportingIntervalSeconds: number,
  now: number,
): boolean {
  const recent = (r: { receivedAt: number }) => now - r.receivedAt < SETTLE_MS;
  if (startsAtFirstReading && history[0] && recent(history[0])) return true;
  const maxGap = 2 * reportingIntervalSeconds * 1000;
  return history.some((r, i) => i > 0 && r.t - history[i - 1]!.t > maxGap && recent(r));
}
