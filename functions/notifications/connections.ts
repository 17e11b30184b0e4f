// Open WebSocket connections in the notifications table (docs/notifications.md, "Table"): one item under the
// user, listed to push, and one under the connection, for `$disconnect`, which knows only the connection id.
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#shared/clients/dynamodb';

// API Gateway closes a WebSocket connection after 2 hours; the margin covers clock skew and a late $disconnect.
// A connection whose $disconnect never ran (a crashed handler) then disappears by TTL.
export const CONNECTION_LIFETIME_SECONDS = 2 * 60 * 60 + 10 * 60;

export interface Connection {
  userId: string;
  connectionId: string;
  /** The session whose access token opened it, and when that token was issued: a push checks neither was revoked. */
  sessionId?: string;
  issuedAt?: number;
}

const userConnectionKey = ({ userId, connectionId }: Connection) => ({ pk: `USER#${userId}`, sk: `CONN#${connectionId}` });
const connectionKey = (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: 'CONN' });

export class ConnectionStore {
  constructor(private readonly tableName: string) {}

  /** Both items or neither: a connection is never listed for a user without the way back from its id. */
  async add(connection: Connection, connectedAtMs: number): Promise<void> {
    const connectedAt = new Date(connectedAtMs).toISOString();
    const expiresAt = Math.floor(connectedAtMs / 1000) + CONNECTION_LIFETIME_SECONDS;
    const attributes = { ...connection, connectedAt, expiresAt };
    await dynamoDb().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: { ...userConnectionKey(connection), ...attributes } } },
          { Put: { TableName: this.tableName, Item: { ...connectionKey(connection.connectionId), ...attributes } } },
        ],
      }),
    );
  }

  /**
   * The user's connection ids, leaving out those past their lifetime that TTL has not removed yet. A user has a
   * handful of connections (one per device), so one page (1 MB, thousands of these items) holds them all.
   */
  async listForUser(userId: string, nowMs = Date.now()): Promise<Connection[]> {
    const { Items = [] } = await dynamoDb().send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
        ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':conn': 'CONN#' },
        ProjectionExpression: 'connectionId, expiresAt, sessionId, issuedAt',
      }),
    );
    return Items.filter((item) => typeof item.expiresAt === 'number' && item.expiresAt * 1000 > nowMs).map((item) => ({
      userId,
      connectionId: item.connectionId as string,
      ...(typeof item.sessionId === 'string' && { sessionId: item.sessionId }),
      ...(typeof item.issuedAt === 'number' && { issuedAt: item.issuedAt }),
    }));
  }

  /** Deletes both items of a connection; deleting one already gone is not an error. */
  async remove(connection: Connection): Promise<void> {
    await dynamoDb().send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: userConnectionKey(connection) } },
          { Delete: { TableName: this.tableName, Key: connectionKey(connection.connectionId) } },
        ],
      }),
    );
  }

  /** `$disconnect`: finds the user through the connection's own item; an unknown id (already removed) is a no-op. */
  async removeById(connectionId: string): Promise<Connection | undefined> {
    const { Item } = await dynamoDb().send(
      new GetCommand({ TableName: this.tableName, Key: connectionKey(connectionId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const connection = { userId: Item.userId as string, connectionId };
    await this.remove(connection);
    return connection;
  }
}
