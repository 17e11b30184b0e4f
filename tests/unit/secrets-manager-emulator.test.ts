import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  paginateListSecrets,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  type GetSecretValueCommandInput,
  type ListSecretsCommandInput,
} from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerEmulator, type SecretsManagerEmulator } from '../../localstack/cloud/secrets-manager';
import { rejectionOf, serveEmulator, type TestServer } from './support/emulator-server';

const ARN = /^arn:aws:secretsmanager:us-east-1:000000000000:secret:(.+)-[A-Za-z0-9]{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

let emulator: SecretsManagerEmulator;
let server: TestServer;
let baseUrl: string;
let secrets: SecretsManagerClient;
let tempDir: string;

beforeAll(async () => {
  // Delegates to whichever emulator the test set up, so persistence tests can swap in a reloaded one.
  server = await serveEmulator(() => emulator, 'secrets manager');
  baseUrl = server.baseUrl;
  secrets = new SecretsManagerClient({
    endpoint: baseUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  tempDir = mkdtempSync(join(tmpdir(), 'secrets-manager-emulator-'));
});

beforeEach(() => {
  emulator = createSecretsManagerEmulator();
});

afterEach(() => {
  jest.restoreAllMocks();
});

afterAll(async () => {
  secrets.destroy();
  await server.close();
  rmSync(tempDir, { recursive: true, force: true });
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

    // A third value deprecates the first: no labels, no longer described, still readable by VersionId.
    const v3 = await putValue('brigade/jwt', 'key-3');
    const { VersionIdsToStages } = await secrets.send(new DescribeSecretCommand({ SecretId: 'brigade/jwt' }));
    expect(VersionIdsToStages).toEqual({ [v2.VersionId!]: ['AWSPREVIOUS'], [v3.VersionId!]: ['AWSCURRENT'] });
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

describe('DescribeSecret', () => {
  it('describes the secret without its value', async () => {
    const created = await secrets.send(
      new CreateSecretCommand({
        Name: 'brigade/described',
        SecretString: 's',
        Description: 'for tests',
        Tags: [{ Key: 'team', Value: 'kitchen' }],
      }),
    );
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: created.ARN }));
    expect(described).toEqual(
      expect.objectContaining({
        ARN: created.ARN,
        Name: 'brigade/described',
        Description: 'for tests',
        RotationEnabled: false,
        Tags: [{ Key: 'team', Value: 'kitchen' }],
        VersionIdsToStages: { [created.VersionId!]: ['AWSCURRENT'] },
        CreatedDate: expect.any(Date),
        LastChangedDate: expect.any(Date),
      }),
    );
    expect(described).not.toHaveProperty('SecretString');
    expect(described.DeletedDate).toBeUndefined();
  });
});

describe('DeleteSecret and RestoreSecret', () => {
  it('schedules deletion with a recovery window, hiding the value until restored', async () => {
    await create('brigade/soft', 'keep me');
    const before = Date.now();
    const deleted = await secrets.send(new DeleteSecretCommand({ SecretId: 'brigade/soft', RecoveryWindowInDays: 7 }));
    expect(deleted.Name).toBe('brigade/soft');
    expect(deleted.DeletionDate!.getTime()).toBeGreaterThanOrEqual(before + 7 * DAY_MS - 1000);

    expect(await rejection(getValue('brigade/soft'))).toBeInstanceOf(InvalidRequestException);
    expect(await rejection(putValue('brigade/soft', 'x'))).toBeInstanceOf(InvalidRequestException);
    expect(await rejection(create('brigade/soft', 'again'))).toBeInstanceOf(InvalidRequestException);
    expect((await secrets.send(new DescribeSecretCommand({ SecretId: 'brigade/soft' }))).DeletedDate).toEqual(expect.any(Date));
    expect(emulator.getSecret('brigade/soft')).toBeUndefined();

    expect(await secrets.send(new RestoreSecretCommand({ SecretId: 'brigade/soft' }))).toMatchObject({ Name: 'brigade/soft' });
    expect((await getValue('brigade/soft')).SecretString).toBe('keep me');
  });

  it('purges a secret once its recovery window has passed', async () => {
    await create('brigade/expiring', 'x');
    await secrets.send(new DeleteSecretCommand({ SecretId: 'brigade/expiring', RecoveryWindowInDays: 7 }));
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 8 * DAY_MS);
    expect(emulator.getSecret('brigade/expiring')).toBeUndefined();
    jest.restoreAllMocks();

    expect(await rejection(secrets.send(new DescribeSecretCommand({ SecretId: 'brigade/expiring' })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect((await create('brigade/expiring', 'reborn')).Name).toBe('brigade/expiring');
  });

  it('force-deletes at once, also when there is nothing to delete', async () => {
    await create('brigade/hard', 'x');
    await secrets.send(new DeleteSecretCommand({ SecretId: 'brigade/hard', ForceDeleteWithoutRecovery: true }));
    expect(await rejection(getValue('brigade/hard'))).toBeInstanceOf(ResourceNotFoundException);
    expect((await create('brigade/hard', 'again')).Name).toBe('brigade/hard');

    const missing = await secrets.send(new DeleteSecretCommand({ SecretId: 'brigade/never', ForceDeleteWithoutRecovery: true }));
    expect(missing.DeletionDate).toEqual(expect.any(Date));
  });

  it('validates the deletion options', async () => {
    await create('brigade/options', 'x');
    const both = new DeleteSecretCommand({
      SecretId: 'brigade/options',
      ForceDeleteWithoutRecovery: true,
      RecoveryWindowInDays: 7,
    });
    expect(await rejection(secrets.send(both))).toBeInstanceOf(InvalidParameterException);
    const short = new DeleteSecretCommand({ SecretId: 'brigade/options', RecoveryWindowInDays: 3 });
    expect(await rejection(secrets.send(short))).toBeInstanceOf(InvalidParameterException);
    const missing = new DeleteSecretCommand({ SecretId: 'brigade/nothing' });
    expect(await rejection(secrets.send(missing))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('ListSecrets', () => {
  beforeEach(async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '1', Tags: [{ Key: 'tier', Value: 'data' }] }));
    await secrets.send(new CreateSecretCommand({ Name: 'app/jwt', SecretString: '2', Description: 'Signing key' }));
    await secrets.send(new CreateSecretCommand({ Name: 'ops/pager', SecretString: '3' }));
  });

  async function names(input: ListSecretsCommandInput): Promise<string[]> {
    const { SecretList } = await secrets.send(new ListSecretsCommand(input));
    return SecretList!.map((s) => s.Name!);
  }

  it('lists secrets in creation order with their version stages', async () => {
    const { SecretList } = await secrets.send(new ListSecretsCommand({}));
    expect(SecretList?.map((s) => s.Name)).toEqual(['app/db', 'app/jwt', 'ops/pager']);
    expect(SecretList?.[0]).toMatchObject({ ARN: expect.stringMatching(ARN), SecretVersionsToStages: expect.any(Object) });
    expect(Object.values(SecretList![0]!.SecretVersionsToStages!)).toEqual([['AWSCURRENT']]);
    expect(await names({ SortOrder: 'desc' })).toEqual(['ops/pager', 'app/jwt', 'app/db']);
  });

  it('filters by name, description and tags', async () => {
    expect(await names({ Filters: [{ Key: 'name', Values: ['app/'] }] })).toEqual(['app/db', 'app/jwt']);
    expect(await names({ Filters: [{ Key: 'name', Values: ['!app/'] }] })).toEqual(['ops/pager']);
    expect(await names({ Filters: [{ Key: 'description', Values: ['signing'] }] })).toEqual(['app/jwt']);
    expect(await names({ Filters: [{ Key: 'tag-key', Values: ['tier'] }] })).toEqual(['app/db']);
    expect(await names({ Filters: [{ Key: 'all', Values: ['DATA'] }] })).toEqual(['app/db']);
  });

  it('leaves out secrets scheduled for deletion unless asked', async () => {
    await secrets.send(new DeleteSecretCommand({ SecretId: 'ops/pager' }));
    expect(await names({})).toEqual(['app/db', 'app/jwt']);
    expect(await names({ IncludePlannedDeletion: true })).toEqual(['app/db', 'app/jwt', 'ops/pager']);
  });

  it('pages with MaxResults and NextToken', async () => {
    const pages: string[][] = [];
    for await (const page of paginateListSecrets({ client: secrets, pageSize: 2 }, {})) {
      pages.push(page.SecretList!.map((s) => s.Name!));
    }
    expect(pages).toEqual([['app/db', 'app/jwt'], ['ops/pager']]);
    const badToken = await rejection(secrets.send(new ListSecretsCommand({ NextToken: 'garbage' })));
    expect(badToken).toBeInstanceOf(InvalidNextTokenException);
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

describe('persistence', () => {
  it('keeps secrets, ARNs, versions and pending deletions across restarts', async () => {
    const dataFile = join(tempDir, 'secrets.json');
    emulator = createSecretsManagerEmulator({ dataFile });
    const created = await create('persist/db', 'old');
    const current = await putValue('persist/db', 'new');
    await create('persist/doomed', 'x');
    await secrets.send(new DeleteSecretCommand({ SecretId: 'persist/doomed', RecoveryWindowInDays: 7 }));

    emulator = createSecretsManagerEmulator({ dataFile });
    expect(await getValue('persist/db')).toMatchObject({ ARN: created.ARN, SecretString: 'new', VersionId: current.VersionId });
    expect(await getValue(created.ARN!, { VersionStage: 'AWSPREVIOUS' })).toMatchObject({ SecretString: 'old' });
    expect(await rejection(getValue('persist/doomed'))).toBeInstanceOf(InvalidRequestException);

    await secrets.send(new RestoreSecretCommand({ SecretId: 'persist/doomed' }));
    emulator = createSecretsManagerEmulator({ dataFile });
    expect(emulator.getSecret('persist/doomed')).toBe('x');
  });
});
