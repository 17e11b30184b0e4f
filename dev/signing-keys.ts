// Access-token signing keys for a local stage: generated on first start, kept in .local/keys (git-ignored),
// and put where AWS keeps them: the private keys into the local Secrets Manager, the public JWKS into the
// revocations table (functions/shared/public-keys.ts). The names come from `custom.auth` of the resolved service
// (serverless.yml).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { publicKeysItem } from '../functions/shared/public-keys';
import { initialSigningKeys, publicJwks, signingKeysSchema, type SigningKeys } from '../functions/users/signing-keys';
import type { LocalCloudBootstrap } from '../local-cloud/local-cloud';
import { PROJECT_ROOT } from '../local-cloud/service-definition';
import { localClientConfig } from './client-config';

export async function localSigningKeys(stage: string): Promise<SigningKeys> {
  const file = join(PROJECT_ROOT, '.local', 'keys', `${stage}.json`);
  if (existsSync(file)) return signingKeysSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const keys = await initialSigningKeys();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** Where serverless.yml says the keys live: `custom.auth.signingKeysSecret` and `custom.auth.revocationsTable` (JWKS). */
export function keyLocations(service: LocalCloudBootstrap['service']): { revocationsTable: string; signingKeysSecret: string } | undefined {
  const auth = service.custom?.auth as { revocationsTable?: unknown; signingKeysSecret?: unknown } | undefined;
  const { revocationsTable, signingKeysSecret } = auth ?? {};
  return typeof revocationsTable === 'string' && revocationsTable && typeof signingKeysSecret === 'string' && signingKeysSecret
    ? { revocationsTable, signingKeysSecret }
    : undefined;
}

/**
 * Puts the stage's keys into the local cloud's Secrets Manager and revocations table. Runs as the cloud's
 * `beforeFunctions`: the tables exist by then and no function has read the keys yet.
 */
export async function installLocalSigningKeys(cloud: LocalCloudBootstrap): Promise<void> {
  const locations = keyLocations(cloud.service);
  if (!locations) return;
  const keys = await localSigningKeys(cloud.stage);
  cloud.secretsManager.putSecret(locations.signingKeysSecret, JSON.stringify(keys));
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(cloud.env, 'DYNAMODB')));
  try {
    await db.send(new PutCommand({ TableName: locations.revocationsTable, Item: publicKeysItem(publicJwks(keys)) }));
  } finally {
    db.destroy();
  }
}
