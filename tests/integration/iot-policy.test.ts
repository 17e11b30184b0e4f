// The device policy, the telemetry rule and the iot role as CloudFormation gets them: `osls package` of an AWS
// stage (no credentials needed), root and nested stacks read as one (support/packaged-template.ts), then the
// policy evaluated for one device against other devices' topics. CI builds its deploy package before the tests
// and names it in BRIGADE_PACKAGED_DIR (.ci/run): the test reads that one, at the stage and region it was built
// for, rather than spend two minutes of esbuild on a second.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluatePolicies, iotPoliciesOf, type PolicyDocument } from '../../local-cloud/iot-control';
import type { ConnectionContext } from '../../local-cloud/iot-control/policy-evaluator';
import { packageService } from '../../dev/package-service';
import { packagedResources } from './support/packaged-template';

const ACCOUNT = '123456789012';
const PACKAGE_LIMIT_MS = 5 * 60_000;
const prebuilt = process.env.BRIGADE_PACKAGED_DIR;
// osls records the stage and region it packaged for beside the templates.
const { stage: STAGE, region: REGION } = prebuilt
  ? (JSON.parse(readFileSync(join(prebuilt, 'serverless-state.json'), 'utf8')).service.provider as { stage: string; region: string })
  : { stage: 'prod', region: 'eu-west-1' };

type Resource = { Type: string; Properties: Record<string, any> };
let resources: Record<string, Resource>;
const work = prebuilt ? undefined : mkdtempSync(join(tmpdir(), 'brigade-iot-policy-'));

beforeAll(async () => {
  const out =
    prebuilt ??
    (await packageService({
      workDir: work!,
      args: ['--stage', STAGE, '--region', REGION, `--param=accountId=${ACCOUNT}`],
      timeoutMs: PACKAGE_LIMIT_MS,
    }));
  resources = packagedResources(out);
}, PACKAGE_LIMIT_MS + 30_000);
afterAll(() => work && rmSync(work, { recursive: true, force: true }));

describe('the device policy in the packaged CloudFormation template', () => {
  let policy: PolicyDocument;
  const arn = (kind: string, name: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:${kind}/${name}`;
  // Device A of site "bistro", connected as its thing, as IoT Core sees it.
  const deviceA = { clientId: 'fridge-a', thing: { thingName: 'fridge-a', attributes: { siteId: 'bistro', stage: STAGE } } };
  const may = (action: string, resource: string, ctx: ConnectionContext = deviceA) => evaluatePolicies([policy], action, resource, ctx) === 'allow';

  beforeAll(() => {
    const policies = iotPoliciesOf(resources, { region: REGION, accountId: ACCOUNT });
    expect(policies.map((p) => p.name)).toEqual([`brigade-${STAGE}-device`]);
    policy = JSON.parse(policies[0]!.document);
  });

  it('a device may publish its own telemetry, and not to another device’s topic or another site’s', () => {
    expect(may('iot:Publish', arn('topic', 'brigade/bistro/devices/fridge-a/telemetry'))).toBe(true);
    expect(may('iot:Publish', arn('topic', 'brigade/bistro/devices/fridge-b/telemetry'))).toBe(false);
    expect(may('iot:Publish', arn('topic', 'brigade/other-site/devices/fridge-a/telemetry'))).toBe(false);
    expect(may('iot:Publish', arn('topic', 'brigade/bistro/devices/fridge-a/commands'))).toBe(false);
    expect(may('iot:Publish', arn('topic', 'brigade/bistro/devices/+/telemetry'))).toBe(false);
  });

  it('a device reaches only its own shadow, and connects only as its own thing', () => {
    expect(may('iot:Publish', arn('topic', '$aws/things/fridge-a/shadow/update'))).toBe(true);
    expect(may('iot:Publish', arn('topic', '$aws/things/fridge-b/shadow/update'))).toBe(false);
    expect(may('iot:Subscribe', arn('topicfilter', '$aws/things/fridge-a/shadow/update/delta'))).toBe(true);
    expect(may('iot:Subscribe', arn('topicfilter', '$aws/things/fridge-b/shadow/update/delta'))).toBe(false);
    expect(may('iot:Subscribe', arn('topicfilter', '#'))).toBe(false);
    expect(may('iot:Receive', arn('topic', '$aws/things/fridge-b/shadow/update/delta'))).toBe(false);
    expect(may('iot:Connect', arn('client', 'fridge-a'))).toBe(true);
    expect(may('iot:Connect', arn('client', 'fridge-b'))).toBe(false);
    // A certificate not attached to a thing resolves no thing variables: it may do nothing at all.
    expect(may('iot:Publish', arn('topic', 'brigade/bistro/devices/fridge-a/telemetry'), { clientId: 'fridge-a' })).toBe(false);
  });

  it('names every resource through the thing’s own variables: no wildcard device or site segment, no iot:*', () => {
    const statements = [policy.Statement].flat();
    for (const statement of statements) {
      expect([statement.Action].flat().every((a) => a !== '*' && a !== 'iot:*')).toBe(true);
      for (const resource of [statement.Resource].flat()) {
        expect(resource).toContain('${iot:Connection.Thing.ThingName}');
        expect(resource).not.toMatch(/\/\*\//);
      }
    }
  });
});

describe('the telemetry rule and the iot role in the packaged template', () => {
  it('the rule runs SQL 2016-03-23 into the telemetry stream keyed by site and device, with a role that may only put there, and IoT may invoke the error action', () => {
    const rule = resources.TelemetryRule!.Properties.TopicRulePayload;
    expect(rule.AwsIotSqlVersion).toBe('2016-03-23');
    expect(rule.Sql).toContain("FROM 'brigade/+/devices/+/telemetry'");
    expect(rule.Actions).toHaveLength(1);
    const { StreamName, PartitionKey, RoleArn } = rule.Actions[0].Kinesis;
    expect([StreamName, RoleArn]).toEqual([{ Ref: 'TelemetryStream' }, { 'Fn::GetAtt': ['TelemetryRuleRole', 'Arn'] }]);
    // Fn::Sub, as written or in the array form the nested-stack split gives it: `${!x}` is a literal `${x}`.
    expect([PartitionKey['Fn::Sub']].flat()[0]).toBe('${!topic(2)}/${!topic(4)}');
    expect(rule.ErrorAction).toEqual({ Lambda: { FunctionArn: { 'Fn::GetAtt': ['RecordRuleErrorLambdaFunction', 'Arn'] } } });
    expect(resources.TelemetryRuleErrorInvokePermission!.Properties).toMatchObject({ Principal: 'iot.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['TelemetryRule', 'Arn'] } });
    const role = resources.TelemetryRuleRole!.Properties;
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'iot.amazonaws.com' });
    expect(role.Policies.flatMap((p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement)).toEqual([
      { Effect: 'Allow', Action: 'kinesis:PutRecord', Resource: { 'Fn::GetAtt': ['TelemetryStream', 'Arn'] } },
    ]);
  });

  it('ingest reads the stream in batches of up to 2,000, two per shard, with partial batch failures and an on-failure queue', () => {
    const mapping = Object.values(resources).find(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.EventSourceArn['Fn::GetAtt']?.[0] === 'TelemetryStream',
    )!.Properties;
    expect(mapping).toMatchObject({
      BatchSize: 2000,
      MaximumBatchingWindowInSeconds: 2,
      ParallelizationFactor: 2,
      StartingPosition: 'LATEST',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['TelemetryDeadLetterQueue', 'Arn'] } } },
    });
    expect(resources.TelemetryStream!.Properties).toMatchObject({ ShardCount: 1, RetentionPeriodHours: 24, StreamEncryption: { EncryptionType: 'KMS' } });
    // The function's timeout fits a full batch at the locally measured rate (≈ 1,000 readings/s) several times over.
    const ingestTimeout = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'functions/iot/ingest-telemetry.handler')!.Properties.Timeout;
    expect(ingestTimeout).toBeGreaterThanOrEqual(30);
  });

  it('the iot role puts no * on data actions; only the two resource-less IoT calls use it', () => {
    const statements = resources.IotRole!.Properties.Policies.flatMap((p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement) as Array<{
      Action: string | string[];
      Resource: unknown;
    }>;
    const starred = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
    expect(starred.sort()).toEqual(['iot:CreateKeysAndCertificate', 'iot:DescribeEndpoint']);
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler?.startsWith('functions/iot/'));
    expect(functions.length).toBeGreaterThan(15);
    for (const fn of functions) expect(fn.Properties.Role).toEqual({ 'Fn::GetAtt': ['IotRole', 'Arn'] });
  });
});
