// The Secrets Manager emulator of the embedded local cloud.
export { createSecretsManagerEmulator } from './secrets-manager-service';
export type { SecretsManagerEmulator, SecretsManagerEmulatorOptions } from './secrets-manager-service';
