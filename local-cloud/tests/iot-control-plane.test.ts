// The IoT control-plane emulator, driven by the real @aws-sdk/client-iot over HTTP on an edge server of its own.
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CertificateStateException,
  CreateKeysAndCertificateCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteConflictException,
  DeleteThingCommand,
  DescribeCertificateCommand,
  DescribeEndpointCommand,
  DescribeThingCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  InvalidRequestException,
  IoTClient,
  ListAttachedPoliciesCommand,
  ListThingPrincipalsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { startEdgeServer, type EdgeServer } from '../edge-server';
import { createIotControlPlane, iotPoliciesOf, type IotControlPlane } from '../iot-control';

const DEVICE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'iot:Publish',
      Resource: 'arn:aws:iot:us-east-1:000000000000:topic/brigade/${iot:Connection.Thing.Attributes[siteId]}/devices/${iot:Connection.Thing.ThingName}/telemetry',
    },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: 'arn:aws:iot:us-east-1:000000000000:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*' },
  ],
};

describe('IoT control-plane emulator', () => {
  let edge: EdgeServer;
  let control: IotControlPlane;
  let iot: IoTClient;

  beforeAll(async () => {
    control = createIotControlPlane({
      brokerAddress: '127.0.0.1:1883',
      edgeAddress: '127.0.0.1:4566',
      policies: [{ name: 'stack-device-policy', document: JSON.stringify(DEVICE_POLICY) }],
    });
    edge = await startEdgeServer({ port: await freePort(), dynamodbPort: 1, services: [control], log: () => undefined });
    iot = new IoTClient({ endpoint: edge.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    iot.destroy();
    await edge.stop();
  });

  async function provision(thingName: string, attributes: Record<string, string>) {
    await iot.send(new CreateThingCommand({ thingName, attributePayload: { attributes } }));
    const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await iot.send(new AttachPolicyCommand({ policyName: 'stack-device-policy', target: keys.certificateArn }));
    await iot.send(new AttachThingPrincipalCommand({ thingName, principal: keys.certificateArn }));
    return keys;
  }

  it('CreateThing is idempotent for the same attributes and conflicts for others; DescribeThing returns it', async () => {
    const first = await iot.send(new CreateThingCommand({ thingName: 'fridge-1', attributePayload: { attributes: { siteId: 's1' } } }));
    const again = await iot.send(new CreateThingCommand({ thingName: 'fridge-1', attributePayload: { attributes: { siteId: 's1' } } }));
    expect(again).toMatchObject({ thingName: 'fridge-1', thingId: first.thingId, thingArn: 'arn:aws:iot:us-east-1:000000000000:thing/fridge-1' });
    await expect(iot.send(new CreateThingCommand({ thingName: 'fridge-1', attributePayload: { attributes: { siteId: 's2' } } }))).rejects.toBeInstanceOf(
      ResourceAlreadyExistsException,
    );
    const described = await iot.send(new DescribeThingCommand({ thingName: 'fridge-1' }));
    expect(described).toMatchObject({ thingName: 'fridge-1', defaultClientId: 'fridge-1', attributes: { siteId: 's1' }, version: 1 });
    await expect(iot.send(new DescribeThingCommand({ thingName: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(iot.send(new CreateThingCommand({ thingName: 'bad name!' }))).rejects.toBeInstanceOf(InvalidRequestException);
  });

  it('CreateKeysAndCertificate returns a real X.509 certificate signed by the local CA, for the returned key pair', async () => {
    const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const certificate = new X509Certificate(keys.certificatePem!);
    expect(certificate.verify(new X509Certificate(await control.caCertificatePem()).publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(keys.keyPair!.PrivateKey!))).toBe(true);
    expect(createPublicKey(keys.keyPair!.PublicKey!).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(keys.keyPair!.PrivateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    // AWS's certificate id is the SHA-256 fingerprint of the certificate.
    expect(certificate.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(keys.certificateId);
    expect(keys.certificateArn).toBe(`arn:aws:iot:us-east-1:000000000000:cert/${keys.certificateId}`);
    const described = await iot.send(new DescribeCertificateCommand({ certificateId: keys.certificateId }));
    expect(described.certificateDescription).toMatchObject({ status: 'ACTIVE', certificatePem: keys.certificatePem });
    expect(described.certificateDescription!.validity!.notAfter!.toISOString()).toBe('2049-12-31T23:59:59.000Z');
  });

  it('policies are the stack’s: a malformed or duplicate one stops the start; attaching an unknown one is NotFound', async () => {
    const stackPolicy = (document: string) => ({ name: 'p', document });
    const create = (policies: Array<{ name: string; document: string }>) => () =>
      createIotControlPlane({ brokerAddress: 'b', edgeAddress: 'e', policies });
    expect(create([stackPolicy('{"Statement":[{"Effect":"Maybe"}]}')])).toThrow('IoT policy p: the document is malformed');
    expect(create([stackPolicy('not json')])).toThrow('not JSON');
    expect(create([stackPolicy(JSON.stringify(DEVICE_POLICY)), stackPolicy(JSON.stringify(DEVICE_POLICY))])).toThrow('defined twice');
    const keys = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    await expect(iot.send(new AttachPolicyCommand({ policyName: 'missing', target: keys.certificateArn }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('attaches policies and principals, lists them, and detaches them', async () => {
    const keys = await provision('fridge-2', { siteId: 's1' });
    expect((await iot.send(new ListThingPrincipalsCommand({ thingName: 'fridge-2' }))).principals).toEqual([keys.certificateArn]);
    expect((await iot.send(new ListAttachedPoliciesCommand({ target: keys.certificateArn }))).policies).toEqual([
      { policyName: 'stack-device-policy', policyArn: 'arn:aws:iot:us-east-1:000000000000:policy/stack-device-policy' },
    ]);
    await expect(iot.send(new AttachThingPrincipalCommand({ thingName: 'missing', principal: keys.certificateArn }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await iot.send(new DetachPolicyCommand({ policyName: 'stack-device-policy', target: keys.certificateArn }));
    await iot.send(new DetachThingPrincipalCommand({ thingName: 'fridge-2', principal: keys.certificateArn }));
    expect((await iot.send(new ListThingPrincipalsCommand({ thingName: 'fridge-2' }))).principals).toEqual([]);
    expect((await iot.send(new ListAttachedPoliciesCommand({ target: keys.certificateArn }))).policies).toEqual([]);
  });

  it('decommissioning: a revoked certificate stays revoked, and deletes follow AWS’s order', async () => {
    const keys = await provision('fridge-3', { siteId: 's1' });
    await expect(iot.send(new DeleteThingCommand({ thingName: 'fridge-3' }))).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(iot.send(new DeleteCertificateCommand({ certificateId: keys.certificateId }))).rejects.toBeInstanceOf(CertificateStateException);
    await iot.send(new UpdateCertificateCommand({ certificateId: keys.certificateId, newStatus: 'REVOKED' }));
    await expect(iot.send(new UpdateCertificateCommand({ certificateId: keys.certificateId, newStatus: 'ACTIVE' }))).rejects.toBeInstanceOf(
      CertificateStateException,
    );
    await expect(iot.send(new DeleteCertificateCommand({ certificateId: keys.certificateId }))).rejects.toBeInstanceOf(DeleteConflictException);
    await iot.send(new DetachThingPrincipalCommand({ thingName: 'fridge-3', principal: keys.certificateArn }));
    await iot.send(new DetachPolicyCommand({ policyName: 'stack-device-policy', target: keys.certificateArn }));
    await iot.send(new DeleteThingCommand({ thingName: 'fridge-3' }));
    await iot.send(new DeleteThingCommand({ thingName: 'fridge-3' })); // a missing thing deletes successfully, as on AWS
    await iot.send(new DeleteCertificateCommand({ certificateId: keys.certificateId }));
    await expect(iot.send(new DescribeCertificateCommand({ certificateId: keys.certificateId }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('DescribeEndpoint names the local broker for data and the edge for the rest', async () => {
    expect((await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Data-ATS' }))).endpointAddress).toBe('127.0.0.1:1883');
    expect((await iot.send(new DescribeEndpointCommand({ endpointType: 'iot:CredentialProvider' }))).endpointAddress).toBe('127.0.0.1:4566');
    await expect(iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Nonsense' }))).rejects.toBeInstanceOf(InvalidRequestException);
  });

  it('authorises MQTT from the policies of a registered thing’s active certificates, and leaves other clients alone', async () => {
    const keys = await provision('fridge-4', { siteId: 's1' });
    expect(control.mayPublish('fridge-4', 'brigade/s1/devices/fridge-4/telemetry')).toBe(true);
    expect(control.mayPublish('fridge-4', 'brigade/s1/devices/fridge-2/telemetry')).toBe(false);
    expect(control.mayPublish('fridge-4', 'brigade/s2/devices/fridge-4/telemetry')).toBe(false);
    expect(control.maySubscribe('fridge-4', '$aws/things/fridge-4/shadow/update/delta')).toBe(true);
    expect(control.maySubscribe('fridge-4', '$aws/things/fridge-2/shadow/update/delta')).toBe(false);
    expect(control.mayPublish('mosquitto-cli', 'anything/at/all')).toBe(true);
    await iot.send(new UpdateCertificateCommand({ certificateId: keys.certificateId, newStatus: 'REVOKED' }));
    expect(control.mayPublish('fridge-4', 'brigade/s1/devices/fridge-4/telemetry')).toBe(false);
  });

  it('requests signed for another service are left to it', async () => {
    const signedForIotData = await fetch(`${edge.url}/things/fridge-1`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/iotdata/aws4_request, SignedHeaders=host, Signature=x' },
    });
    expect(signedForIotData.status).toBe(404);
    expect(await signedForIotData.json()).toEqual({ message: 'No local service answers GET /things/fridge-1' });
  });
});

describe('the stack’s IoT policies for the emulator', () => {
  it('resolves Fn::Sub pseudo parameters and keeps ${!…} as IoT policy variables', () => {
    const [policy] = iotPoliciesOf({
      DevicePolicy: {
        Type: 'AWS::IoT::Policy',
        Properties: {
          PolicyName: 'brigade-local-device',
          PolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: { 'Fn::Sub': 'arn:aws:iot:${AWS::Region}:${AWS::AccountId}:client/${!iot:Connection.Thing.ThingName}' } }],
          },
        },
      },
      Table: { Type: 'AWS::DynamoDB::Table' },
    });
    expect(policy!.name).toBe('brigade-local-device');
    expect(JSON.parse(policy!.document).Statement[0].Resource).toBe('arn:aws:iot:us-east-1:000000000000:client/${iot:Connection.Thing.ThingName}');
  });

  it('resolves the list form of Fn::Sub, with its own variables, as the packaged (split) template has it', () => {
    const [policy] = iotPoliciesOf({
      DevicePolicy: {
        Type: 'AWS::IoT::Policy',
        Properties: {
          PolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: { 'Fn::Sub': ['arn:aws:iot:${AWS::Region}:${AWS::AccountId}:topic/${prefix}/${!iot:ClientId}', { prefix: 'brigade' }] } }],
          },
        },
      },
    });
    expect(JSON.parse(policy!.document).Statement[0].Resource).toBe('arn:aws:iot:us-east-1:000000000000:topic/brigade/${iot:ClientId}');
  });
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
