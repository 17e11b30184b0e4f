import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { archiveKey, expiresAt, fitsInArchive, MAX_ENVELOPE_BYTES, retentionDaysSchema, sortableInstant } from '../../functions/archive/archive-rules';
import { archiveItem } from '../../functions/archive/archive-store';
import { parseReplayRequest, ReplayRequestError, snsRecordOf, type ArchivedEvent } from '../../functions/archive/replay-rules';

const TARGETS = ['recordSales', 'learnSites'];
const archiveFile = (name: string) => parse(readFileSync(join(__dirname, '../../functions/archive', name), 'utf8')) as Record<string, any>;

describe('archive keys', () => {
  it('a site partition, sorted by when the event happened, then by id', () => {
    expect(archiveKey({ siteId: 'demo-bistro', occurredAt: '2026-12-03T10:00:00.123Z', id: 'e1' })).toEqual({
      pk: 'SITE#demo-bistro',
      sk: '2026-12-03T10:00:00.123Z#e1',
    });
  });

  it('orders instants of any precision by time, not by text (…05.1Z would sort before …05Z as written)', () => {
    const written = ['2026-12-03T10:00:05.1Z', '2026-12-03T10:00:05Z', '2026-12-03T10:00:04.999999Z', '2026-12-03T10:00:05.000001Z'];
    const keys = written.map((occurredAt, i) => archiveKey({ siteId: 's', occurredAt, id: `e${i}` }).sk);
    expect([...keys].sort()).toEqual([
      '2026-12-03T10:00:04.999Z#e2',
      '2026-12-03T10:00:05.000Z#e1',
      '2026-12-03T10:00:05.000Z#e3',
      '2026-12-03T10:00:05.100Z#e0',
    ]);
    expect(() => sortableInstant('yesterday')).toThrow('not an instant');
  });
});

describe('the archived item', () => {
  it('the envelope exactly as it came, keyed for the site, with what a replay needs beside it', () => {
    const envelope = { id: 'e1', type: 'order.paid', siteId: 'demo-bistro', occurredAt: '2026-12-03T10:00:05Z' };
    const message = JSON.stringify({ ...envelope, source: 'orders', data: { total: 1250 } });
    const attributes = { type: { Type: 'String', Value: 'order.paid' } };
    const item = archiveItem({ envelope, message, topicArn: 'arn:topic', attributes, expiresAt: 42 }, new Date('2026-12-03T10:00:06Z'));
    expect(item).toEqual({
      pk: 'SITE#demo-bistro',
      sk: '2026-12-03T10:00:05.000Z#e1',
      eventId: 'e1',
      type: 'order.paid',
      occurredAt: '2026-12-03T10:00:05Z',
      topicArn: 'arn:topic',
      attributes,
      message,
      archivedAt: '2026-12-03T10:00:06.000Z',
      expiresAt: 42,
    });
  });
});

describe('retention', () => {
  it('expires retention days after the event happened (epoch seconds, for DynamoDB TTL)', () => {
    const occurredAt = '2026-01-01T00:00:00.500Z';
    expect(expiresAt(occurredAt, 400)).toBe(Date.parse('2027-02-05T00:00:00Z') / 1000);
    expect(expiresAt(occurredAt, 1) - expiresAt(occurredAt, 0)).toBe(86_400);
  });

  it('ARCHIVE_RETENTION_DAYS: 400 when unset or empty, a whole number of days from 1 to 3650 otherwise', () => {
    expect(retentionDaysSchema.parse(undefined)).toBe(400);
    expect(retentionDaysSchema.parse(' ')).toBe(400);
    expect(retentionDaysSchema.parse('30')).toBe(30);
    for (const bad of ['0', '-5', '1.5', '3651', 'forever']) expect(retentionDaysSchema.safeParse(bad).success).toBe(false);
  });

  it('refuses an envelope larger than an item may hold, counting bytes not characters', () => {
    expect(fitsInArchive('x'.repeat(MAX_ENVELOPE_BYTES))).toBe(true);
    expect(fitsInArchive('x'.repeat(MAX_ENVELOPE_BYTES + 1))).toBe(false);
    expect(fitsInArchive('é'.repeat(MAX_ENVELOPE_BYTES / 2 + 1))).toBe(false);
  });
});

describe('replay request', () => {
  const valid = { siteId: 'demo-bistro', target: 'recordSales' };

  it('takes a site, an allow-listed target and optional filters; batches of 100 by default', () => {
    expect(parseReplayRequest(valid, TARGETS)).toEqual({ ...valid, batchSize: 100 });
    expect(
      parseReplayRequest({ ...valid, siteId: '*', types: ['order.paid'], from: '2026-12-01T00:00:00+01:00', to: '2026-12-02T00:00:00Z', attributes: { generation: '7' }, batchSize: 10 }, TARGETS),
    ).toEqual({ ...valid, siteId: '*', types: ['order.paid'], from: '2026-11-30T23:00:00.000Z', to: '2026-12-02T00:00:00.000Z', attributes: { generation: '7' }, batchSize: 10 });
  });

  it.each([
    ['a bad site id', { ...valid, siteId: 'SITE#x' }, 'siteId'],
    ['no site', { target: 'recordSales' }, 'siteId'],
    ['a target that is not a function name', { ...valid, target: 'arn:aws:lambda:us-east-1:1:function:x' }, 'target'],
    ['an unknown event type shape', { ...valid, types: ['Order Paid'] }, 'types.0'],
    ['from after to', { ...valid, from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }, 'to: must be after from'],
    ['a reserved attribute', { ...valid, attributes: { replay: 'false' } }, 'attributes.replay'],
    ['an SNS-reserved attribute', { ...valid, attributes: { 'AWS.SNS.x': '1' } }, 'attributes'],
    ['too many attributes', { ...valid, attributes: Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`a${i}`, 'v'])) }, 'at most 6 attributes'],
    ['a batch of 101', { ...valid, batchSize: 101 }, 'batchSize'],
    ['an unknown field', { ...valid, topic: 'events' }, 'topic'],
  ])('refuses %s, naming it', (_name, request, named) => {
    expect(() => parseReplayRequest(request, TARGETS)).toThrow(ReplayRequestError);
    expect(() => parseReplayRequest(request, TARGETS)).toThrow(named);
  });

  it('refuses a target not on the allow-list, saying which are', () => {
    expect(() => parseReplayRequest({ ...valid, target: 'replayArchivedEvents' }, TARGETS)).toThrow(
      'target replayArchivedEvents is not a replay target of this stage (allowed: recordSales, learnSites; ARCHIVE_REPLAY_TARGETS)',
    );
    expect(() => parseReplayRequest(valid, [])).toThrow('allowed: none');
  });
});

describe('the SNS-shaped record a target receives', () => {
  const event: ArchivedEvent = {
    eventId: 'e1',
    type: 'order.paid',
    occurredAt: '2026-12-03T10:00:00.000Z',
    topicArn: 'arn:aws:sns:us-east-1:000000000000:brigade-local-events',
    message: '{"id":"e1"}',
    attributes: { type: { Type: 'String', Value: 'order.paid' }, source: { Type: 'String', Value: 'orders' }, replay: { Type: 'String', Value: 'false' } },
  };

  it('carries the envelope as it came, its attributes, the caller attributes and replay=true (which no one overrides)', () => {
    const record = snsRecordOf(event, { generation: '2' });
    expect(record).toMatchObject({ EventSource: 'aws:sns', Sns: { MessageId: 'e1', TopicArn: event.topicArn, Message: '{"id":"e1"}', Timestamp: event.occurredAt } });
    expect(record.Sns.MessageAttributes).toEqual({
      type: { Type: 'String', Value: 'order.paid' },
      source: { Type: 'String', Value: 'orders' },
      generation: { Type: 'String', Value: '2' },
      replay: { Type: 'String', Value: 'true' },
    });
  });
});

describe('the archive domain wiring (functions.yml, resources.yml)', () => {
  const functions = archiveFile('functions.yml');
  const resources = archiveFile('resources.yml');

  it('ArchiveRole may invoke exactly the allow-listed replay targets, and nothing with a wildcard', () => {
    const targets = String(functions.replayArchivedEvents.environment.ARCHIVE_REPLAY_TARGETS).split(',');
    const statements = resources.Resources.ArchiveRole.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    const invoke = statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('lambda:')));
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Action).toBe('lambda:InvokeFunction');
    expect(invoke[0].Resource.map((arn: any) => arn['Fn::Sub'].split(':function:${self:custom.prefix}-')[1]).sort()).toEqual([...targets].sort());
    expect(JSON.stringify(statements)).not.toContain('*');
  });

  it('every allow-listed target is a function some domain declares (a rename fails here, not in a replay)', () => {
    const declared = new Set(
      readdirSync(join(__dirname, '../../functions'), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(__dirname, '../../functions', d.name, 'functions.yml')))
        .flatMap((d) => Object.keys(parse(readFileSync(join(__dirname, '../../functions', d.name, 'functions.yml'), 'utf8')) as object)),
    );
    const targets = String(functions.replayArchivedEvents.environment.ARCHIVE_REPLAY_TARGETS).split(',');
    expect(targets.filter((t) => !declared.has(t))).toEqual([]);
    expect(targets).not.toContain('archiveEvents');
    expect(targets).not.toContain('replayArchivedEvents');
  });

  it('archives both topics without a filter through its queue (SNS documents naming the topic), and the replay has no event source: it is not on HTTP', () => {
    const subscriptions = Object.values(resources.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::SNS::Subscription');
    expect(subscriptions.map((s) => s.Properties.TopicArn.Ref).sort()).toEqual(['AlertsTopic', 'EventsTopic']);
    for (const { Properties: subscription } of subscriptions) {
      expect(subscription).toMatchObject({ Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': ['ArchiveQueue', 'Arn'] }, RawMessageDelivery: false });
      expect(subscription.FilterPolicy).toBeUndefined();
    }
    expect(functions.archiveEvents.events).toEqual([
      { sqs: { arn: { 'Fn::GetAtt': ['ArchiveQueue', 'Arn'] }, batchSize: 100, maximumBatchingWindow: 1, functionResponseType: 'ReportBatchItemFailures' } },
    ]);
    // Visibility at least 6 × the consumer's timeout (AWS's advice), and a DLQ after a few receives.
    const queue = resources.Resources.ArchiveQueue.Properties;
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * functions.archiveEvents.timeout);
    expect(queue.RedrivePolicy).toMatchObject({ deadLetterTargetArn: { 'Fn::GetAtt': ['ArchiveDeadLetterQueue', 'Arn'] } });
    expect(functions.replayArchivedEvents.events).toBeUndefined();
    for (const fn of Object.values(functions)) expect((fn.events ?? []).some((e: any) => e.httpApi || e.websocket)).toBe(false);
  });
});
