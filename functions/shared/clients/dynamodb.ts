import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { baseConfig } from './endpoint';

// Built on first use and reused for the life of the execution environment; no network at import time.
let dynamo: DynamoDBDocumentClient | undefined;

export function dynamoDb(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(new DynamoDBClient(baseConfig('DYNAMODB')), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamo;
}
