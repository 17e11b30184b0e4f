import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { ssmClient } from '#shared/clients/ssm';
import { config } from './config';
import { publicRoute } from './policies';

// Public keys only (the parameter never holds private material); cacheable for five minutes.
export const handler = publicRoute({ route: 'GET /.well-known/jwks.json' }, async () => {
  const { Parameter } = await ssmClient().send(new GetParameterCommand({ Name: config.JWKS_PARAMETER_NAME }));
  return { body: JSON.parse(Parameter?.Value ?? '{"keys":[]}'), headers: { 'cache-control': 'public, max-age=300' } };
});
