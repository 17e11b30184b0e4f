// A unit's live status, as the device list shows it: the most urgent condition wins.
import { LOW_BATTERY_PCT, SILENT_AFTER_INTERVALS } from './device-types';
import type { MonitorState } from './excursion';

export type DeviceStatus = 'decommissioned' | 'awaiting-data' | 'offline' | 'excursion' | 'out-of-range' | 'low-battery' | 'ok';

export interface StatusInput {
  status: 'active' | 'decommissioned';
  reportingIntervalSeconds: number;
  live: { lastSeenAt?: number; offlineSince?: number; batteryPct?: number; monitor: MonitorState };
}

export function liveStatus(device: StatusInput, now: number): DeviceStatus {
  if (device.status === 'decommissioned') return 'decommissioned';
  const { lastSeenAt, offlineSince, batteryPct, monitor } = device.live;
  if (lastSeenAt === undefined) return 'awaiting-data';
  // Offline as soon as it is overdue, without waiting for the scheduled check to raise the alert.
  if (offlineSince !== undefined || now - lastSeenAt > SILENT_AFTER_INTERVALS * device.reportingIntervalSeconds * 1000) return 'offline';
  if (monitor.incident) return 'excursion';
  if (monitor.outOfRangeSince !== undefined) return 'out-of-range';
  if (batteryPct !== undefined && batteryPct < LOW_BATTERY_PCT) return 'low-battery';
  return 'ok';
}
