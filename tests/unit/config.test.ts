import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { csvList, loadConfig, optionalString } from '#shared/config';
import { resolveService, type ResolvedService } from '../../local-cloud/service-definition';

describe('loadConfig', () => {
  const schema = z.object({ TABLE_NAME: z.string().min(1), TOPICS: csvList, MQTT: optionalString });

  it('parses and transforms', () => {
    expect(loadConfig(schema, { TABLE_NAME: 't', TOPICS: 'a, b,,c', MQTT: '' })).toEqual({ TABLE_NAME: 't', TOPICS: ['a', 'b', 'c'], MQTT: undefined });
  });

  it('fails fast naming the variable', () => {
    expect(() => loadConfig(schema, {})).toThrow(/TABLE_NAME/);
  });
});

// resources/domains.js assembles the service from `custom.domains`; Serverless calls it with `{ resolveVariable }`.
describe('the domains resolver', () => {
  const domains = require('../../resources/domains.js') as Record<
    'functions' | 'resources',
    (input: { resolveVariable: (variable: string) => Promise<unknown> }) => Promise<Record<string, any>>
  >;
  /** Reads files as the framework's file() source would (variables left unresolved), some replaced. */
  const resolver = (names: string[], replaced: Record<string, unknown> = {}) => ({
    resolveVariable: async (variable: string) => {
      if (variable === 'self:custom.domains') return names;
      const file = /^file\((.+)\)$/.exec(variable)?.[1];
      if (!file) throw new Error(`unexpected variable ${variable}`);
      return replaced[file] ?? parse(readFileSync(join(__dirname, '../..', file), 'utf8'));
    },
  });

  it('merges each domain’s functions and resources with the shared ones', async () => {
    const functions = await domains.functions(resolver(['users', 'orders']));
    expect(functions).toMatchObject({ login: { role: 'UsersRole' }, createOrder: { role: 'OrdersRole' } });
    const { Resources } = await domains.resources(resolver(['users', 'orders']));
    expect(Object.keys(Resources)).toEqual(expect.arrayContaining(['EventsTopic', 'RevocationsTable', 'UsersTable', 'OrdersRole']));
  });

  it('a function or resource declared twice fails, naming both files (merged, one would replace the other)', async () => {
    await expect(domains.functions(resolver(['users', 'orders'], { 'functions/orders/functions.yml': { login: { handler: 'x.handler' } } }))).rejects.toThrow(
      'functions.login is declared in both functions/users/functions.yml and functions/orders/functions.yml',
    );
    const ordersTakesTheEventsTopic = { Resources: { EventsTopic: { Type: 'AWS::SNS::Topic' } } };
    await expect(domains.resources(resolver(['orders'], { 'functions/orders/resources.yml': ordersTakesTheEventsTopic }))).rejects.toThrow(
      'Resources.EventsTopic is declared in both resources/topics.yml and functions/orders/resources.yml',
    );
  });

  it('a domain without its files fails, naming the file', async () => {
    await expect(domains.functions(resolver(['users', 'nope']))).rejects.toThrow('functions/nope/functions.yml is missing');
    await expect(domains.resources(resolver(['nope']))).rejects.toThrow('functions/nope/resources.yml is missing');
  });
});

describe('the resolved service (osls print --stage local)', () => {
  let service: ResolvedService & { resources: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> } };
  beforeAll(async () => {
    service = (await resolveService('local', { ...process.env, BRIGADE_BUNDLER: 'none' })) as typeof service;
  }, 60_000);
  const resourcesOf = (type: string) => Object.entries(service.resources.Resources).filter(([, resource]) => resource.Type === type);
  const statusEnvironment = () => (service.functions.status as unknown as { environment: { STATUS_TABLES: string; STATUS_TOPICS: string } }).environment;

  it('/status checks every table and every topic of the stage', () => {
    const tables = resourcesOf('AWS::DynamoDB::Table').map(([, table]) => table.Properties.TableName);
    const topics = resourcesOf('AWS::SNS::Topic').map(([, topic]) => `arn:aws:sns:us-east-1:000000000000:${topic.Properties.TopicName}`);
    // The two a hand-kept list once missed.
    expect(tables).toContain('brigade-local-notifications');
    expect(topics).toContain('arn:aws:sns:us-east-1:000000000000:brigade-local-notification-email');
    expect(statusEnvironment().STATUS_TABLES.split(',').sort()).toEqual(tables.sort());
    expect(statusEnvironment().STATUS_TOPICS.split(',').sort()).toEqual(topics.sort());
  });

  it('/status reads metadata only: its role has no data action', () => {
    expect(service.functions.status).toMatchObject({ role: 'GatewayRole' });
    const statements = service.resources.Resources.GatewayRole!.Properties.Policies.flatMap(
      (policy: { PolicyDocument: { Statement: Array<{ Action: string | string[] }> } }) => policy.PolicyDocument.Statement,
    );
    const actions = statements.flatMap((statement: { Action: string | string[] }) => statement.Action);
    // iot:Publish is the data plane's liveness probe, on brigade/status/ping only.
    expect(actions.sort()).toEqual(['dynamodb:DescribeTable', 'iot:Publish', 'sns:GetTopicAttributes']);
  });
});
