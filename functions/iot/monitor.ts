// The scheduled watch: devices past their silence deadline get one `iot.device-offline` alert each (the write
// that marks them offline is conditional on the version read, so overlapping runs cannot alert twice) and their
// open 15-minute bucket sealed, then alerts left in the outbox by an interrupted publish are relayed.
import { lostRace } from '#shared/dynamodb';
import { recordAlertRaised } from '#shared/metrics';
import { relayOutbox, type RelayResult } from '#shared/outbox-relay';
import { alertOutboxDeps } from './alerts';
import { config, deviceStore, outboxTarget, telemetryStore } from './config';
import { planOffline } from './device-state';
import { SILENCE_SHARDS } from './device-store';

export interface WatchResult {
  offline: string[];
  relayed: RelayResult;
}

export async function watchDevices(now: number, correlationId: string): Promise<WatchResult> {
  const offline: string[] = [];
  for (let shard = 0; shard < SILENCE_SHARDS; shard++) {
    for (const candidate of await deviceStore.silentDevices(shard, now)) {
      // The index is eventually consistent: decide on the device itself.
      const device = await deviceStore.getDevice(candidate.siteId, candidate.deviceId);
      const change = device && planOffline(device, now, correlationId);
      if (!change) continue;
      await telemetryStore.sealOpenBucket(device);
      if (await committed(() => deviceStore.commitStateChange(change))) {
        offline.push(`${device.siteId}/${device.deviceId}`);
        recordAlertRaised('iot.device-offline');
      }
    }
  }
  const relayed = await relayOutbox({ ...outboxTarget, minAgeMs: config.OUTBOX_RELAY_MIN_AGE_SECONDS * 1000 }, new Date(now), alertOutboxDeps());
  return { offline, relayed };
}

/** False when the device moved on meanwhile (it reported, or another run marked it): nothing to alert then. */
async function committed(commit: () => Promise<void>): Promise<boolean> {
  try {
    await commit();
    return true;
  } catch (error) {
    if (lostRace(error)) return false;
    throw error;
  }
}
