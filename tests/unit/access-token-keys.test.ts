// Where the token check finds its public keys: the revocations table's JWKS item, read consistently on first use and
// again only when a token names an unknown kid, at most every 5 s (a flood of forged kids costs one read per 5 s).
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { UnauthorizedError } from '../../functions/shared/errors';
import { dynamo } from './fixtures/stub-dynamodb';

jest.mock('../../functions/shared/clients/dynamodb', () => jest.requireActual('./fixtures/stub-dynamodb').stubbedClients);
const { verifyAccessToken } = require('../../functions/shared/access-token') as typeof import('../../functions/shared/access-token');
const { publicKeysItem } = require('../../functions/shared/public-keys') as typeof import('../../functions/shared/public-keys');

const REVOCATIONS_TABLE = 'brigade-test-revocations';
const settings = { issuer: 'brigade-test', audience: 'brigade-test-api', revocationsTable: REVOCATIONS_TABLE };
const published: { keys: JWK[] } = { keys: [] };
const signers = new Map<string, Awaited<ReturnType<typeof generateKeyPair>>['privateKey']>();

async function addKey(kid: string): Promise<void> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  signers.set(kid, privateKey);
  published.keys.push({ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' });
}

const tokenSignedWith = (kid: string) =>
  new SignJWT({ role: 'staff', sites: ['site-1'], sid: 's-1' })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setSubject('u-1')
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(signers.get(kid)!);

const jwksReads = () => dynamo.sent.filter((command) => command instanceof GetCommand);

beforeAll(async () => {
  await addKey('k1');
  dynamo.answer = (command) => {
    if (command instanceof GetCommand) return { Item: publicKeysItem(published) };
    if (command instanceof BatchGetCommand) return { Responses: { [REVOCATIONS_TABLE]: [] } };
    throw new Error(`unexpected ${command.constructor.name}`);
  };
});

afterEach(() => jest.useRealTimers());

it('verifies a token against the JWKS item of the revocations table, read consistently once per container', async () => {
  const token = await tokenSignedWith('k1');
  await expect(verifyAccessToken(token, settings)).resolves.toMatchObject({ userId: 'u-1', sessionId: 's-1' });
  await expect(verifyAccessToken(token, settings)).resolves.toMatchObject({ userId: 'u-1' });
  expect(jwksReads().map((command) => command.input)).toEqual([{ TableName: REVOCATIONS_TABLE, Key: { pk: 'JWKS' }, ConsistentRead: true }]);
});

it('learns a rotated-in key on an unknown kid, reloading at most every 5 s', async () => {
  jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  await addKey('k2');
  const rotated = await tokenSignedWith('k2');
  dynamo.sent.length = 0;
  // Within 5 s of the last load the unknown kid is refused without another read.
  await expect(verifyAccessToken(rotated, settings)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(jwksReads()).toHaveLength(0);
  jest.advanceTimersByTime(5_001);
  await expect(verifyAccessToken(rotated, settings)).resolves.toMatchObject({ userId: 'u-1' });
  expect(jwksReads()).toHaveLength(1);
});
