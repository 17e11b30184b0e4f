// Rotates the access-token signing key of a stage:  npm run keys:rotate -- --stage prod
// The new public key is published first, so verifiers know it before anything is signed with it; then the
// secret switches the active key. Tokens signed with the old key verify until they expire (15 min); keys
// retired longer ago than that are dropped. Signers pick up the new key within 5 minutes.
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '../functions/shared/clients/dynamodb';
import { secretsManagerClient } from '../functions/shared/clients/secrets-manager';
import { publicKeysItem } from '../functions/shared/public-keys';
import { publicJwks, rotateSigningKeys, signingKeysSchema } from '../functions/users/signing-keys';
import { stageArgs } from './aws-target';

async function main() {
  const { revocationsTable, signingKeysSecret } = stageArgs();
  const { SecretString } = await secretsManagerClient().send(new GetSecretValueCommand({ SecretId: signingKeysSecret }));
  const next = await rotateSigningKeys(signingKeysSchema.parse(JSON.parse(SecretString ?? '')));
  await dynamoDb().send(new PutCommand({ TableName: revocationsTable, Item: publicKeysItem(publicJwks(next)) }));
  // Verifiers reload the JWKS when they meet an unknown kid at most every 5 s: let that window pass first.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  await secretsManagerClient().send(new PutSecretValueCommand({ SecretId: signingKeysSecret, SecretString: JSON.stringify(next) }));
  console.log(`active key is now ${next.activeKid}; keys published: ${next.keys.map((k) => k.kid).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
