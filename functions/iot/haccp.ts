// The HACCP temperature log: per unit per local day, an AM and a PM check derived from the readings (the
// 15-minute aggregates, which outlive the raw readings), the day's range, and the incidents with what staff
// did about them. Exported as CSV for an inspector.
import { BUCKET_MS, bucketStart, type Aggregate } from './aggregates';
import { deviationC, describeLimits, isInRange, type Limits } from './device-types';
import { localTimeOf, zonedTimeToInstant } from '#shared/time';

export interface HaccpSettings {
  timeZone: string;
  /** Local times (HH:MM) of the two daily checks. */
  amCheckAt: string;
  pmCheckAt: string;
}

export const DEFAULT_HACCP_SETTINGS: HaccpSettings = { timeZone: 'UTC', amCheckAt: '09:00', pmCheckAt: '16:00' };

/** A check is the first reading within this long after its scheduled time. */
export const CHECK_WINDOW_MS = 60 * 60 * 1000;

export type CheckStatus = 'pass' | 'fail' | 'missing' | 'pending';

export interface HaccpCheck {
  period: 'AM' | 'PM';
  scheduledAt: string;
  status: CheckStatus;
  /** Start of the 15-minute window the checked value comes from. */
  measuredAt?: string;
  temperatureC?: number;
}

export interface HaccpIncident {
  incidentId: string;
  startedAt: number;
  endedAt?: number;
  peakC: number;
  status: string;
  actions: Array<{ kind: string; notes?: string; by: string; at: string }>;
}

export interface HaccpDevice {
  deviceId: string;
  name: string;
  type: string;
  location?: string;
  limits: Limits;
}

export interface HaccpRow {
  deviceId: string;
  name: string;
  type: string;
  location?: string;
  limits: string;
  am: HaccpCheck;
  pm: HaccpCheck;
  dayMinC?: number;
  dayMaxC?: number;
  readings: number;
  incidents: HaccpIncident[];
}

/** Of a window's lowest and highest values, the one that matters for these limits: beyond them, or nearest. */
export function checkedValue(limits: Limits, minC: number, maxC: number): number {
  const beyondMin = deviationC(limits, minC);
  const beyondMax = deviationC(limits, maxC);
  if (beyondMin > 0 || beyondMax > 0) return beyondMax >= beyondMin ? maxC : minC;
  const headroomAbove = limits.maxC === undefined ? Infinity : limits.maxC - maxC;
  const headroomBelow = limits.minC === undefined ? Infinity : minC - limits.minC;
  return headroomAbove <= headroomBelow ? maxC : minC;
}

export function haccpCheck(period: 'AM' | 'PM', scheduledAt: number, aggregates: readonly Aggregate[], limits: Limits, now: number): HaccpCheck {
  const base = { period, scheduledAt: new Date(scheduledAt).toISOString() };
  if (scheduledAt > now) return { ...base, status: 'pending' };
  const first = aggregates
    .filter((a) => a.count > 0 && a.start >= bucketStart(scheduledAt) && a.start < scheduledAt + CHECK_WINDOW_MS)
    .sort((a, b) => a.start - b.start)[0];
  if (!first) return { ...base, status: scheduledAt + CHECK_WINDOW_MS > now ? 'pending' : 'missing' };
  const temperatureC = checkedValue(limits, first.minC, first.maxC);
  return { ...base, status: isInRange(limits, temperatureC) ? 'pass' : 'fail', measuredAt: new Date(first.start).toISOString(), temperatureC };
}

export function haccpRow(input: {
  date: string;
  settings: HaccpSettings;
  device: HaccpDevice;
  /** The aggregates of the local day (and the hour after, for a late PM check). */
  aggregates: readonly Aggregate[];
  incidents: HaccpIncident[];
  dayStart: number;
  dayEnd: number;
  now: number;
}): HaccpRow {
  const { date, settings, device, aggregates, dayStart, dayEnd, now } = input;
  const at = (time: string) => zonedTimeToInstant(date, time, settings.timeZone);
  const day = aggregates.filter((a) => a.start >= dayStart && a.start + BUCKET_MS <= dayEnd && a.count > 0);
  return {
    deviceId: device.deviceId,
    name: device.name,
    type: device.type,
    ...(device.location !== undefined && { location: device.location }),
    limits: describeLimits(device.limits),
    am: haccpCheck('AM', at(settings.amCheckAt), aggregates, device.limits, now),
    pm: haccpCheck('PM', at(settings.pmCheckAt), aggregates, device.limits, now),
    ...(day.length > 0 && { dayMinC: Math.min(...day.map((a) => a.minC)), dayMaxC: Math.max(...day.map((a) => a.maxC)) }),
    readings: day.reduce((sum, a) => sum + a.count, 0),
    incidents: input.incidents,
  };
}

// ---- CSV ----

const CSV_COLUMNS = [
  'date', 'device_id', 'device_name', 'type', 'location', 'limits',
  'am_scheduled', 'am_measured', 'am_temperature_c', 'am_result',
  'pm_scheduled', 'pm_measured', 'pm_temperature_c', 'pm_result',
  'day_min_c', 'day_max_c', 'readings', 'incidents', 'corrective_actions',
];

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with
 * an apostrophe: device names and staff notes are user input. Numbers are written as they are.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function haccpCsv(date: string, timeZone: string, rows: readonly HaccpRow[]): string {
  const local = (iso: string | undefined) => (iso === undefined ? undefined : localTimeOf(Date.parse(iso), timeZone));
  const lines = rows.map((r) =>
    [
      date, r.deviceId, r.name, r.type, r.location, r.limits,
      local(r.am.scheduledAt), local(r.am.measuredAt), r.am.temperatureC, r.am.status,
      local(r.pm.scheduledAt), local(r.pm.measuredAt), r.pm.temperatureC, r.pm.status,
      r.dayMinC, r.dayMaxC, r.readings,
      r.incidents
        .map((i) => `${i.incidentId} ${local(new Date(i.startedAt).toISOString())}-${i.endedAt === undefined ? 'ongoing' : local(new Date(i.endedAt).toISOString())} peak ${i.peakC} °C ${i.status}`)
        .join('; '),
      r.incidents.flatMap((i) => i.actions.map((a) => `${a.kind}${a.notes ? `: ${a.notes}` : ''} (${a.by}, ${local(a.at)})`)).join('; '),
    ]
      .map(csvField)
      .join(','),
  );
  // CRLF line ends, as RFC 4180 and spreadsheet importers expect.
  return [CSV_COLUMNS.join(','), ...lines].map((line) => `${line}\r\n`).join('');
}
