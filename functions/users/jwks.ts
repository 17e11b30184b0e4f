import { accessTokenSettingsFromEnv } from '#shared/access-token';
import { readPublicKeys } from '#shared/public-keys';
import { publicRoute } from './policies';

// The table the token check reads its keys from; not the users config, whose store would bundle the SNS client.
const { revocationsTable } = accessTokenSettingsFromEnv();

// Public keys only (the item never holds private material); cacheable for five minutes.
export const handler = publicRoute({ route: 'GET /.well-known/jwks.json' }, async () => ({
  body: await readPublicKeys(revocationsTable),
  headers: { 'cache-control': 'public, max-age=300' },
}));
