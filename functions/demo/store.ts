// DynamoDB access for the demo table only.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { dynamoDb } from '#shared/aws-clients';
import { ConflictError } from '#shared/errors';
import type { Note } from './schemas';

const noteKey = (siteId: string, noteId: string) => ({ pk: `SITE#${siteId}#NOTE#${noteId}`, sk: 'NOTE' });

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
}
