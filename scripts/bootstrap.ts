// One-off setup of a deployed stage, after `osls deploy`:
//   npm run bootstrap -- --stage prod --owner-email you@example.com
// 1. creates the access-token signing keys (Secrets Manager) if they do not exist and publishes their public JWKS
//    (the revocations table's `JWKS` item);
//    and the orders' customer-reference key (Secrets Manager) if it does not exist: never replaced here, since a
//    new key starts new customer refs (docs/orders.md, "Customer reference");
// 2. creates a one-time invitation for the first owner and prints its token once (valid 72 h). The owner
//    registers with it (POST /auth/register); no default password ever exists.
import { CreateSecretCommand, GetSecretValueCommand, ResourceExistsException, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '../functions/shared/clients/dynamodb';
import { secretsManagerClient } from '../functions/shared/clients/secrets-manager';
import { publicKeysItem } from '../functions/shared/public-keys';
import { newCustomerRefKey } from '../functions/orders/customer-ref';
import { initialSigningKeys, publicJwks, signingKeysSchema } from '../functions/users/signing-keys';
import { hashToken, newOpaqueToken } from '../functions/users/tokens';
import { stageArgs } from './aws-target';

async function main() {
  const { values, usersTable, revocationsTable, signingKeysSecret, customerRefKeySecret } = stageArgs({ 'owner-email': { type: 'string' } });
  const ownerEmail = String((values as Record<string, unknown>)['owner-email'] ?? '').trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(ownerEmail)) throw new Error('--owner-email <address> is required');

  let keys;
  try {
    const { SecretString } = await secretsManagerClient().send(new GetSecretValueCommand({ SecretId: signingKeysSecret }));
    keys = signingKeysSchema.parse(JSON.parse(SecretString ?? ''));
    console.log(`signing keys exist (${signingKeysSecret}); left as they are`);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    keys = await initialSigningKeys();
    await secretsManagerClient().send(new CreateSecretCommand({ Name: signingKeysSecret, SecretString: JSON.stringify(keys), Description: 'Brigade access-token signing keys (ES256)' }));
    console.log(`created signing keys in Secrets Manager: ${signingKeysSecret}`);
  }
  await dynamoDb().send(new PutCommand({ TableName: revocationsTable, Item: publicKeysItem(publicJwks(keys)) }));
  console.log(`published public keys to ${revocationsTable} (item JWKS)`);

  try {
    await secretsManagerClient().send(
      new CreateSecretCommand({
        Name: customerRefKeySecret,
        SecretString: JSON.stringify(newCustomerRefKey()),
        Description: 'Brigade customer-reference key (HMAC-SHA-256 of phone numbers and loyalty ids on orders)',
      }),
    );
    console.log(`created the customer-reference key in Secrets Manager: ${customerRefKeySecret}`);
  } catch (error) {
    if (!(error instanceof ResourceExistsException)) throw error;
    console.log(`customer-reference key exists (${customerRefKeySecret}); left as it is`);
  }

  const token = newOpaqueToken();
  const expiresAt = Math.floor(Date.now() / 1000) + 72 * 3600;
  await dynamoDb().send(
    new PutCommand({
      TableName: usersTable,
      Item: { pk: `INVITE#${hashToken(token)}`, sk: 'INVITE', email: ownerEmail, role: 'owner', sites: [], invitedBy: 'bootstrap', status: 'pending', expiresAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  console.log(`\nOwner invitation for ${ownerEmail} (shown once, valid 72 h):\n  ${token}\n`);
  console.log(`Register: POST /auth/register {"inviteToken":"${token}","name":"...","password":"<12+ characters>"}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
