// Registering, changing, viewing and decommissioning units. Registration provisions the IoT thing and
// certificate; the private key is in the response and nowhere else.
import { retryOnConflict } from '#shared/dynamodb';
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/errors';
import type { Caller } from '#shared/identity';
import { commandStore, config, deviceStore, incidentStore, telemetryStore } from './config';
import { planDecommission, silentAfter } from './device-state';
import { liveStatus } from './device-status';
import { defaultLimits, GRACE_PERIOD_MINUTES, limitProblems, REPORTING_INTERVAL_SECONDS } from './device-types';
import { provisionThing, retireThing } from './provisioning';
import type { DeviceRecord, RegisterDevice, UpdateDevice } from './schemas';
import { readShadow } from './shadow';

/** Attempts at a change while telemetry keeps moving the device's version. */
const MAX_ATTEMPTS = 8;
const changingTooFast = () => new ConflictError('The device is changing too fast; try again');
const iso = (ms: number) => new Date(ms).toISOString();

export function deviceView(device: DeviceRecord, now: number) {
  const { live } = device;
  const incident = live.monitor.incident;
  return {
    siteId: device.siteId,
    deviceId: device.deviceId,
    type: device.type,
    name: device.name,
    ...(device.location !== undefined && { location: device.location }),
    limits: device.limits,
    gracePeriodMinutes: device.gracePeriodMinutes,
    reportingIntervalSeconds: device.reportingIntervalSeconds,
    status: liveStatus(device, now),
    lifecycle: device.status,
    settingsVersion: device.settingsVersion,
    ...(device.thing && { thingName: device.thing.thingName, certificateId: device.thing.certificateId }),
    ...(live.lastReading && {
      lastReading: {
        at: iso(live.lastReading.t),
        temperatureC: live.lastReading.temperatureC,
        ...(live.lastReading.doorOpen !== undefined && { doorOpen: live.lastReading.doorOpen }),
      },
    }),
    ...(live.lastSeenAt !== undefined && { lastSeenAt: iso(live.lastSeenAt) }),
    ...(live.batteryPct !== undefined && { batteryPct: live.batteryPct }),
    ...(live.offlineSince !== undefined && { offlineSince: iso(live.offlineSince) }),
    ...(live.monitor.outOfRangeSince !== undefined && { outOfRangeSince: iso(live.monitor.outOfRangeSince) }),
    ...(incident && { excursion: { incidentId: incident.incidentId, startedAt: iso(incident.startedAt), peakC: incident.peakC, severity: incident.severity } }),
    readings: { accepted: device.acceptedReadings ?? 0, duplicates: device.duplicateReadings ?? 0, rejected: device.rejectedReadings ?? 0 },
    createdAt: device.createdAt,
    updatedAt: device.updatedAt,
    ...(device.decommissionedAt && { decommissionedAt: device.decommissionedAt }),
  };
}

export async function requireDevice(siteId: string, deviceId: string): Promise<DeviceRecord> {
  const device = await deviceStore.getDevice(siteId, deviceId);
  if (!device) throw new NotFoundError('Device not found');
  return device;
}

export async function registerDevice(siteId: string, input: RegisterDevice, caller: Caller, now = Date.now()) {
  const limits = input.limits ?? defaultLimits(input.type);
  const problems = limitProblems(input.type, limits);
  if (problems.length > 0) throw new UnprocessableError('These limits are not acceptable for this type of unit', { problems });
  const device: DeviceRecord = {
    siteId,
    deviceId: input.deviceId,
    type: input.type,
    name: input.name,
    ...(input.location !== undefined && { location: input.location }),
    limits,
    gracePeriodMinutes: input.gracePeriodMinutes ?? GRACE_PERIOD_MINUTES.default,
    reportingIntervalSeconds: input.reportingIntervalSeconds ?? REPORTING_INTERVAL_SECONDS.default,
    status: 'active',
    createdAt: iso(now),
    createdBy: caller.userId,
    updatedAt: iso(now),
    version: 1,
    settingsVersion: 1,
    live: { monitor: {} },
  };
  await deviceStore.createDevice(device);
  let provisioned: Awaited<ReturnType<typeof provisionThing>>;
  try {
    // The device id is the thing name: the IoT policy's ${iot:Connection.Thing.ThingName} is its topic segment.
    provisioned = await provisionThing({ thingName: device.deviceId, siteId, stage: config.STAGE, policyName: config.DEVICE_POLICY_NAME });
  } catch (error) {
    await deviceStore.forgetDevice(siteId, device.deviceId);
    throw error;
  }
  const linked = await updateSettings(siteId, device.deviceId, (current) => ({ ...current, thing: provisioned.thing }));
  return {
    device: deviceView(linked, now),
    credentials: provisioned.credentials,
    connection: {
      endpoint: provisioned.endpoint,
      clientId: device.deviceId,
      telemetryTopic: `brigade/${siteId}/devices/${device.deviceId}/telemetry`,
      shadowTopicPrefix: `$aws/things/${device.deviceId}/shadow`,
    },
  };
}

/** Re-reads and re-applies `change` until it lands on the version it was decided on. */
async function updateSettings(siteId: string, deviceId: string, change: (current: DeviceRecord) => DeviceRecord): Promise<DeviceRecord> {
  return retryOnConflict(
    async () => {
      const current = await requireDevice(siteId, deviceId);
      const next = { ...change(current), settingsVersion: current.settingsVersion + 1, updatedAt: iso(Date.now()) };
      const lastSeenAt = next.live.lastSeenAt;
      const watched = next.status === 'active' && lastSeenAt !== undefined && next.live.offlineSince === undefined;
      await deviceStore.saveSettings(next, watched ? silentAfter(next, lastSeenAt) : undefined);
      return { ...next, version: current.version + 1 };
    },
    { attempts: MAX_ATTEMPTS, exhausted: changingTooFast },
  );
}

export async function changeDevice(siteId: string, deviceId: string, patch: UpdateDevice, now = Date.now()) {
  const updated = await updateSettings(siteId, deviceId, (current) => {
    if (current.status !== 'active') throw new ConflictError('The device was decommissioned');
    if (patch.expectedVersion !== undefined && patch.expectedVersion !== current.settingsVersion) {
      throw new ConflictError('The device settings changed since you read them', { settingsVersion: current.settingsVersion });
    }
    const { expectedVersion: _v, ...fields } = patch;
    const next = { ...current, ...fields };
    const problems = limitProblems(next.type, next.limits);
    if (problems.length > 0) throw new UnprocessableError('These limits are not acceptable for this type of unit', { problems });
    return next;
  });
  return deviceView(updated, now);
}

export async function decommissionDevice(siteId: string, deviceId: string, correlationId: string, now = Date.now()) {
  const found = await requireDevice(siteId, deviceId);
  if (found.status === 'decommissioned') return deviceView(found, now);
  await retireThing(found.thing?.thingName ?? found.deviceId, found.thing?.policyName ?? config.DEVICE_POLICY_NAME);
  return retryOnConflict(
    async (attempt) => {
      const device = attempt === 1 ? found : await requireDevice(siteId, deviceId);
      if (device.status === 'decommissioned') return deviceView(device, now); // a concurrent request did it
      const known = await incidentStore.knownIncidents(siteId, device.live.monitor.incident ? [device.live.monitor.incident.incidentId] : []);
      const change = planDecommission(device, now, known, correlationId);
      // Its last bucket will get no later reading: sealed now, as the HACCP record keeps it.
      await telemetryStore.sealOpenBucket(device);
      await deviceStore.commitStateChange(change);
      return deviceView({ ...device, ...change.extra, live: change.live }, now);
    },
    { attempts: MAX_ATTEMPTS, exhausted: changingTooFast },
  );
}

export async function deviceDetail(siteId: string, deviceId: string, now = Date.now()) {
  const device = await requireDevice(siteId, deviceId);
  const [shadow, commands] = await Promise.all([
    device.status === 'active' ? readShadow(device.thing?.thingName ?? device.deviceId) : Promise.resolve(undefined),
    commandStore.listCommands(siteId, deviceId, { limit: 5 }),
  ]);
  return { ...deviceView(device, now), shadow: shadow ?? null, recentCommands: commands.commands };
}

export async function listDeviceViews(siteId: string, now = Date.now()) {
  const devices = await deviceStore.listDevices(siteId);
  return devices.map((d) => deviceView(d, now)).sort((a, b) => a.name.localeCompare(b.name) || a.deviceId.localeCompare(b.deviceId));
}
