// Rotates the access-token signing key of a stage:  npm run keys:rotate -- --stage prod
// The new public key is published first, so verifiers know it before anything is signed with it; then the
// secret switches the active key. Tokens signed with the old key verify until they expire (15 min); keys
// retired longer ago than that are dropped. Signers pick up the new key within 5 minutes.
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { secretsManagerClient } from '../functions/shared/clients/secrets-manager';
import { ssmClient } from '../functions/shared/clients/ssm';
import { publicJwks, rotateSigningKeys, signingKeysSchema } from '../functions/users/signing-keys';
import { stageArgs } from './aws-target';

async function main() {
  const { jwksParameter, signingKeysSecret } = stageArgs();
  const { SecretString } = await secretsManagerClient().send(new GetSecretValueCommand({ SecretId: signingKeysSecret }));
  const next = await rotateSigningKeys(signingKeysSchema.parse(JSON.parse(SecretString ?? '')));
  await ssmClient().send(new PutParameterCommand({ Name: jwksParameter, Value: JSON.stringify(publicJwks(next)), Type: 'String', Overwrite: true }));
  // Verifiers reload the JWKS when they meet an unknown kid at most every 5 s: let that window pass first.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  await secretsManagerClient().send(new PutSecretValueCommand({ SecretId: signingKeysSecret, SecretString: JSON.stringify(next) }));
  console.log(`active key is now ${next.activeKid}; keys published: ${next.keys.map((k) => k.kid).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
