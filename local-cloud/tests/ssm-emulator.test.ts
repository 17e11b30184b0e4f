// The SSM emulator (PutParameter, GetParameter, GetParameters), driven by the real @aws-sdk/client-ssm.
import {
  GetParameterCommand,
  GetParametersCommand,
  HierarchyLevelLimitExceededException,
  ParameterAlreadyExists,
  ParameterNotFound,
  ParameterPatternMismatchException,
  ParameterVersionNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
  type Parameter,
} from '@aws-sdk/client-ssm';
import { createSsmEmulator, type SsmEmulator } from '../ssm';
import { rejectionOf, serveEmulator, type TestServer } from './support/emulator-server';

let emulator: SsmEmulator;
let server: TestServer;
let baseUrl: string;
let ssm: SSMClient;

beforeAll(async () => {
  // Delegates to whichever emulator the test set up: each test starts with an empty one.
  server = await serveEmulator(() => emulator);
  baseUrl = server.baseUrl;
  ssm = new SSMClient({
    endpoint: baseUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

beforeEach(() => {
  emulator = createSsmEmulator();
});

afterAll(async () => {
  ssm.destroy();
  await server.close();
});

/** The rejection of `promise`, so tests can assert on the SDK's exception classes. */
const rejection = (promise: Promise<unknown>) => rejectionOf<SSMServiceException>(promise);

function put(Name: string, Value: string, Type: 'String' | 'StringList' | 'SecureString' = 'String', Overwrite = false) {
  return ssm.send(new PutParameterCommand({ Name, Value, Type, Overwrite }));
}

async function get(Name: string, WithDecryption = false): Promise<Parameter> {
  const { Parameter } = await ssm.send(new GetParameterCommand({ Name, WithDecryption }));
  return Parameter!;
}

async function postRaw(target: string, body: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(baseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: text.startsWith('{') ? JSON.parse(text) : text };
}

describe('PutParameter and GetParameter', () => {
  it('stores a String parameter and returns it in the AWS shape', async () => {
    const before = Date.now();
    expect(await put('/brigade/api/url', 'https://api.local')).toMatchObject({ Version: 1, Tier: 'Standard' });

    const parameter = await get('/brigade/api/url');
    expect(parameter).toEqual({
      Name: '/brigade/api/url',
      Type: 'String',
      Value: 'https://api.local',
      Version: 1,
      LastModifiedDate: expect.any(Date),
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/brigade/api/url',
      DataType: 'text',
    });
    expect(parameter.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(before - 1);
  });

  it('refuses to replace a parameter without Overwrite, and versions each overwrite', async () => {
    await put('/brigade/flag', 'on');
    const error = await rejection(put('/brigade/flag', 'off'));
    expect(error).toBeInstanceOf(ParameterAlreadyExists);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect((await get('/brigade/flag')).Value).toBe('on');

    // The type may be left out on overwrite: the existing one carries over.
    const overwritten = await ssm.send(new PutParameterCommand({ Name: '/brigade/flag', Value: 'off', Overwrite: true }));
    expect(overwritten.Version).toBe(2);
    expect(await get('/brigade/flag')).toMatchObject({ Value: 'off', Version: 2, Type: 'String' });
  });

  it('requires a type for a new parameter', async () => {
    const error = await rejection(ssm.send(new PutParameterCommand({ Name: '/brigade/untyped', Value: 'x' })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/type is required/);
  });

  it('hides SecureString values unless WithDecryption is set', async () => {
    await put('/brigade/db/password', 'hunter2', 'SecureString');

    const hidden = await get('/brigade/db/password');
    expect(hidden.Type).toBe('SecureString');
    expect(hidden.Value).not.toContain('hunter2');
    expect((await get('/brigade/db/password', true)).Value).toBe('hunter2');
  });

  it('rejects a KeyId on a parameter that is not a SecureString', async () => {
    const error = await rejection(
      ssm.send(new PutParameterCommand({ Name: '/brigade/plain', Value: 'x', Type: 'String', KeyId: 'alias/custom' })),
    );
    expect(error.name).toBe('ValidationException');
  });

  it('keeps StringList values as the comma-separated text AWS stores', async () => {
    await put('/brigade/origins', 'https://a.example,https://b.example', 'StringList');
    expect(await get('/brigade/origins')).toMatchObject({ Type: 'StringList', Value: 'https://a.example,https://b.example' });
  });

  it('answers ParameterNotFound for a missing parameter', async () => {
    const error = await rejection(get('/brigade/missing'));
    expect(error).toBeInstanceOf(ParameterNotFound);
    expect(error.message).toContain('/brigade/missing');
  });

  it('resolves parameters by ARN, including names without a leading slash', async () => {
    await put('/brigade/by-arn', 'hierarchical');
    await put('flat-name', 'flat');
    expect((await get('arn:aws:ssm:us-east-1:000000000000:parameter/brigade/by-arn')).Value).toBe('hierarchical');
    expect(await get('arn:aws:ssm:us-east-1:000000000000:parameter/flat-name')).toMatchObject({
      Name: 'flat-name',
      Value: 'flat',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/flat-name',
    });
    expect(await rejection(get('arn:aws:ssm:eu-west-1:000000000000:parameter/brigade/by-arn'))).toBeInstanceOf(ParameterNotFound);
  });

  it('reads earlier versions with a name:version selector', async () => {
    await put('/brigade/rotating', 'v1');
    await put('/brigade/rotating', 'v2', 'String', true);

    expect(await get('/brigade/rotating:1')).toMatchObject({
      Name: '/brigade/rotating',
      Value: 'v1',
      Version: 1,
      Selector: ':1',
    });
    expect((await get('/brigade/rotating')).Value).toBe('v2');
    expect(await rejection(get('/brigade/rotating:3'))).toBeInstanceOf(ParameterVersionNotFound);
    expect(await rejection(get('/brigade/rotating:some-label'))).toBeInstanceOf(ParameterVersionNotFound);
  });

  it('keeps the latest 100 versions, like AWS', async () => {
    for (let i = 1; i <= 101; i++) emulator.putParameter('/brigade/busy', `v${i}`);
    expect((await get('/brigade/busy')).Version).toBe(101);
    expect(await rejection(get('/brigade/busy:1'))).toBeInstanceOf(ParameterVersionNotFound);
    expect((await get('/brigade/busy:2')).Value).toBe('v2');
  });

  it('validates names as AWS does', async () => {
    for (const name of ['aws-config', '/ssm/x', 'has space', 'relative/path', '/trailing/']) {
      expect((await rejection(put(name, 'x'))).name).toBe('ValidationException');
    }
    const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`;
    expect(await rejection(put(deep, 'x'))).toBeInstanceOf(HierarchyLevelLimitExceededException);
  });

  it('rejects empty values and values over the tier limit', async () => {
    expect((await rejection(put('/brigade/empty', ''))).name).toBe('ValidationException');
    expect((await rejection(put('/brigade/big', 'x'.repeat(4097)))).name).toBe('ValidationException');

    const big = await ssm.send(
      new PutParameterCommand({ Name: '/brigade/big', Value: 'x'.repeat(4097), Type: 'String', Tier: 'Intelligent-Tiering' }),
    );
    expect(big.Tier).toBe('Advanced');
  });

  it('enforces AllowedPattern on the value, also on later overwrites', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/brigade/port', Value: '8080', Type: 'String', AllowedPattern: '^\\d+$' }));
    expect(await rejection(put('/brigade/port', 'eighty', 'String', true))).toBeInstanceOf(ParameterPatternMismatchException);
    expect((await get('/brigade/port')).Value).toBe('8080');
  });
});

describe('GetParameters', () => {
  it('returns the parameters found and lists the others as invalid', async () => {
    await put('/brigade/a', '1');
    await put('/brigade/b', '2', 'SecureString');

    const result = await ssm.send(
      new GetParametersCommand({ Names: ['/brigade/a', '/brigade/b', '/brigade/nope', '/brigade/a:9'], WithDecryption: true }),
    );
    expect(result.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      ['/brigade/a', '1'],
      ['/brigade/b', '2'],
    ]);
    expect(result.InvalidParameters).toEqual(['/brigade/nope', '/brigade/a:9']);
  });

  it('rejects more than 10 names', async () => {
    const Names = Array.from({ length: 11 }, (_, i) => `/brigade/n${i}`);
    expect((await rejection(ssm.send(new GetParametersCommand({ Names })))).name).toBe('ValidationException');
  });
});

describe('programmatic access', () => {
  it('shares one store with the API', async () => {
    emulator.putParameter('/seeded/secret', 'seed', 'SecureString');
    expect(await get('/seeded/secret', true)).toMatchObject({ Type: 'SecureString', Value: 'seed', Version: 1 });

    // An overwrite without a type keeps the SecureString type.
    emulator.putParameter('/seeded/secret', 'seed-2');
    expect(await get('/seeded/secret')).toMatchObject({ Type: 'SecureString', Version: 2 });

    await put('/api/written', 'by-sdk');
    expect(emulator.getParameter('/api/written')).toBe('by-sdk');
    expect(emulator.getParameter('/api/missing')).toBeUndefined();
  });

  it('defaults new parameters to String', async () => {
    emulator.putParameter('/seeded/plain', 'p');
    expect((await get('/seeded/plain')).Type).toBe('String');
  });
});

describe('the edge contract', () => {
  it('claims only AmazonSSM targets', async () => {
    for (const target of ['DynamoDB_20120810.ListTables', 'secretsmanager.GetSecretValue', '']) {
      expect(await postRaw(target, '{}')).toEqual({ status: 404, json: 'not handled by ssm' });
    }
    const get = await fetch(baseUrl, { headers: { 'x-amz-target': 'AmazonSSM.GetParameter' } });
    expect(get.status).toBe(404);
  });

  it('answers unknown actions and malformed bodies with awsJson errors', async () => {
    const unknown = await postRaw('AmazonSSM.SendCommand', '{}');
    expect(unknown).toEqual({ status: 400, json: { __type: 'UnknownOperationException', message: expect.any(String) } });
    const errorType = async (body: string) => {
      const { status, json } = await postRaw('AmazonSSM.GetParameter', body);
      return [status, (json as { __type: string }).__type];
    };
    expect(await errorType('{not json')).toEqual([400, 'SerializationException']);
    expect(await errorType('{"Name": 42}')).toEqual([400, 'SerializationException']);
    expect(await errorType('{}')).toEqual([400, 'ValidationException']);
  });
});
