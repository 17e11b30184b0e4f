// The site's food-safety picture: the overview (what needs attention now) and the HACCP log of a day.
import type { Caller } from '#shared/identity';
import { deviceStore, incidentStore, settingsStore, telemetryStore } from './config';
import { deviceView } from './devices';
import { incidentTimePrefix } from './excursion';
import { CHECK_WINDOW_MS, DEFAULT_HACCP_SETTINGS, haccpCsv, haccpRow, type HaccpSettings } from './haccp';
import { localDayRange } from '#shared/time';
import type { SiteSettings } from './schemas';

/** An excursion that started this long before a day may still run into it. */
const INCIDENT_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;
const ATTENTION = new Set(['excursion', 'out-of-range', 'offline', 'low-battery']);

async function siteSettings(siteId: string): Promise<SiteSettings> {
  return (await settingsStore.getSettings(siteId)) ?? DEFAULT_HACCP_SETTINGS;
}

export async function saveSiteSettings(siteId: string, settings: HaccpSettings, caller: Caller): Promise<SiteSettings> {
  const saved = { ...settings, updatedAt: new Date().toISOString(), updatedBy: caller.userId };
  await settingsStore.putSettings(siteId, saved);
  return saved;
}

export async function overview(siteId: string, now = Date.now()) {
  const [devices, open, settings] = await Promise.all([deviceStore.listDevices(siteId), incidentStore.listIncidents(siteId, { status: 'open', limit: 100 }), siteSettings(siteId)]);
  const views = devices.filter((d) => d.status === 'active').map((d) => deviceView(d, now));
  const byStatus: Record<string, number> = {};
  for (const view of views) byStatus[view.status] = (byStatus[view.status] ?? 0) + 1;
  return {
    siteId,
    at: new Date(now).toISOString(),
    devices: { total: views.length, byStatus },
    attention: views.filter((v) => ATTENTION.has(v.status)),
    openIncidents: open.incidents.map((i) => ({
      incidentId: i.incidentId,
      deviceId: i.deviceId,
      deviceName: i.deviceName,
      severity: i.severity,
      startedAt: i.startedAt,
      ...(i.endedAt && { endedAt: i.endedAt }),
      peakC: i.peakC,
      correctiveActions: i.actions.length,
      awaiting: i.endedAt === undefined ? 'recovery' : i.actions.length === 0 ? 'corrective-action' : 'manager-close',
    })),
    settings,
  };
}

export async function haccpLog(siteId: string, date: string, now = Date.now()) {
  const settings = await siteSettings(siteId);
  const { start, end } = localDayRange(date, settings.timeZone);
  const [devices, incidents] = await Promise.all([
    deviceStore.listDevices(siteId),
    incidentStore.incidentsStartedBetween(siteId, incidentTimePrefix(start - INCIDENT_LOOKBACK_MS), `${incidentTimePrefix(end)}~`),
  ]);
  // Units that existed on that day, decommissioned ones included: the log is a record, not a live view.
  const present = devices.filter((d) => Date.parse(d.createdAt) < end && (d.decommissionedAt === undefined || Date.parse(d.decommissionedAt) > start));
  const rows = await Promise.all(
    present.map(async (device) => {
      const aggregates = await telemetryStore.listAggregates(device, start, end + CHECK_WINDOW_MS);
      const overlapping = incidents.filter(
        (i) => i.deviceId === device.deviceId && Date.parse(i.startedAt) < end && (i.endedAt === undefined || Date.parse(i.endedAt) >= start),
      );
      return haccpRow({
        date,
        settings,
        device,
        aggregates,
        incidents: overlapping.map((i) => ({
          incidentId: i.incidentId,
          startedAt: Date.parse(i.startedAt),
          ...(i.endedAt && { endedAt: Date.parse(i.endedAt) }),
          peakC: i.peakC,
          status: i.status,
          actions: i.actions.map((a) => ({ kind: a.kind, ...(a.notes && { notes: a.notes }), by: a.by, at: a.at })),
        })),
        dayStart: start,
        dayEnd: end,
        now,
      });
    }),
  );
  rows.sort((a, b) => a.name.localeCompare(b.name) || a.deviceId.localeCompare(b.deviceId));
  return { siteId, date, timeZone: settings.timeZone, amCheckAt: settings.amCheckAt, pmCheckAt: settings.pmCheckAt, rows };
}

export function haccpLogCsv(log: Awaited<ReturnType<typeof haccpLog>>): string {
  return haccpCsv(log.date, log.timeZone, log.rows);
}
