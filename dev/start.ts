// `npm start`: the whole local stack with demo data, no Docker. Ctrl-C stops everything.
import { PortInUseError } from '../local-cloud/ports';
import { JavaMissingError } from '../local-cloud/dynamodb-local';
import { IotSqlError } from '../local-cloud/iot/sql';
import { terminalLine } from './offline-log';
import { DEMO_SITE_ID } from './seed/demo-data';
import { startBrigadeStack, type BrigadeStack } from './stack';
import { warmUp } from './warm-up';

// Node 20.19+ is supported locally (Lambda runs nodejs22.x); the SDK's notice about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const started = performance.now();
const verbose = process.argv.includes('--verbose');
const persist = process.argv.includes('--persist') || process.env.BRIGADE_PERSIST === '1';

// What `--persist` keeps: DynamoDB Local writes to disk; the other emulators hold their state in memory.
const PERSIST_NOTE = `  Kept (--persist): DynamoDB tables and items (.local/dynamodb); signing keys (.local/keys) and demo users are
                  kept in any mode. Lost at restart: IoT things, certificates, policy attachments and shadows (devices
                  registered before stay in the iot table but must be registered again to connect), SNS subscriptions
                  added at runtime, recorded SMS/email and dead letters, other SSM parameters and secrets.
`;

function log(message: string, extra?: object): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[${seconds}s] ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}`);
}

async function main(): Promise<void> {
  log(`starting the Brigade local cloud${persist ? ' (DynamoDB data kept in .local/dynamodb)' : ' (in memory)'}`);
  // Signals are handled from the first moment: Ctrl-C during start-up stops what already runs.
  const starting = new AbortController();
  const running: { cloud?: BrigadeStack } = {};
  let stopping = false;
  // The warm-up's own output (a rejected warm-up message) is noise: shown only with --verbose.
  let warming = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    if (!running.cloud) {
      starting.abort(new Error(`${signal} during start-up`));
      return; // the failed start stops what it began, then main's catch exits
    }
    await running.cloud.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const cloud = await startBrigadeStack({
    signal: starting.signal,
    dataDir: persist ? '.local/dynamodb' : undefined,
    log,
    onOfflineOutput: (line) => {
      const shown = warming && !verbose ? undefined : terminalLine(line, verbose);
      if (shown !== undefined) console.log(`  offline | ${shown}`);
    },
    // The functions warm while the demo data is seeded. Not fatal: a function that stays cold only answers its
    // first invocation more slowly.
    whileSeeding: async (started) => {
      warming = true;
      const cold = await warmUp(started)
        .catch((error: Error) => [`all (${error.message})`])
        .finally(() => (warming = false));
      log('functions warmed up', cold.length ? { stillCold: cold } : undefined);
    },
  });
  running.cloud = cloud;
  // The demo's weeks of history (analytics, forecasts) are written now, in the background: logged when done.
  void cloud.seedDemoHistory();
  const { ports } = cloud;
  const users = cloud.demoUsers.map((u) => `  ${u.role.padEnd(8)} ${u.email.padEnd(32)} ${u.password}`).join('\n');
  const readyMs = Math.round(performance.now() - started);
  console.log(`
Brigade is running (ready in ${(readyMs / 1000).toFixed(1)} s). Ctrl-C stops everything.

  HTTP API        http://127.0.0.1:${ports.http}          try: curl http://127.0.0.1:${ports.http}/health   (then sign in, below)
  WebSocket API   ws://127.0.0.1:${ports.websocket}?token=<access token>   (realtime notifications)
  Lambda invoke   http://127.0.0.1:${ports.lambda}        (serverless-offline)
  AWS APIs (edge) http://127.0.0.1:${ports.edge}        SNS, IoT, SSM, Secrets Manager, DynamoDB
                  try: npm run aws -- dynamodb list-tables     (the AWS CLI with this endpoint and the local credentials)
  DynamoDB Local  http://127.0.0.1:${ports.dynamodb}
  MQTT broker     mqtt://127.0.0.1:${ports.mqtt}
                  try: mosquitto_pub -p ${ports.mqtt} -t brigade/${DEMO_SITE_ID}/devices/walkin-1/telemetry -m '{"temperatureC":3.5}'

  SMS and email sent through SNS are recorded, not sent:
                  curl http://127.0.0.1:${ports.edge}/_aws/sns/sms-messages   curl http://127.0.0.1:${ports.edge}/_local/sns/emails

  Credentials for the AWS CLI/SDK: AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
                  or: eval "$(npm run --silent env:local)"   (also sets AWS_ENDPOINT_URL)

  Logs: one line per HTTP request and the functions' warnings and errors; everything with npm start -- --verbose${verbose ? ' (on)' : ''}
${persist ? PERSIST_NOTE : ''}
Demo users of site ${DEMO_SITE_ID} (local only; kept in .local/demo-credentials-local.json):
${users}
  sign in: curl -s -X POST http://127.0.0.1:${ports.http}/auth/login -H 'content-type: application/json' \\
             -d '{"email":"${cloud.demoUsers[0]?.email}","password":"${cloud.demoUsers[0]?.password}"}'
`);

}

main().catch((error: unknown) => {
  if (error instanceof PortInUseError || error instanceof JavaMissingError || error instanceof IotSqlError) {
    console.error(`\n${error.message}\n`);
  } else {
    console.error('\nThe local cloud failed to start:', error instanceof Error ? error.message : error, '\n');
  }
  process.exit(1);
});
