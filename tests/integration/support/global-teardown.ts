export default async function globalTeardown(): Promise<void> {
  await globalThis.brigadeLocalCloud?.stop();
  await globalThis.brigadeSuiteLock?.close();
}
