// `npm run deploy:localstack` and `npm run test:localstack` (README "LocalStack"): the environment LocalStack
// needs, checked first against what the running LocalStack's tier can do (scripts/localstack-capabilities.ts).
//   tsx scripts/localstack.ts deploy [--skip-tier-check] [osls options…]
//   tsx scripts/localstack.ts bootstrap --owner-email you@example.com   (scripts/bootstrap.ts on the localstack stage)
//   tsx scripts/localstack.ts test [jest options…]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  capabilitiesOf,
  lambdaArchitectureFor,
  LocalStackUnreachableError,
  MISSING_REASON,
  mqttUrlFor,
  probeLocalStack,
  stageApis,
  type Capability,
  type LocalStackReport,
} from './localstack-capabilities';

const STAGE = 'localstack';
const root = join(__dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/**
 * An IP address, not `localhost`: the SDK addresses S3 path-style only when the endpoint host is an IP (with
 * `localhost` it asks for `<bucket>.localhost`, which does not resolve), and the deployer uploads to S3.
 */
export const DEFAULT_EDGE = 'http://127.0.0.1:4566';

export function localStackEnv(env: NodeJS.ProcessEnv, nodeArch: string): NodeJS.ProcessEnv {
  const edge = env.AWS_ENDPOINT_URL || DEFAULT_EDGE;
  const region = env.AWS_REGION || 'us-east-1';
  const { AWS_PROFILE: _profile, AWS_SESSION_TOKEN: _token, ...rest } = env;
  return {
    ...rest,
    AWS_ENDPOINT_URL: edge,
    // Also when the edge is given as `localhost` (as many LocalStack setups export it): S3 by IP, so path-style.
    AWS_ENDPOINT_URL_S3: edge.replace('//localhost:', '//127.0.0.1:'),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    // Never a real account's keys against an emulator; LocalStack maps 'test' to account 000000000000.
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    BRIGADE_LAMBDA_ARCHITECTURE: env.BRIGADE_LAMBDA_ARCHITECTURE || lambdaArchitectureFor(nodeArch),
    // Functions reach the data plane through the AWS_ENDPOINT_URL LocalStack gives their containers.
    IOT_DATA_ENDPOINT: '',
  };
}

async function describeLocalStack(env: NodeJS.ProcessEnv): Promise<LocalStackReport> {
  const edge = env.AWS_ENDPOINT_URL!;
  const info = await fetch(`${edge}/_localstack/info`)
    .then((r) => r.json() as Promise<{ version?: string; edition?: string; is_license_activated?: boolean }>)
    .catch(() => undefined);
  if (info) console.log(`LocalStack ${info.version ?? '?'} at ${edge}: edition ${info.edition ?? '?'}, licence activated: ${info.is_license_activated ?? '?'}`);
  const report = await probeLocalStack({ endpoint: edge, region: env.AWS_REGION! });
  const line = (name: string, probe: { available: boolean; detail: string }) =>
    console.log(`  ${probe.available ? 'yes' : 'NO '}  ${name.padEnd(34)} ${probe.detail}`);
  line('API Gateway v2 (HTTP, WebSocket)', report.apiGatewayV2);
  line('IoT Core (MQTT broker, rules)', report.iot);
  line('IoT data plane (shadows)', report.iotData);
  return report;
}

async function deploy(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const skipTierCheck = args.includes('--skip-tier-check');
  const report = await describeLocalStack(env);
  const missing = [
    !report.apiGatewayV2.available && 'API Gateway v2 (the HTTP API and the WebSocket API)',
    !report.iot.available && 'IoT Core (the telemetry topic rule, the device policy)',
  ].filter(Boolean);
  if (missing.length > 0 && !skipTierCheck) {
    console.error(
      `\nThis LocalStack cannot take Brigade's stack: it lacks ${missing.join(' and ')},\n` +
        'so CloudFormation would fail on those resources. Run the localstack/localstack-pro image with a licence of\n' +
        'the Base tier or higher (README "LocalStack"), or pass --skip-tier-check to try anyway.',
    );
    return 1;
  }
  if (!report.iotData.available) console.warn(`\nwarning: ${MISSING_REASON.iotData}: device commands and shadows will fail at run time.`);
  console.log(`\nLambda architecture: ${env.BRIGADE_LAMBDA_ARCHITECTURE} (this host: ${process.arch})`);
  const oslsArgs = args.filter((a) => a !== '--skip-tier-check');
  return spawnSync(bin('osls'), ['deploy', '--stage', STAGE, '--region', env.AWS_REGION!, ...oslsArgs], { env, stdio: 'inherit' }).status ?? 1;
}

async function test(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const report = await describeLocalStack(env);
  if (!report.apiGatewayV2.available) {
    console.log(`\nskipped: every integration suite (each one calls Brigade's HTTP API): ${MISSING_REASON.httpApi}.`);
    return 0;
  }
  const apis = stageApis(report, STAGE);
  if (!apis.http?.ApiEndpoint) {
    console.error(`\nNo HTTP API named ${STAGE}-brigade in this LocalStack: deploy first with npm run deploy:localstack`);
    return 1;
  }
  const capabilities = capabilitiesOf(report, STAGE);
  const testEnv: NodeJS.ProcessEnv = {
    ...env,
    BRIGADE_TARGET: STAGE,
    BRIGADE_STAGE: STAGE,
    BRIGADE_API_URL: env.BRIGADE_API_URL || apis.http.ApiEndpoint,
    BRIGADE_CAPABILITIES: JSON.stringify(capabilities),
  };
  if (apis.websocket?.ApiEndpoint) testEnv.BRIGADE_WEBSOCKET_URL ||= apis.websocket.ApiEndpoint;
  if (report.iot.endpointAddress) testEnv.BRIGADE_MQTT_URL ||= mqttUrlFor(report.iot.endpointAddress, env.AWS_ENDPOINT_URL!);
  console.log(`\nHTTP API ${testEnv.BRIGADE_API_URL}; WebSocket ${testEnv.BRIGADE_WEBSOCKET_URL ?? '-'}; MQTT ${testEnv.BRIGADE_MQTT_URL ?? '-'}`);
  if (!env.BRIGADE_OWNER_EMAIL || !env.BRIGADE_OWNER_PASSWORD) {
    console.error(
      '\nThe tests sign in as the stage\'s owner: set BRIGADE_OWNER_EMAIL and BRIGADE_OWNER_PASSWORD (an owner made with\n' +
        '`npx tsx scripts/localstack.ts bootstrap --owner-email <address>` and registered at POST /auth/register: README "LocalStack").',
    );
    return 1;
  }
  for (const name of Object.keys(capabilities) as Capability[]) {
    if (!capabilities[name]) console.log(`skipped: the suites that need ${name}: ${MISSING_REASON[name]}`);
  }
  return spawnSync(bin('jest'), ['-c', 'jest.integration.config.js', ...args], { cwd: root, env: testEnv, stdio: 'inherit' }).status ?? 1;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  // Node 20.19+ is supported for local development; the SDK's notice about Node 22 would bury the report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const env = localStackEnv(process.env, process.arch);
  if (command === 'deploy') return deploy(args, env);
  if (command === 'test') return test(args, env);
  if (command === 'bootstrap') {
    return spawnSync(bin('tsx'), [join(root, 'scripts', 'bootstrap.ts'), '--stage', STAGE, ...args], { env, stdio: 'inherit' }).status ?? 1;
  }
  console.error('usage: tsx scripts/localstack.ts deploy|bootstrap|test [options]');
  return 2;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof LocalStackUnreachableError ? error.message : error);
      process.exit(1);
    },
  );
}
