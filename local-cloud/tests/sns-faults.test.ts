// The local SNS emulator's fault injection, which the outbox integration tests use to make publishing fail.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { createSnsEmulator } from '../sns';
import { serveEmulator, type TestServer } from './support/emulator-server';

let server: TestServer;
let baseUrl: string;
let sns: SNSClient;
let TopicArn: string;

beforeAll(async () => {
  const emulator = createSnsEmulator({ invokeLambda: async () => ({ ok: true, payload: null }) });
  TopicArn = emulator.createTopic('faults');
  server = await serveEmulator(() => emulator);
  baseUrl = server.baseUrl;
  // One attempt per call, so each call uses exactly one injected fault.
  sns = new SNSClient({ endpoint: baseUrl, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
});

afterAll(async () => {
  sns.destroy();
  await server.close();
});

const faults = (init?: RequestInit) => fetch(`${baseUrl}/_local/sns/faults`, init);

describe('SNS fault injection', () => {
  it('fails the next N Publish calls with 500 InternalError, then publishes again', async () => {
    const armed = await faults({ method: 'POST', body: JSON.stringify({ failPublishes: 2 }) });
    expect(await armed.json()).toEqual({ failPublishes: 2 });
    for (let i = 0; i < 2; i++) {
      await expect(sns.send(new PublishCommand({ TopicArn, Message: 'm' }))).rejects.toMatchObject({
        name: 'InternalErrorException', // the SDK's name for AWS's InternalError code
        $metadata: { httpStatusCode: 500 },
      });
    }
    expect(await (await faults()).json()).toEqual({ failPublishes: 0 });
    await expect(sns.send(new PublishCommand({ TopicArn, Message: 'm' }))).resolves.toMatchObject({ MessageId: expect.any(String) });
  });

  it('refuses a malformed request', async () => {
    expect((await faults({ method: 'POST', body: '{"failPublishes":-1}' })).status).toBe(400);
    expect((await faults({ method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await faults({ method: 'DELETE' })).status).toBe(405);
  });
});
