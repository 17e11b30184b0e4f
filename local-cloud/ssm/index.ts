// The SSM Parameter Store emulator of the embedded local cloud.
export { createSsmEmulator } from './ssm-service';
export type { ParameterType, SsmEmulator, SsmEmulatorOptions } from './ssm-service';
