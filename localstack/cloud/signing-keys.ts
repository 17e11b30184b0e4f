// Access-token signing keys for a local stage: generated on first start, kept in .local/keys (git-ignored),
// and put into the local Secrets Manager (private) and SSM (public JWKS) exactly where AWS keeps them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { initialSigningKeys, publicJwks, signingKeysSchema, type SigningKeys } from '../../functions/users/signing-keys';
import { PROJECT_ROOT } from './service-definition';

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
