// The realtime channel (docs/notifications.md, "Realtime"): who may open a connection, what a client may say on
// it, and pushing to every open connection of a user through the WebSocket API's management endpoint.
import { DeleteConnectionCommand, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { bearerToken, revokedSessionsOfUsers, type SessionRef } from '#shared/access-token';
import { apiGatewayManagementClient } from '#shared/clients/apigateway-management';
import { HttpError, UnauthorizedError } from '#shared/errors';
import { logger } from '#shared/logger';
import { config, connections } from './config';
import type { Connection, ConnectionStore } from './connections';

/** `$connect` carries the upgrade request's headers and query; later events do not. */
export type ConnectEvent = APIGatewayProxyWebsocketEventV2 & { headers?: Record<string, string | undefined> };

/**
 * The access token of a connection request: `Authorization: Bearer …`, or `?token=…` because browsers cannot set
 * headers on a WebSocket. Header names arrive as the client wrote them. Either way it must have a JWT's shape.
 */
export function connectionToken(event: Pick<ConnectEvent, 'headers' | 'queryStringParameters'>): string {
  const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  const query = event.queryStringParameters?.token;
  if (header !== undefined) return bearerToken({ authorization: header });
  if (query !== undefined) return bearerToken({ authorization: `Bearer ${query}` });
  throw new UnauthorizedError();
}

/** What the server sends on a connection. */
export type ServerMessage =
  | { type: 'pong' }
  | { type: 'error'; error: { code: 'BAD_MESSAGE' | 'UNKNOWN_ACTION'; message: string } }
  | { type: 'notification'; notification: unknown };

const clientMessageSchema = z.object({ action: z.literal('ping') });

/** The answer to a message a client sent: `{"action":"ping"}` gets a pong, anything else an error message. */
export function replyTo(body: unknown): ServerMessage {
  let json: unknown;
  try {
    json = typeof body === 'string' ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { type: 'error', error: { code: 'BAD_MESSAGE', message: 'Messages are JSON objects with an "action"' } };
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (!parsed.success) return { type: 'error', error: { code: 'UNKNOWN_ACTION', message: 'Known actions: ping' } };
  return { type: 'pong' };
}

/** The calls realtime makes to API Gateway; a fake in unit tests. */
export interface ConnectionsApi {
  send(command: PostToConnectionCommand | DeleteConnectionCommand): Promise<unknown>;
}

export interface RealtimeDeps {
  connections: Pick<ConnectionStore, 'listForUser' | 'remove'>;
  api: ConnectionsApi;
  /**
   * For each user, their sessions among these that were revoked since their connection opened
   * (shared/access-token), all users in one call; a user with none revoked may be absent.
   */
  revokedSessions: (sessionsByUser: Map<string, SessionRef[]>) => Promise<Map<string, Map<string, unknown>>>;
}

export interface PushOutcome {
  pushed: number;
  gone: number;
  closed: number;
}

// API Gateway answers 410 GoneException for a connection that is closed. serverless-offline answers a bare 410,
// which the SDK cannot name, so the status decides.
function isGone(error: unknown): boolean {
  return error instanceof GoneException || (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode === 410;
}

export function createRealtime({ connections, api, revokedSessions: findRevoked }: RealtimeDeps) {
  /** 'gone' when API Gateway no longer knows the connection; any other failure is thrown. */
  async function send(connectionId: string, message: unknown): Promise<'sent' | 'gone'> {
    try {
      await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }));
      return 'sent';
    } catch (error) {
      if (isGone(error)) return 'gone';
      throw error;
    }
  }

  async function pushToOne(connection: Connection, message: unknown): Promise<'pushed' | 'gone' | 'failed'> {
    try {
      if ((await send(connection.connectionId, message)) === 'sent') return 'pushed';
    } catch (error) {
      logger.warn('realtime push failed', { connectionId: connection.connectionId, error: error as Error });
      return 'failed';
    }
    try {
      await connections.remove(connection);
      return 'gone';
    } catch (error) {
      // Left for the next push to find gone again, or for TTL.
      logger.warn('gone realtime connection not deleted', { connectionId: connection.connectionId, error: error as Error });
      return 'failed';
    }
  }

  /**
   * A connection outlives the token that opened it (API Gateway keeps it up to 2 hours): one whose session was
   * logged out, or whose user was deactivated or changed, is closed instead of being pushed to.
   */
  async function closeRevoked(connection: Connection): Promise<void> {
    try {
      await api.send(new DeleteConnectionCommand({ ConnectionId: connection.connectionId }));
    } catch (error) {
      if (!isGone(error)) logger.warn('revoked realtime connection not closed', { connectionId: connection.connectionId, error: error as Error });
    }
    await connections.remove(connection);
  }

  /**
   * Pushes each message to every open connection of its user at once; one connection's failure never stops the
   * others. Each user's connections are listed once, however many messages they get, and the sessions of all
   * these users are checked in one revocation read. The outcomes are in the order of `requests`.
   */
  async function pushEach(requests: ReadonlyArray<{ userId: string; message: unknown }>): Promise<PushOutcome[]> {
    const userIds = [...new Set(requests.map((r) => r.userId))];
    const connectionsOf = new Map(await Promise.all(userIds.map(async (userId) => [userId, await connections.listForUser(userId)] as const)));
    const sessionsByUser = new Map<string, SessionRef[]>();
    for (const [userId, all] of connectionsOf) {
      const sessions = all.flatMap((c) => (c.sessionId && c.issuedAt !== undefined ? [{ sessionId: c.sessionId, issuedAt: c.issuedAt }] : []));
      if (sessions.length > 0) sessionsByUser.set(userId, sessions);
    }
    const revoked = sessionsByUser.size > 0 ? await findRevoked(sessionsByUser) : new Map<string, Map<string, unknown>>();
    const openOf = new Map(
      userIds.map((userId) => {
        const revokedOfUser = revoked.get(userId);
        return [userId, (connectionsOf.get(userId) ?? []).filter((c) => !(c.sessionId && revokedOfUser?.has(c.sessionId)))] as const;
      }),
    );
    const closed = new Map(
      await Promise.all(
        userIds.map(async (userId) => {
          const closing = (connectionsOf.get(userId) ?? []).filter((c) => !openOf.get(userId)!.includes(c));
          await Promise.all(closing.map(closeRevoked));
          return [userId, closing.length] as const;
        }),
      ),
    );
    const reported = new Set<string>();
    return Promise.all(
      requests.map(async ({ userId, message }) => {
        const pushes = await Promise.all(openOf.get(userId)!.map((c) => pushToOne(c, message)));
        const count = (outcome: string) => pushes.filter((o) => o === outcome).length;
        // A user's closed connections are counted once, on their first message.
        const closedNow = reported.has(userId) ? 0 : closed.get(userId)!;
        reported.add(userId);
        return { pushed: count('pushed'), gone: count('gone'), closed: closedNow };
      }),
    );
  }

  /** One message per user: pushEach keyed by user. */
  async function pushToUsers(messages: ReadonlyMap<string, unknown>): Promise<Map<string, PushOutcome>> {
    const requests = [...messages].map(([userId, message]) => ({ userId, message }));
    const outcomes = await pushEach(requests);
    return new Map(requests.map((r, i) => [r.userId, outcomes[i]!]));
  }

  async function pushToUser(userId: string, message: unknown): Promise<PushOutcome> {
    return (await pushToUsers(new Map([[userId, message]]))).get(userId)!;
  }

  return { send, pushToUser, pushToUsers, pushEach };
}

let realtime: ReturnType<typeof createRealtime> | undefined;
const wired = () =>
  (realtime ??= createRealtime({
    connections,
    api: apiGatewayManagementClient(config.WEBSOCKET_API_ENDPOINT),
    revokedSessions: (sessionsByUser) => revokedSessionsOfUsers(sessionsByUser, config.REVOCATIONS_TABLE),
  }));

export const pushToUser = (userId: string, message: unknown) => wired().pushToUser(userId, message);
export const pushToUsers = (messages: ReadonlyMap<string, unknown>) => wired().pushToUsers(messages);
export const pushEach = (requests: ReadonlyArray<{ userId: string; message: unknown }>) => wired().pushEach(requests);
export const sendToConnection = (connectionId: string, message: ServerMessage) => wired().send(connectionId, message);

/**
 * A WebSocket route's handler: its status decides whether `$connect` upgrades (2xx) or refuses; other routes'
 * status is not seen by the client. Errors of the handler kit keep their status; anything else is a 500.
 */
export function websocketRoute<E extends APIGatewayProxyWebsocketEventV2>(
  route: string,
  handle: (event: E) => Promise<void>,
): (event: E) => Promise<{ statusCode: number }> {
  return async (event) => {
    logger.resetKeys();
    logger.appendKeys({ route, connectionId: event.requestContext.connectionId, requestId: event.requestContext.requestId });
    try {
      await handle(event);
      return { statusCode: 200 };
    } catch (error) {
      if (error instanceof HttpError && error.statusCode < 500) {
        logger.info('websocket request rejected', { status: error.statusCode, code: error.code });
        return { statusCode: error.statusCode };
      }
      logger.error('websocket handler failed', { error: error as Error });
      return { statusCode: 500 };
    }
  };
}
