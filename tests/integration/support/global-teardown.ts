export default async function globalTeardown(): Promise<void> {
  await globalThis.brigadeLocalCloud?.stop();
  await globalThis.brigadeSuiteLock?.close();
  const stackLog = globalThis.brigadeStackLog;
  if (stackLog) await new Promise<void>((resolve) => stackLog.end(resolve));
}
