// What the local cloud reads of SQS from the resolved service: every AWS::SQS::Queue with the attributes the
// emulator honours (the redrive target resolved to its local ARN), a function's `sqs` event as an event source
// mapping (refused at start where AWS would refuse it at deploy), and a topic rule's SQS action.
import { describeLocalCloud, type ResolvedService } from '../service-definition';
import resolved from './fixtures/resolved-service.json';

function withTelemetryQueue(): ResolvedService {
  const service = structuredClone(resolved) as unknown as ResolvedService;
  const resources = service.resources!.Resources!;
  resources.TelemetryQueue = {
    Type: 'AWS::SQS::Queue',
    Properties: {
      QueueName: 'brigade-local-telemetry',
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['DemoDeadLetterQueue', 'Arn'] }, maxReceiveCount: 5 },
    },
  };
  const rule = resources.DemoTelemetryRule!.Properties!.TopicRulePayload as { Actions: unknown[] };
  rule.Actions = [{ Sqs: { QueueUrl: { Ref: 'TelemetryQueue' }, RoleArn: 'arn:aws:iam::000000000000:role/r', UseBase64: false } }];
  service.functions.ingestTelemetry!.events = [
    { sqs: { arn: { 'Fn::GetAtt': ['TelemetryQueue', 'Arn'] }, batchSize: 100, maximumBatchingWindow: 1, functionResponseType: 'ReportBatchItemFailures' } },
  ];
  return service;
}

describe('SQS in the local cloud definition', () => {
  const definition = describeLocalCloud(withTelemetryQueue());
  const dlqName = (resolved as unknown as ResolvedService).resources!.Resources!.DemoDeadLetterQueue!.Properties!.QueueName as string;

  it('creates every queue, with its redrive policy pointing at the local ARN of its DLQ', () => {
    expect(definition.queues.map((q) => q.name).sort()).toEqual([dlqName, 'brigade-local-telemetry'].sort());
    expect(definition.queues.find((q) => q.name === 'brigade-local-telemetry')!.attributes).toEqual({
      VisibilityTimeout: '180',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlqName}`, maxReceiveCount: 5 }),
    });
  });

  it("maps a function's sqs event to an event source mapping, and the rule's Sqs action to its queue", () => {
    expect(definition.sqsEvents).toEqual([
      {
        functionName: 'brigade-local-ingestTelemetry',
        queueName: 'brigade-local-telemetry',
        batchSize: 100,
        maximumBatchingWindowS: 1,
        reportBatchItemFailures: true,
        maximumConcurrency: undefined,
        enabled: true,
      },
    ]);
    expect(definition.rules[0]!.actions).toEqual([{ sqs: { queueName: 'brigade-local-telemetry', useBase64: false } }]);
  });

  it.each([
    [{ batchSize: 25 }, /batchSize of 25 needs a maximumBatchingWindow of at least 1 s/],
    [{ batchSize: 25, maximumBatchingWindow: 0 }, /batchSize of 25 needs a maximumBatchingWindow/],
    [{ batchSize: 10_001, maximumBatchingWindow: 1 }, /batchSize must be an integer from 1 to 10000/],
    [{ batchSize: 0 }, /batchSize must be an integer from 1 to 10000, got 0/],
    [{ batchSize: 10, maximumBatchingWindow: 301 }, /maximumBatchingWindow must be an integer from 0 to 300 s/],
  ])('refuses what AWS refuses for an sqs event, %j, naming the function', (batching, message) => {
    const service = withTelemetryQueue();
    service.functions.ingestTelemetry!.events = [{ sqs: { arn: { 'Fn::GetAtt': ['TelemetryQueue', 'Arn'] }, ...batching } }];
    expect(() => describeLocalCloud(service)).toThrow(message);
    expect(() => describeLocalCloud(service)).toThrow('brigade-local-ingestTelemetry');
  });

  it('takes a batch of up to 10 without a window, and the default batch of 10', () => {
    for (const batching of [{ batchSize: 10 }, {}]) {
      const service = withTelemetryQueue();
      service.functions.ingestTelemetry!.events = [{ sqs: { arn: { 'Fn::GetAtt': ['TelemetryQueue', 'Arn'] }, ...batching } }];
      expect(() => describeLocalCloud(service)).not.toThrow();
    }
  });

  it('an sqs event on a queue the service does not define stops the start', () => {
    const broken = withTelemetryQueue();
    broken.functions.ingestTelemetry!.events = [{ sqs: { arn: { 'Fn::GetAtt': ['NoSuchQueue', 'Arn'] } } }];
    expect(() => describeLocalCloud(broken)).toThrow(/unknown queue/);
  });
});
