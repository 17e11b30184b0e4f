// DynamoDB access for the demo table only.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { dynamoDb } from '#shared/aws-clients';
import { ConflictError } from '#shared/errors';
import type { Note, RuleError, TelemetryReading } from './schemas';

const READING_TTL_SECONDS = 7 * 24 * 60 * 60;

const noteKey = (siteId: string, noteId: string) => ({ pk: `SITE#${siteId}#NOTE#${noteId}`, sk: 'NOTE' });
const deviceKey = (siteId: string, deviceId: string) => `SITE#${siteId}#DEVICE#${deviceId}`;

export class DemoStore {
  constructor(private readonly tableName: string) {}

  async putNote(note: Note): Promise<void> {
    try {
      await dynamoDb().send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...noteKey(note.siteId, note.noteId), ...note },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConflictError('Note already exists');
      throw error;
    }
  }

  async getNote(siteId: string, noteId: string): Promise<Note | undefined> {
    const { Item } = await dynamoDb().send(new GetCommand({ TableName: this.tableName, Key: noteKey(siteId, noteId) }));
    if (!Item) return undefined;
    return {
      siteId: Item.siteId,
      noteId: Item.noteId,
      text: Item.text,
      createdAt: Item.createdAt,
      eventDeliveries: Item.eventDeliveries,
    };
  }

  async countEventDelivery(siteId: string, noteId: string): Promise<void> {
    await dynamoDb().send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: noteKey(siteId, noteId),
        UpdateExpression: 'ADD eventDeliveries :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  async putReading(reading: TelemetryReading): Promise<void> {
    const at = new Date(reading.t ?? reading.receivedAt).toISOString();
    await dynamoDb().send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: deviceKey(reading.siteId, reading.deviceId),
          // A QoS 1 redelivery carries the same seq and lands on the same item instead of doubling.
          sk: `READING#${at}#${reading.seq ?? randomUUID()}`,
          ...reading,
          expiresAt: Math.floor(reading.receivedAt / 1000) + READING_TTL_SECONDS,
        },
      }),
    );
  }

  async listReadings(siteId: string, deviceId: string, limit: number) {
    const { Items = [] } = await dynamoDb().send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': deviceKey(siteId, deviceId), ':prefix': 'READING#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => ({
      temperatureC: item.temperatureC as number,
      at: new Date((item.t as number | undefined) ?? (item.receivedAt as number)).toISOString(),
      seq: item.seq as number | undefined,
    }));
  }

  async putRuleError(error: RuleError, receivedAt: Date): Promise<void> {
    await dynamoDb().send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: 'RULE-ERROR', sk: `${receivedAt.toISOString()}#${randomUUID()}`, ...error },
      }),
    );
  }
}
