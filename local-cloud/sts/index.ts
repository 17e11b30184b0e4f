// The STS emulator of the embedded local cloud.
export { createStsEmulator, type StsEmulator } from './sts-service';
