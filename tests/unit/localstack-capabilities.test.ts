// The LocalStack tier probe (scripts/localstack-capabilities.ts) against a small server that answers as LocalStack
// does: the real SDK clients, a licensed service's modelled answers, an unlicensed one's HTTP 501.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import {
  capabilitiesFromEnv,
  capabilitiesOf,
  lambdaArchitectureFor,
  LocalStackUnreachableError,
  mqttUrlFor,
  probeLocalStack,
  stageApis,
} from '../../scripts/localstack-capabilities';
import { DEFAULT_EDGE, localStackEnv } from '../../scripts/localstack';

type Service = 'apigatewayv2' | 'iot' | 'iotData';

const STAGE_APIS = [
  { apiId: 'h1', name: 'localstack-brigade', protocolType: 'HTTP', apiEndpoint: 'http://h1.execute-api.localhost.localstack.cloud:4566' },
  { apiId: 'w1', name: 'localstack-brigade-websockets', protocolType: 'WEBSOCKET', apiEndpoint: 'ws://localhost:4510' },
];

interface FakeLocalStack {
  endpoint: string;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** Answers the three probe calls; a service not in `licensed` gets LocalStack's 501. */
async function fakeLocalStack(licensed: Service[], apis: object[] = STAGE_APIS): Promise<FakeLocalStack> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const service: Service | undefined =
      path === '/v2/apis' ? 'apigatewayv2' : path === '/endpoint' ? 'iot' : path.startsWith('/things/') ? 'iotData' : undefined;
    const json = (status: number, body: object, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (!service) return json(404, { message: `unexpected ${req.method} ${req.url}` });
    if (!licensed.includes(service)) {
      return json(501, {
        __type: 'InternalFailure',
        message: `The API for service '${service}' is either not included in your current license plan or has not yet been emulated by LocalStack.`,
      });
    }
    if (service === 'apigatewayv2') return json(200, { items: apis });
    if (service === 'iot') return json(200, { endpointAddress: '000000000000.iot.us-east-1.localhost.localstack.cloud:4511' });
    return json(404, { message: 'No shadow exists with name: brigade-capability-probe' }, { 'x-amzn-errortype': 'ResourceNotFoundException' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('probing a LocalStack tier', () => {
  let fake: FakeLocalStack | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('a tier with API Gateway v2, IoT Core and the IoT data plane can run every suite', async () => {
    fake = await fakeLocalStack(['apigatewayv2', 'iot', 'iotData']);
    const report = await probeLocalStack({ endpoint: fake.endpoint, region: 'us-east-1' });
    expect(capabilitiesOf(report, 'localstack')).toEqual({ httpApi: true, websocketApi: true, iot: true, iotData: true });
    expect(stageApis(report, 'localstack').http?.ApiEndpoint).toBe('http://h1.execute-api.localhost.localstack.cloud:4566');
    expect(stageApis(report, 'localstack').websocket?.ApiEndpoint).toBe('ws://localhost:4510');
    expect(report.iot.endpointAddress).toBe('000000000000.iot.us-east-1.localhost.localstack.cloud:4511');
    expect(report.iotData.detail).toMatch(/ResourceNotFoundException.*404/);
    expect(fake.requests.map((r) => r.url)).toEqual(['/v2/apis', '/endpoint?endpointType=iot%3AData-ATS', '/things/brigade-capability-probe/shadow']);
  });

  it('the free tier answers 501 for all three: nothing of Brigade’s APIs or IoT, with LocalStack’s reason', async () => {
    fake = await fakeLocalStack([]);
    const report = await probeLocalStack({ endpoint: fake.endpoint, region: 'us-east-1' });
    expect(capabilitiesOf(report, 'localstack')).toEqual({ httpApi: false, websocketApi: false, iot: false, iotData: false });
    expect(report.apiGatewayV2.detail).toContain('not included in your current license plan');
    expect(report.iot.endpointAddress).toBeUndefined();
  });

  it('a tier with IoT Core but not the data plane skips only what needs shadows', async () => {
    fake = await fakeLocalStack(['apigatewayv2', 'iot']);
    const report = await probeLocalStack({ endpoint: fake.endpoint, region: 'us-east-1' });
    expect(capabilitiesOf(report, 'localstack')).toEqual({ httpApi: true, websocketApi: true, iot: true, iotData: false });
  });

  it('a licensed tier where the stage is not deployed has no HTTP or WebSocket API to test', async () => {
    fake = await fakeLocalStack(['apigatewayv2', 'iot', 'iotData'], [{ apiId: 'x', name: 'dev-other', protocolType: 'HTTP' }]);
    const report = await probeLocalStack({ endpoint: fake.endpoint, region: 'us-east-1' });
    expect(capabilitiesOf(report, 'localstack')).toMatchObject({ httpApi: false, websocketApi: false, iot: true });
  });

  it('no LocalStack at all is an error that says how to start it, not a tier without services', async () => {
    const closed = await fakeLocalStack([]);
    await closed.close();
    await expect(probeLocalStack({ endpoint: closed.endpoint, region: 'us-east-1' })).rejects.toThrow(LocalStackUnreachableError);
    await expect(probeLocalStack({ endpoint: closed.endpoint, region: 'us-east-1' })).rejects.toThrow(/docker compose up -d/);
  });
});

describe('what the deploy and the tests are given', () => {
  it('the MQTT URL keeps the broker’s port from the external range and reaches it on the edge’s host', () => {
    expect(mqttUrlFor('000000000000.iot.us-east-1.localhost.localstack.cloud:4511', 'http://127.0.0.1:4566')).toBe('mqtt://127.0.0.1:4511');
    expect(() => mqttUrlFor('000000000000.iot.us-east-1.localhost.localstack.cloud', 'http://127.0.0.1:4566')).toThrow(/names no port/);
  });

  it('functions are built for the host’s architecture', () => {
    expect(lambdaArchitectureFor('arm64')).toBe('arm64');
    expect(lambdaArchitectureFor('x64')).toBe('x86_64');
  });

  it('the deploy environment: test keys only, no profile, the host’s architecture unless set, the functions’ own endpoint', () => {
    const env = localStackEnv({ AWS_PROFILE: 'prod', AWS_SESSION_TOKEN: 't', AWS_ACCESS_KEY_ID: 'AKIAREAL', IOT_DATA_ENDPOINT: 'x-ats.iot.eu-west-1.amazonaws.com' }, 'arm64');
    expect(env).toMatchObject({ AWS_ENDPOINT_URL: DEFAULT_EDGE, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', BRIGADE_LAMBDA_ARCHITECTURE: 'arm64', IOT_DATA_ENDPOINT: '' });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(localStackEnv({ BRIGADE_LAMBDA_ARCHITECTURE: 'x86_64', AWS_REGION: 'eu-west-1' }, 'arm64')).toMatchObject({ BRIGADE_LAMBDA_ARCHITECTURE: 'x86_64', AWS_REGION: 'eu-west-1' });
    expect(localStackEnv({ AWS_ENDPOINT_URL: 'http://localhost:4566' }, 'x64')).toMatchObject({ AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566' });
  });

  it('the deployer’s S3 client (the one osls uses) uploads path-style, even with the edge given as localhost', async () => {
    const fromOsls = createRequire(require.resolve('osls/package.json'));
    const { S3Client, PutObjectCommand } = fromOsls('@aws-sdk/client-s3');
    const seen: Array<{ host?: string; url?: string }> = [];
    const server = createServer((req, res) => {
      seen.push({ host: req.headers.host, url: req.url });
      req.resume().on('end', () => res.writeHead(200, { etag: '"e"' }).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // What osls builds: region and credentials, the endpoint only from the environment (no forcePathStyle).
      const previous = { ...process.env };
      const env = localStackEnv({ AWS_ENDPOINT_URL: `http://localhost:${port}` }, process.arch);
      Object.assign(process.env, { AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3: env.AWS_ENDPOINT_URL_S3 });
      const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      try {
        await s3.send(new PutObjectCommand({ Bucket: 'brigade-localstack-deployment', Key: 'serverless/brigade/a.zip', Body: 'zip' }));
      } finally {
        s3.destroy();
        process.env = previous;
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(seen).toEqual([{ host: `127.0.0.1:${port}`, url: '/brigade-localstack-deployment/serverless/brigade/a.zip?x-id=PutObject' }]);
  });
});

describe('BRIGADE_CAPABILITIES', () => {
  it('unset (the local cloud, AWS) means everything runs', () => {
    expect(capabilitiesFromEnv(undefined)).toEqual({ httpApi: true, websocketApi: true, iot: true, iotData: true });
  });

  it('as the probe writes it, and refuses a partial value rather than guessing', () => {
    const written = JSON.stringify({ httpApi: true, websocketApi: true, iot: true, iotData: false });
    expect(capabilitiesFromEnv(written)).toEqual({ httpApi: true, websocketApi: true, iot: true, iotData: false });
    expect(() => capabilitiesFromEnv('{"httpApi":true}')).toThrow(/no boolean "websocketApi"/);
  });
});
