// The process that started DynamoDB Local dies without stopping it (kill -9): on Linux the JVM goes with it
// (`setpriv --pdeathsig`, dynamodb-local.ts), so the next start finds its port free.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { isAlive } from './processes';
import { javaCommand } from '../dynamodb-local';

// Two above the streams suite's port (dynamodb-streams.test.ts), which BRIGADE_TEST_DYNAMODB_PORT moves too.
const PORT = Number(process.env.BRIGADE_TEST_DYNAMODB_PORT ?? 27081) + 2;
const FIXTURE = join(__dirname, 'fixtures', 'start-dynamodb-local.ts');


it('runs java through setpriv with a parent-death signal where setpriv is there, else java as it is', () => {
  expect(javaCommand(['-jar', 'x.jar'], true)).toEqual({ command: 'setpriv', args: ['--pdeathsig', 'SIGTERM', '--', 'java', '-jar', 'x.jar'] });
  expect(javaCommand(['-jar', 'x.jar'], false)).toEqual({ command: 'java', args: ['-jar', 'x.jar'] });
});

(process.platform === 'linux' ? it : it.skip)('on Linux the JVM ends within seconds of its parent’s kill -9', async () => {
  const parent = spawn(process.execPath, ['--import', 'tsx', FIXTURE, String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const jvm = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()))));
  try {
    expect(isAlive(jvm)).toBe(true);
    parent.kill('SIGKILL');
    const started = Date.now();
    while (isAlive(jvm) && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isAlive(jvm)).toBe(false);
  } finally {
    if (isAlive(jvm)) process.kill(jvm, 'SIGKILL');
  }
}, 60_000);
