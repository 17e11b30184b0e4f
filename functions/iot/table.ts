// The iot table and the stores that share it, one per aggregate; each store's header documents its own items.
// Every key but the stage-wide device-id claim starts with the site, so a site's data never mixes with another's:
//   SITE#{site} / …                       devices, incidents, HACCP settings   device-store, incident-store, settings-store
//   SITE#{site}#DEVICE#{device} / …       readings, buckets, commands          telemetry-store, command-store
//   SITE#{site}#REJECTS / …               refused telemetry                     reject-store
//   DEVICE-ID#{device} / DEVICE-ID        uniqueness of device ids              device-store
// Index `silence` is device-store's; index `outbox` is shared/outbox.ts's.

export const sitePk = (siteId: string) => `SITE#${siteId}`;
/** A device's time series: readings, their buckets and its command audit. */
export const seriesPk = (siteId: string, deviceId: string) => `SITE#${siteId}#DEVICE#${deviceId}`;

export const iso = (ms: number) => new Date(ms).toISOString();
/** Epoch seconds, as DynamoDB's TTL reads them. */
export const seconds = (ms: number) => Math.floor(ms / 1000);
export const DAY_S = 24 * 60 * 60;

/** A record without the attributes that only serve the table (keys, TTL, the silence index). */
export function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, expiresAt: _e, silenceShard: _s, silentAt: _a, ...rest } = item;
  return rest as T;
}

/** Runs `run` on every item, at most `limit` at a time, keeping the results in order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
