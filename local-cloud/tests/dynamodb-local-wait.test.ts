// The DynamoDB Local start wait (waitForDynamoDbLocal) on a fake clock: it waits as long as the JVM is alive and
// working, says what it waits for, fails at once with the JVM's output if it exits, and gives up on a stalled one.
import { DynamoDbLocalStartError, waitForDynamoDbLocal, type StartWatch } from '../dynamodb-local';

interface Script {
  /** The fake time (ms since start) at which it first answers; never if undefined. */
  answersAt?: number;
  exitsAt?: number;
  /** Whether the JVM works (CPU time grows) at a given time. */
  working?: (at: number) => boolean;
}

function fakeJvm(script: Script) {
  let clock = 0;
  let cpu = 0;
  const messages: string[] = [];
  let killed = false;
  const watch: StartWatch = {
    probe: async () => {
      if (script.answersAt === undefined || clock < script.answersAt) throw new Error('ECONNREFUSED');
    },
    exitCode: () => (script.exitsAt !== undefined && clock >= script.exitsAt ? 1 : null),
    progress: () => cpu,
    output: () => 'Initializing DynamoDB Local with the following configuration:\nPort: 8000\njava.net.BindException: Address already in use',
    kill: () => void (killed = true),
    onWaiting: (message) => messages.push(message),
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
      if ((script.working ?? (() => true))(clock)) cpu += 1;
    },
  };
  return { watch, messages, killed: () => killed, clock: () => clock };
}

describe('waitForDynamoDbLocal', () => {
  it('waits past the old fixed 30 s for a slow but working JVM, saying what it waits for', async () => {
    const jvm = fakeJvm({ answersAt: 75_000 });
    await waitForDynamoDbLocal(8000, jvm.watch);
    expect(jvm.clock()).toBeGreaterThanOrEqual(75_000);
    expect(jvm.messages[0]).toBe('waiting for DynamoDB Local (Java) on :8000… 5 s');
    expect(jvm.messages.at(-1)).toMatch(/^waiting for DynamoDB Local \(Java\) on :8000… 7\d s$/);
    expect(jvm.messages.length).toBeGreaterThanOrEqual(14);
    expect(jvm.killed()).toBe(false);
  });

  it('says nothing when it answers within the first seconds', async () => {
    const jvm = fakeJvm({ answersAt: 2_000 });
    await waitForDynamoDbLocal(8000, jvm.watch);
    expect(jvm.messages).toEqual([]);
  });

  it('fails at once with the JVM’s own output when it exits', async () => {
    const jvm = fakeJvm({ exitsAt: 1_500 });
    const error = await waitForDynamoDbLocal(29080, jvm.watch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamoDbLocalStartError);
    expect((error as Error).message).toMatch(/exited with code 1 before answering on :29080/);
    expect((error as Error).message).toContain('java.net.BindException: Address already in use');
    expect(jvm.clock()).toBeLessThan(2_000);
  });

  it('gives up on a JVM that stays alive but makes no progress, and kills it', async () => {
    const jvm = fakeJvm({ working: (at) => at < 10_000 });
    await expect(waitForDynamoDbLocal(8000, jvm.watch)).rejects.toThrow(/made no progress for 30 s/);
    expect(jvm.killed()).toBe(true);
    expect(jvm.clock()).toBeGreaterThanOrEqual(40_000);
    expect(jvm.clock()).toBeLessThan(41_000);
  });

  it('gives up after the overall limit even on a JVM that keeps working', async () => {
    const jvm = fakeJvm({});
    await expect(waitForDynamoDbLocal(8000, jvm.watch)).rejects.toThrow(/did not answer on :8000 within 180 s/);
    expect(jvm.killed()).toBe(true);
  });
});
