// An operation the local cloud lacks answers in its protocol's own error shape, so the SDK v3 clients raise a
// service exception (never a parse error): awsQuery (SNS, STS) InvalidAction XML, awsJson1_1 (SSM, Secrets
// Manager) UnknownOperationException, restJson1 (IoT) x-amzn-ErrorType. Both from the emulators themselves and
// from the edge when no emulator claims the request.
import { IoTClient, IoTServiceException, ListThingTypesCommand } from '@aws-sdk/client-iot';
import { DeleteSecretCommand, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { DeleteParameterCommand, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { createServer, type AddressInfo } from 'node:net';
import { startEdgeServer, type EdgeServer } from '../edge-server';
import { createIotControlPlane } from '../iot-control';
import { createSecretsManagerEmulator } from '../secrets-manager';
import { createSnsEmulator } from '../sns';
import { createSsmEmulator } from '../ssm';
import type { EdgeService } from '../types';

const config = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

async function failure(promise: Promise<unknown>): Promise<Error & { $fault?: string; $metadata?: { httpStatusCode?: number } }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } },
  );
  if (!outcome) throw new Error('expected the call to fail');
  return outcome;
}

async function withEdge(services: EdgeService[], run: (url: string) => Promise<void>): Promise<void> {
  const edge: EdgeServer = await startEdgeServer({ port: await freePort(), dynamodbPort: 1, services, log: () => undefined });
  try {
    await run(edge.url);
  } finally {
    await edge.stop();
  }
}

describe('unknown operations', () => {
  const emulators = (): EdgeService[] => [
    createSnsEmulator({ invokeLambda: async () => ({ ok: true, payload: null }) }),
    createSsmEmulator(),
    createSecretsManagerEmulator(),
    createIotControlPlane({ brokerAddress: '127.0.0.1:1883', edgeAddress: '127.0.0.1:4566' }),
  ];

  it('SNS (awsQuery): InvalidAction', () =>
    withEdge(emulators(), async (url) => {
      const sns = new SNSClient(config(url));
      const error = await failure(sns.send(new CreateTopicCommand({ Name: 'x' })));
      expect(error).toBeInstanceOf(SNSServiceException);
      expect(error).toMatchObject({ name: 'InvalidAction', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      expect(error.message).toContain('CreateTopic');
      sns.destroy();
    }));

  it('SSM and Secrets Manager (awsJson1_1): UnknownOperationException', () =>
    withEdge(emulators(), async (url) => {
      const ssm = new SSMClient(config(url));
      const ssmError = await failure(ssm.send(new DeleteParameterCommand({ Name: '/x' })));
      expect(ssmError).toBeInstanceOf(SSMServiceException);
      expect(ssmError).toMatchObject({ name: 'UnknownOperationException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      const secrets = new SecretsManagerClient(config(url));
      const secretsError = await failure(secrets.send(new DeleteSecretCommand({ SecretId: 'x' })));
      expect(secretsError).toBeInstanceOf(SecretsManagerServiceException);
      expect(secretsError).toMatchObject({ name: 'UnknownOperationException', $fault: 'client' });
      ssm.destroy();
      secrets.destroy();
    }));

  it('IoT (restJson1): UnknownOperationException in x-amzn-ErrorType', () =>
    withEdge(emulators(), async (url) => {
      const iot = new IoTClient(config(url));
      const error = await failure(iot.send(new ListThingTypesCommand({})));
      expect(error).toBeInstanceOf(IoTServiceException);
      expect(error).toMatchObject({ name: 'UnknownOperationException', $fault: 'client', $metadata: { httpStatusCode: 404 } });
      expect(error.message).toContain('GET /thing-types');
      iot.destroy();
    }));

  it('the edge answers requests no emulator claims in the protocol they came in', () =>
    withEdge([], async (url) => {
      const sts = new STSClient(config(url));
      const stsError = await failure(sts.send(new GetCallerIdentityCommand({})));
      expect(stsError).toBeInstanceOf(STSServiceException);
      expect(stsError).toMatchObject({ name: 'InvalidAction', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      expect(stsError.message).toContain('GetCallerIdentity');
      const ssm = new SSMClient(config(url));
      const ssmError = await failure(ssm.send(new DeleteParameterCommand({ Name: '/x' })));
      expect(ssmError).toBeInstanceOf(SSMServiceException);
      expect(ssmError).toMatchObject({ name: 'UnknownOperationException', $fault: 'client' });
      sts.destroy();
      ssm.destroy();
    }));
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
