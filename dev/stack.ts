// Brigade's local stack: the embedded local cloud (local-cloud/) plus Brigade's own bootstrap: its variables, the
// stage's signing keys in the local Secrets Manager and revocations table, the orders' customer-reference key, and
// the demo data with its users.
// `npm start`, the integration tests' global setup and the benchmarks all start it through this one function.
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../local-cloud/local-cloud';
import { DEMO_SITE_ID, publishDemoDirectory, writeDemoData, type DemoCredentials, type WrittenDemoData } from './seed/demo-data';
import { installLocalCustomerRefKey } from './customer-ref-key';
import { installLocalSigningKeys } from './signing-keys';
import { runNightlyForecasts } from './seed/forecast-run';

export type BrigadeStackOptions = Pick<LocalCloudOptions, 'stage' | 'dataDir' | 'log' | 'onOfflineOutput' | 'signal'> & {
  /** Work to do while the demo data is seeded (`npm start` warms the functions then: both wait on I/O). */
  whileSeeding?: (cloud: LocalCloud) => Promise<unknown>;
};

export interface BrigadeStack extends LocalCloud {
  /** The seeded demo users (owner, manager, staff of the demo site). */
  demoUsers: DemoCredentials[];
  /**
   * Writes the demo site's weeks of history (once; later calls give the same promise): the events archived, 0 when
   * the store had them already. `npm start` runs it in the background once ready; stopping waits for it.
   */
  seedDemoHistory(): Promise<number>;
}

export async function startBrigadeStack(options: BrigadeStackOptions = {}): Promise<BrigadeStack> {
  const log = options.log ?? (() => undefined);
  let writing: Promise<WrittenDemoData> | undefined;
  const cloud = await startLocalCloud({
    ...options,
    // What the functions, the tests and the benchmarks read to find the APIs and the stage.
    env: ({ stage, ports }) => ({
      MQTT_HEALTH_URL: `mqtt://127.0.0.1:${ports.mqtt}`,
      BRIGADE_API_URL: `http://127.0.0.1:${ports.http}`,
      BRIGADE_WEBSOCKET_URL: `ws://127.0.0.1:${ports.websocket}`,
      BRIGADE_MQTT_URL: `mqtt://127.0.0.1:${ports.mqtt}`,
      BRIGADE_STAGE: stage,
    }),
    // Locally, serverless-offline runs the TypeScript handlers directly (through tsx) instead of bundling every
    // function first; `osls package` and deploys still bundle each function with esbuild.
    serviceEnv: { BRIGADE_BUNDLER: process.env.BRIGADE_BUNDLER ?? 'none' },
    beforeFunctions: async (bootstrap) => {
      await installLocalSigningKeys(bootstrap);
      installLocalCustomerRefKey(bootstrap);
      // The demo's records are written while serverless-offline starts (npm start's 15 s); awaited below, so a
      // failure is reported there rather than as an unhandled rejection now.
      writing = writeDemoData(bootstrap.env, bootstrap.stage);
      writing.catch(() => undefined);
    },
  });

  try {
    const [seeded] = await Promise.all([
      writing!.then(async (written) => {
        const published = (await publishDemoDirectory(cloud.env, cloud.stage)).length;
        log('demo data seeded', { created: written.created, published });
        return written;
      }),
      options.whileSeeding?.(cloud),
    ]);
    const owner = seeded.credentials.find((c) => c.role === 'owner')!;
    Object.assign(cloud.env, { BRIGADE_OWNER_EMAIL: owner.email, BRIGADE_OWNER_PASSWORD: owner.password, BRIGADE_DEMO_SITE: DEMO_SITE_ID });
    options.signal?.throwIfAborted();
    let history: Promise<number> | undefined;
    const seedDemoHistory = () =>
      (history ??= (async () => {
        const started = Date.now();
        try {
          const events = await seeded.history();
          if (events > 0) {
            log('demo history seeded', { events, seconds: Math.round((Date.now() - started) / 100) / 10 });
            // The forecast's nightly job would run within the hour; run it now so the demo has stored forecasts.
            log('demo forecasts stored', await runNightlyForecasts(cloud, [DEMO_SITE_ID]));
          }
          return events;
        } catch (error) {
          log('demo history NOT seeded', { error: error instanceof Error ? error.message : String(error) });
          return 0;
        }
      })());
    // Stopping waits for the history's writes, so they never race the emulators' shutdown.
    const stop = cloud.stop.bind(cloud);
    return {
      ...cloud,
      demoUsers: seeded.credentials,
      seedDemoHistory,
      stop: async () => {
        await history;
        await stop();
      },
    };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}
