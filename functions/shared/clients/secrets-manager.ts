import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { baseConfig } from './endpoint';

let secretsManager: SecretsManagerClient | undefined;

export function secretsManagerClient(): SecretsManagerClient {
  secretsManager ??= new SecretsManagerClient(baseConfig('SECRETS_MANAGER'));
  return secretsManager;
}
