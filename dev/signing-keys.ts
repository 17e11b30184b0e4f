// Access-token signing keys for a local stage: generated on first start, kept in .local/keys (git-ignored),
// and put into the local Secrets Manager (private) and SSM (public JWKS) exactly where AWS keeps them: the
// names come from `custom.auth` of the resolved service (serverless.yml).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { initialSigningKeys, publicJwks, signingKeysSchema, type SigningKeys } from '../functions/users/signing-keys';
import type { LocalCloudBootstrap } from '../local-cloud/local-cloud';
import { PROJECT_ROOT } from '../local-cloud/service-definition';

export async function localSigningKeys(stage: string): Promise<SigningKeys> {
  const file = join(PROJECT_ROOT, '.local', 'keys', `${stage}.json`);
  if (existsSync(file)) return signingKeysSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const keys = await initialSigningKeys();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

export function keyDocuments(keys: SigningKeys) {
  return { secret: JSON.stringify(keys), jwks: JSON.stringify(publicJwks(keys)) };
}

/** Where serverless.yml says the keys live: `custom.auth.jwksParameter` (SSM) and `custom.auth.signingKeysSecret`. */
export function keyLocations(service: LocalCloudBootstrap['service']): { jwksParameter: string; signingKeysSecret: string } | undefined {
  const auth = service.custom?.auth as { jwksParameter?: unknown; signingKeysSecret?: unknown } | undefined;
  const { jwksParameter, signingKeysSecret } = auth ?? {};
  return typeof jwksParameter === 'string' && jwksParameter && typeof signingKeysSecret === 'string' && signingKeysSecret
    ? { jwksParameter, signingKeysSecret }
    : undefined;
}

/** Puts the stage's keys into the local cloud's Secrets Manager and SSM, before any function reads them. */
export async function installLocalSigningKeys(cloud: LocalCloudBootstrap): Promise<void> {
  const locations = keyLocations(cloud.service);
  if (!locations) return;
  const documents = keyDocuments(await localSigningKeys(cloud.stage));
  cloud.secretsManager.putSecret(locations.signingKeysSecret, documents.secret);
  cloud.ssm.putParameter(locations.jwksParameter, documents.jwks);
}
