// The STS emulator, driven by the real @aws-sdk/client-sts (Query protocol, XML answers).
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { createStsEmulator } from '../sts';
import { rejectionOf, serveEmulator, type TestServer } from './support/emulator-server';

describe('STS emulator', () => {
  let server: TestServer;
  let sts: STSClient;

  beforeAll(async () => {
    const emulator = createStsEmulator();
    server = await serveEmulator(() => emulator);
    sts = new STSClient({ endpoint: server.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    sts.destroy();
    await server.close();
  });

  it('GetCallerIdentity answers the local account', async () => {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000' });
    expect(identity.$metadata.requestId).toEqual(expect.any(String));
  });

  it('an action it lacks is an InvalidAction service exception', async () => {
    const error = await rejectionOf<STSServiceException>(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/x', RoleSessionName: 's' })));
    expect(error).toBeInstanceOf(STSServiceException);
    expect(error).toMatchObject({ name: 'InvalidAction', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    expect(error.message).toContain('AssumeRole');
  });
});
