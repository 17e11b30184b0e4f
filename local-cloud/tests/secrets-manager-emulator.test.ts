// The Secrets Manager emulator (CreateSecret, GetSecretValue, PutSecretValue), driven by the real SDK client.
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
  type GetSecretValueCommandInput,
} from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerEmulator, type SecretsManagerEmulator } from '../secrets-manager';
import { rejectionOf, serveEmulator, type TestServer } from './support/emulator-server';

const ARN = /^arn:aws:secretsmanager:us-east-1:000000000000:secret:(.+)-[A-Za-z0-9]{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let emulator: SecretsManagerEmulator;
let server: TestServer;
let baseUrl: string;
let secrets: SecretsManagerClient;

beforeAll(async () => {
  // Delegates to whichever emulator the test set up: each test starts with an empty one.
  server = await serveEmulator(() => emulator, 'secrets manager');
  baseUrl = server.baseUrl;
  secrets = new SecretsManagerClient({
    endpoint: baseUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

beforeEach(() => {
  emulator = createSecretsManagerEmulator();
});

afterAll(async () => {
  secrets.destroy();
  await server.close();
});

/** The rejection of `promise`, so tests can assert on the SDK's exception classes. */
const rejection = (promise: Promise<unknown>) => rejectionOf<SecretsManagerServiceException>(promise);

function create(Name: string, SecretString?: string, extra: { Description?: string; ClientRequestToken?: string } = {}) {
  return secrets.send(new CreateSecretCommand({ Name, SecretString, ...extra }));
}

function getValue(SecretId: string, options: Omit<GetSecretValueCommandInput, 'SecretId'> = {}) {
  return secrets.send(new GetSecretValueCommand({ SecretId, ...options }));
}

function putValue(SecretId: string, SecretString: string, extra: { ClientRequestToken?: string; VersionStages?: string[] } = {}) {
  return secrets.send(new PutSecretValueCommand({ SecretId, SecretString, ...extra }));
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

describe('CreateSecret and GetSecretValue', () => {
  it('creates a secret with an AWS-style ARN and reads it back as AWSCURRENT', async () => {
    const created = await create('brigade/db', '{"user":"app","password":"pw"}', { Description: 'database login' });
    expect(created.ARN).toMatch(ARN);
    expect(created.ARN!.match(ARN)![1]).toBe('brigade/db');
    expect(created.VersionId).toMatch(UUID);

    expect(await getValue('brigade/db')).toEqual(
      expect.objectContaining({
        ARN: created.ARN,
        Name: 'brigade/db',
        VersionId: created.VersionId,
        SecretString: '{"user":"app","password":"pw"}',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: expect.any(Date),
      }),
    );
  });

  it('finds a secret by full ARN and by the ARN without its random suffix', async () => {
    const { ARN: arn } = await create('brigade/by-arn', 'value');
    expect((await getValue(arn!)).SecretString).toBe('value');
    expect((await getValue(arn!.slice(0, -7))).SecretString).toBe('value');
  });

  it('gives two secrets of the same name in two stacks different ARN suffixes', async () => {
    const first = await create('brigade/suffix', 'a');
    emulator = createSecretsManagerEmulator();
    const second = await create('brigade/suffix', 'b');
    expect(first.ARN).not.toBe(second.ARN);
  });

  it('stores binary secrets as bytes', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await secrets.send(new CreateSecretCommand({ Name: 'brigade/cert', SecretBinary: bytes }));
    const value = await getValue('brigade/cert');
    expect(value.SecretString).toBeUndefined();
    expect(Buffer.from(value.SecretBinary!)).toEqual(Buffer.from(bytes));
  });

  it('refuses a second secret with the same name, but answers a retry with the same token', async () => {
    const token = 'a1b2c3d4-0000-4000-8000-000000000001';
    const first = await create('brigade/dup', 'one', { ClientRequestToken: token });
    expect(first.VersionId).toBe(token);
    expect(await create('brigade/dup', 'one', { ClientRequestToken: token })).toMatchObject({ ARN: first.ARN, VersionId: token });

    const error = await rejection(create('brigade/dup', 'two'));
    expect(error).toBeInstanceOf(ResourceExistsException);
    expect(error.message).toContain('brigade/dup');
    expect((await getValue('brigade/dup')).SecretString).toBe('one');
  });

  it('validates the name and refuses a string and a binary value together', async () => {
    expect((await rejection(create('bad name', 'x'))).name).toBe('ValidationException');
    const both = await rejection(
      secrets.send(new CreateSecretCommand({ Name: 'brigade/both', SecretString: 'x', SecretBinary: new Uint8Array([1]) })),
    );
    expect(both).toBeInstanceOf(InvalidParameterException);
  });

  it('creates a secret without a value, which has nothing to read until one is put', async () => {
    const created = await create('brigade/empty');
    expect(created.VersionId).toBeUndefined();
    expect(await rejection(getValue('brigade/empty'))).toBeInstanceOf(ResourceNotFoundException);

    await putValue('brigade/empty', 'now set');
    expect((await getValue('brigade/empty')).VersionStages).toEqual(['AWSCURRENT']);
  });

  it('answers ResourceNotFoundException for a missing secret', async () => {
    const error = await rejection(getValue('brigade/missing'));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe("Secrets Manager can't find the specified secret.");
  });
});

describe('PutSecretValue and version stages', () => {
  it('makes the new version AWSCURRENT and the replaced one AWSPREVIOUS', async () => {
    const v1 = await create('brigade/jwt', 'key-1');
    const v2 = await putValue('brigade/jwt', 'key-2');
    expect(v2).toMatchObject({ Name: 'brigade/jwt', VersionStages: ['AWSCURRENT'] });
    expect(v2.VersionId).not.toBe(v1.VersionId);

    expect(await getValue('brigade/jwt')).toMatchObject({ SecretString: 'key-2', VersionId: v2.VersionId });
    expect(await getValue('brigade/jwt', { VersionStage: 'AWSPREVIOUS' })).toMatchObject({
      SecretString: 'key-1',
      VersionId: v1.VersionId,
      VersionStages: ['AWSPREVIOUS'],
    });

    // A third value deprecates the first: no labels left, still readable by VersionId.
    const v3 = await putValue('brigade/jwt', 'key-3');
    expect(await getValue('brigade/jwt')).toMatchObject({ VersionId: v3.VersionId, VersionStages: ['AWSCURRENT'] });
    expect(await getValue('brigade/jwt', { VersionStage: 'AWSPREVIOUS' })).toMatchObject({ VersionId: v2.VersionId });
    const deprecated = await getValue('brigade/jwt', { VersionId: v1.VersionId });
    expect(deprecated).toMatchObject({ SecretString: 'key-1', VersionStages: [] });
  });

  it('is idempotent for a repeated token and refuses to change an existing version', async () => {
    await create('brigade/idem', 'a');
    const token = 'a1b2c3d4-0000-4000-8000-000000000002';
    const first = await putValue('brigade/idem', 'b', { ClientRequestToken: token });
    const again = await putValue('brigade/idem', 'b', { ClientRequestToken: token });
    expect(again.VersionId).toBe(first.VersionId);
    expect((await getValue('brigade/idem', { VersionStage: 'AWSPREVIOUS' })).SecretString).toBe('a');

    expect(await rejection(putValue('brigade/idem', 'c', { ClientRequestToken: token }))).toBeInstanceOf(ResourceExistsException);
  });

  it('attaches custom stages without moving AWSCURRENT', async () => {
    await create('brigade/rotation', 'current');
    const pending = await putValue('brigade/rotation', 'pending', { VersionStages: ['AWSPENDING'] });
    expect((await getValue('brigade/rotation')).SecretString).toBe('current');
    expect(await getValue('brigade/rotation', { VersionStage: 'AWSPENDING' })).toMatchObject({ VersionId: pending.VersionId });
  });

  it('requires a value and an existing secret', async () => {
    await create('brigade/novalue', 'x');
    const noValue = await rejection(secrets.send(new PutSecretValueCommand({ SecretId: 'brigade/novalue' })));
    expect(noValue).toBeInstanceOf(InvalidRequestException);
    expect(await rejection(putValue('brigade/nobody', 'x'))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('reports missing stages and versions as ResourceNotFoundException', async () => {
    await create('brigade/single', 'only');
    const previous = await rejection(getValue('brigade/single', { VersionStage: 'AWSPREVIOUS' }));
    expect(previous).toBeInstanceOf(ResourceNotFoundException);
    const unknown = await rejection(getValue('brigade/single', { VersionId: 'a1b2c3d4-0000-4000-8000-00000000dead' }));
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('programmatic access', () => {
  it('creates a secret, then adds versions the API sees', async () => {
    emulator.putSecret('seeded/api-key', 'k1');
    const first = await getValue('seeded/api-key');
    expect(first).toMatchObject({ SecretString: 'k1', VersionStages: ['AWSCURRENT'], ARN: expect.stringMatching(ARN) });

    emulator.putSecret('seeded/api-key', 'k2');
    expect((await getValue('seeded/api-key')).SecretString).toBe('k2');
    expect(await getValue('seeded/api-key', { VersionStage: 'AWSPREVIOUS' })).toMatchObject({ VersionId: first.VersionId });
  });

  it('reads what the API wrote', async () => {
    await create('api/written', 'by-sdk');
    expect(emulator.getSecret('api/written')).toBe('by-sdk');
    expect(emulator.getSecret('api/missing')).toBeUndefined();
  });
});

describe('the edge contract', () => {
  it('claims only secretsmanager targets', async () => {
    for (const target of ['DynamoDB_20120810.ListTables', 'AmazonSSM.GetParameter', '']) {
      expect(await postRaw(target, '{}')).toEqual({ status: 404, json: 'not handled by secrets manager' });
    }
  });

  it('answers unknown actions and malformed bodies with awsJson errors', async () => {
    expect(await postRaw('secretsmanager.RotateSecret', '{}')).toEqual({
      status: 400,
      json: { __type: 'UnknownOperationException', Message: expect.any(String) },
    });
    const errorType = async (body: string) => {
      const { status, json } = await postRaw('secretsmanager.GetSecretValue', body);
      return [status, (json as { __type: string }).__type];
    };
    expect(await errorType('[]')).toEqual([400, 'SerializationException']);
    expect(await errorType('{}')).toEqual([400, 'ValidationException']);
  });
});
