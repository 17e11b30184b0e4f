// Creates DynamoDB tables from their CloudFormation definitions (the same resources/ that AWS deploys).
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from './service-definition';

type Cfn = Record<string, unknown>;

export function createTableInput(properties: Cfn): CreateTableCommandInput {
  const index = (i: Cfn) => ({
    IndexName: i.IndexName as string,
    KeySchema: i.KeySchema as CreateTableCommandInput['KeySchema'],
    Projection: i.Projection as { ProjectionType: 'ALL' },
  });
  const payPerRequest = properties.BillingMode === 'PAY_PER_REQUEST';
  return {
    TableName: String(properties.TableName),
    AttributeDefinitions: properties.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    KeySchema: properties.KeySchema as CreateTableCommandInput['KeySchema'],
    BillingMode: payPerRequest ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ...(payPerRequest ? {} : { ProvisionedThroughput: properties.ProvisionedThroughput as { ReadCapacityUnits: number; WriteCapacityUnits: number } }),
    ...(properties.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: (properties.GlobalSecondaryIndexes as Cfn[]).map(index) } : {}),
    ...(properties.LocalSecondaryIndexes ? { LocalSecondaryIndexes: (properties.LocalSecondaryIndexes as Cfn[]).map(index) } : {}),
    ...(properties.StreamSpecification ? { StreamSpecification: { StreamEnabled: true, ...(properties.StreamSpecification as Cfn) } } : {}),
  };
}

/**
 * Idempotent: an existing table keeps its data (a disk-backed store survives restarts) and gets the indexes the
 * definition has gained since it was created, as a CloudFormation update would add them on AWS.
 */
export async function ensureTables(client: DynamoDBClient, tables: TableDefinition[]): Promise<string[]> {
  const created: string[] = [];
  for (const table of tables) {
    const input = createTableInput(table.properties);
    try {
      await client.send(new CreateTableCommand(input));
      created.push(input.TableName!);
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw new Error(`creating table ${input.TableName}: ${String(error)}`, { cause: error });
      await addMissingIndexes(client, input);
      await enableMissingStream(client, input);
    }
    const ttl = table.properties.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
    if (ttl?.Enabled) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
      if (Table) {
        await client
          .send(new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: ttl }))
          .catch((error: Error) => {
            if (!/already enabled/i.test(error.message)) throw error;
          });
      }
    }
  }
  return created;
}

/** A table kept on disk from before its definition had a stream gets one, as a CloudFormation update would. */
async function enableMissingStream(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  if (!input.StreamSpecification) return;
  const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName: input.TableName, StreamSpecification: input.StreamSpecification }));
}

async function addMissingIndexes(client: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
  const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    if (existing.has(index.IndexName)) continue;
    const keyNames = new Set(index.KeySchema?.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: input.TableName,
        AttributeDefinitions: input.AttributeDefinitions?.filter((a) => keyNames.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } }],
      }),
    );
  }
}
