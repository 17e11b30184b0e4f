// Brigade's local stack: the embedded local cloud (local-cloud/) plus Brigade's own bootstrap: its variables, the
// stage's signing keys in the local Secrets Manager and revocations table, and the demo data with its users.
// `npm start`, the integration tests' global setup and the benchmarks all start it through this one function.
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../local-cloud/local-cloud';
import { DEMO_SITE_ID, seedDemoData, type DemoCredentials } from './seed/demo-data';
import { installLocalSigningKeys } from './signing-keys';

export type BrigadeStackOptions = Pick<LocalCloudOptions, 'stage' | 'dataDir' | 'log' | 'onOfflineOutput' | 'signal'>;

export interface BrigadeStack extends LocalCloud {
  /** The seeded demo users (owner, manager, staff of the demo site). */
  demoUsers: DemoCredentials[];
}

export async function startBrigadeStack(options: BrigadeStackOptions = {}): Promise<BrigadeStack> {
  const log = options.log ?? (() => undefined);
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
    beforeFunctions: installLocalSigningKeys,
  });

  try {
    const seeded = await seedDemoData(cloud.env, cloud.stage);
    log('demo data seeded', { created: seeded.created });
    const owner = seeded.credentials.find((c) => c.role === 'owner')!;
    Object.assign(cloud.env, { BRIGADE_OWNER_EMAIL: owner.email, BRIGADE_OWNER_PASSWORD: owner.password, BRIGADE_DEMO_SITE: DEMO_SITE_ID });
    options.signal?.throwIfAborted();
    return { ...cloud, demoUsers: seeded.credentials };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
}
