// What the local cloud reads of Kinesis from the resolved service: every AWS::Kinesis::Stream (name, ARN, shards), a
// function's `stream` event of type kinesis as an event source mapping (its on-failure queue resolved), and a topic
// rule's Kinesis action; what the local mapping does not emulate stops the start, naming the function.
import { streamMappingsOf } from '../dynamodb-streams';
import { describeLocalCloud, type ResolvedService } from '../service-definition';
import resolved from './fixtures/resolved-service.json';

const INGEST = 'brigade-local-ingestTelemetry';

function withTelemetryStream(event: Record<string, unknown> = {}, partitionKey: unknown = '${topic(2)}/${topic(4)}'): ResolvedService {
  const service = structuredClone(resolved) as unknown as ResolvedService;
  const resources = service.resources!.Resources!;
  resources.TelemetryStream = {
    Type: 'AWS::Kinesis::Stream',
    Properties: { Name: 'brigade-local-telemetry', ShardCount: 1, RetentionPeriodHours: 24, StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' } },
  };
  const rule = resources.DemoTelemetryRule!.Properties!.TopicRulePayload as { Actions: unknown[] };
  rule.Actions = [{ Kinesis: { StreamName: { Ref: 'TelemetryStream' }, PartitionKey: partitionKey, RoleArn: { 'Fn::GetAtt': ['TelemetryRuleRole', 'Arn'] } } }];
  service.functions.ingestTelemetry!.events = [
    {
      stream: {
        type: 'kinesis',
        arn: { 'Fn::GetAtt': ['TelemetryStream', 'Arn'] },
        batchSize: 1000,
        batchWindow: 2,
        parallelizationFactor: 2,
        startingPosition: 'LATEST',
        functionResponseType: 'ReportBatchItemFailures',
        maximumRetryAttempts: 10,
        destinations: { onFailure: { arn: { 'Fn::GetAtt': ['DemoDeadLetterQueue', 'Arn'] }, type: 'sqs' } },
        ...event,
      },
    },
  ];
  return service;
}

describe('Kinesis in the local cloud definition', () => {
  const definition = describeLocalCloud(withTelemetryStream());

  it('creates the stream with its name, ARN and shard count', () => {
    expect(definition.kinesisStreams).toEqual([
      { logicalId: 'TelemetryStream', name: 'brigade-local-telemetry', arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/brigade-local-telemetry', shardCount: 1, retentionHours: 24 },
    ]);
  });

  it('names an unnamed stream after the service, and gives an ON_DEMAND stream 4 shards', () => {
    const service = withTelemetryStream();
    service.resources!.Resources!.TelemetryStream!.Properties = { StreamModeDetails: { StreamMode: 'ON_DEMAND' } };
    service.functions.ingestTelemetry!.events = [];
    expect(describeLocalCloud(service).kinesisStreams).toEqual([
      { logicalId: 'TelemetryStream', name: 'brigade-TelemetryStream', arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/brigade-TelemetryStream', shardCount: 4, retentionHours: 24 },
    ]);
  });

  it("maps a function's kinesis stream event to an event source mapping, its on-failure destination to the queue", () => {
    expect(definition.kinesisEvents).toEqual([
      {
        functionName: INGEST,
        streamName: 'brigade-local-telemetry',
        batchSize: 1000,
        maximumBatchingWindowS: 2,
        parallelizationFactor: 2,
        startingPosition: 'LATEST',
        reportBatchItemFailures: true,
        maximumRetryAttempts: 10,
        onFailureQueueName: 'brigade-local-demo-dlq',
        enabled: true,
      },
    ]);
  });

  it("takes AWS's defaults for what the event leaves out, and a literal stream ARN", () => {
    const service = withTelemetryStream();
    service.functions.ingestTelemetry!.events = [{ stream: { type: 'kinesis', arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/brigade-local-telemetry', enabled: false } }];
    expect(describeLocalCloud(service).kinesisEvents).toEqual([
      {
        functionName: INGEST,
        streamName: 'brigade-local-telemetry',
        batchSize: 100,
        maximumBatchingWindowS: 0,
        parallelizationFactor: 1,
        startingPosition: 'TRIM_HORIZON',
        reportBatchItemFailures: false,
        maximumRetryAttempts: -1,
        enabled: false,
      },
    ]);
  });

  it("maps the rule's Kinesis action to the stream's name and the partition key template, literal or in Fn::Sub", () => {
    expect(definition.rules[0]!.actions).toEqual([{ kinesis: { streamName: 'brigade-local-telemetry', partitionKey: '${topic(2)}/${topic(4)}' } }]);
    const sub = describeLocalCloud(withTelemetryStream({}, { 'Fn::Sub': '${!topic(2)}/${!topic(4)}' }));
    expect(sub.rules[0]!.actions).toEqual([{ kinesis: { streamName: 'brigade-local-telemetry', partitionKey: '${topic(2)}/${topic(4)}' } }]);
    expect(() => describeLocalCloud(withTelemetryStream({}, { 'Fn::Sub': '${AWS::Region}/${!topic(2)}' }))).toThrow(/PartitionKey.*not supported/);
    const literal = withTelemetryStream();
    (literal.resources!.Resources!.DemoTelemetryRule!.Properties!.TopicRulePayload as { Actions: unknown[] }).Actions = [{ Kinesis: { StreamName: 'other-stream' } }];
    expect(describeLocalCloud(literal).rules[0]!.actions).toEqual([{ kinesis: { streamName: 'other-stream', partitionKey: '${newuuid()}' } }]);
  });

  it('a stream event on a stream the service does not define stops the start', () => {
    expect(() => describeLocalCloud(withTelemetryStream({ arn: { 'Fn::GetAtt': ['NoSuchStream', 'Arn'] } }))).toThrow(
      `the kinesis stream event of ${INGEST} refers to unknown stream {"Fn::GetAtt":["NoSuchStream","Arn"]}`,
    );
    expect(() => describeLocalCloud(withTelemetryStream({ arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/elsewhere' }))).toThrow(/unknown stream.*elsewhere/);
  });

  it.each([
    [{ bisectBatchOnFunctionError: true }, /bisectBatchOnFunctionError/],
    [{ tumblingWindowInSeconds: 60 }, /tumblingWindowInSeconds/],
    [{ startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: 1 }, /startingPosition AT_TIMESTAMP/],
    [{ destinations: { onFailure: { arn: { Ref: 'AlertsTopic' }, type: 'sns' } } }, /on-failure destination of type sns/],
    [{ destinations: { onFailure: 'arn:aws:sns:us-east-1:000000000000:alerts' } }, /on-failure destination/],
    [{ filterPatterns: [{ data: { x: [1] } }] }, /filterPatterns/],
    [{ parallelizationFactor: 11 }, /parallelizationFactor must be an integer from 1 to 10/],
  ])('refuses %j, naming the function', (event, message) => {
    expect(() => describeLocalCloud(withTelemetryStream(event))).toThrow(message);
    expect(() => describeLocalCloud(withTelemetryStream(event))).toThrow(INGEST);
  });

  it("leaves kinesis events to their own mapping: the DynamoDB stream poller skips them and still refuses what it can't run", () => {
    const service = withTelemetryStream();
    expect(streamMappingsOf(service, [])).toEqual([]);
    service.functions.ingestTelemetry!.events!.push({ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['NotATable', 'StreamArn'] } } });
    expect(() => streamMappingsOf(service, [])).toThrow(/only dynamodb streams of the service's own tables/);
  });
});
