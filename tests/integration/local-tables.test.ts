// The local cloud's table setup against the running DynamoDB Local: a table kept on disk from an older checkout
// gets the indexes its definition has gained since (as a CloudFormation update adds them on AWS), and keeps its data.
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../local-cloud/service-definition';
import { ensureTables } from '../../local-cloud/tables';
import { describeLocal, region, uniqueId } from './support/target';

describeLocal('local tables', () => {
  const client = new DynamoDBClient({ region, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL });
  afterAll(() => client.destroy());

  it('an existing table gains the definition’s new index and keeps its items; running again changes nothing', async () => {
    const TableName = uniqueId('tables-test');
    const keys = { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }, { AttributeName: 'sk', AttributeType: 'S' as const }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }] };
    await client.send(new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', ...keys }));
    await client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'kept' }, sk: { S: 'item' } } }));

    const definition: TableDefinition = {
      logicalId: 'TestTable',
      properties: {
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...keys.AttributeDefinitions, { AttributeName: 'outboxShard', AttributeType: 'S' }, { AttributeName: 'outboxAt', AttributeType: 'S' }],
        KeySchema: keys.KeySchema,
        GlobalSecondaryIndexes: [
          { IndexName: 'outbox', KeySchema: [{ AttributeName: 'outboxShard', KeyType: 'HASH' }, { AttributeName: 'outboxAt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
        ],
      },
    };
    expect(await ensureTables(client, [definition])).toEqual([]);
    expect(await ensureTables(client, [definition])).toEqual([]);
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['outbox']);
    const { Item } = await client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'kept' }, sk: { S: 'item' } } }));
    expect(Item).toBeDefined();
  });
});
