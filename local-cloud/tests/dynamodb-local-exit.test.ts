// What DynamoDB Local reports once it answers: an exit while the stack runs is said (a CI failure then says why every
// later call failed); stop() and Ctrl-C are not failures and say nothing.
import { readFileSync } from 'node:fs';
import { startDynamoDbLocal } from '../dynamodb-local';

// Next to the streams suite's port (dynamodb-streams.test.ts), which BRIGADE_TEST_DYNAMODB_PORT moves too.
const PORT = Number(process.env.BRIGADE_TEST_DYNAMODB_PORT ?? 27081) + 1;

async function started() {
  const reports: string[] = [];
  const db = await startDynamoDbLocal({ port: PORT, onAfterStart: (message) => reports.push(message) });
  return { db, reports };
}

const exited = (pid: number) =>
  new Promise<void>((resolve) => {
    const check = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        clearInterval(check);
        resolve();
      }
    }, 50);
  });

it('a JVM killed while running is reported, with its signal', async () => {
  const { db, reports } = await started();
  // The JVM that answered runs the command line dynamodb-local-args.test.ts describes.
  expect(readFileSync(`/proc/${db.pid}/cmdline`, 'utf8').split('\0')).toEqual(expect.arrayContaining(['-inMemory', '-sharedDb', '-disableTelemetry', String(PORT)]));
  process.kill(db.pid!, 'SIGKILL');
  await exited(db.pid!);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(reports).toEqual([expect.stringMatching(/^dynamodb local exited while running \(code null, signal SIGKILL\)/)]);
  await db.stop();
}, 60_000);

it('stop() and an interrupt (Ctrl-C reaches the JVM too) report nothing', async () => {
  const first = await started();
  await first.db.stop();
  expect(first.reports).toEqual([]);
  const second = await started();
  process.kill(second.db.pid!, 'SIGINT');
  await exited(second.db.pid!);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(second.reports.filter((line) => line.includes('exited'))).toEqual([]);
  await second.db.stop();
}, 90_000);
