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
  | { type: 'notification'; notification: unknown }
  | { type: 'notifications'; notifications: unknown[] };

/**
 * A push's data stays within this: API Gateway takes at most 128 KB per PostToConnection, and a `notifications`
 * message past it is split into several.
 */
export const PUSH_MESSAGE_BYTES = 96 * 1024;

/**
 * A user's new notifications of one round as few messages as fit: one alone as `notification`, several in order
 * as `notifications`, each message's JSON within PUSH_MESSAGE_BYTES (a single larger one goes alone, as before).
 */
export function notificationMessages(notifications: readonly unknown[]): ServerMessage[] {
  if (notifications.length === 1) return [{ type: 'notification', notification: notifications[0] }];
  const messages: ServerMessage[] = [];
  const envelopeBytes = Buffer.byteLength('{"type":"notifications","notifications":[]}');
  let current: unknown[] = [];
  let bytes = envelopeBytes;
  for (const notification of notifications) {
    const size = Buffer.byteLength(JSON.stringify(notification)) + 1; // and its comma
    if (current.length > 0 && bytes + size > PUSH_MESSAGE_BYTES) {
      messages.push(current.length === 1 ? { type: 'notification', notification: current[0] } : { type: 'notifications', notifications: current });
      current = [];
      bytes = envelopeBytes;
    }
    current.push(notification);
    bytes += size;
  }
  if (current.length > 0) messages.push(current.length === 1 ? { type: 'notification', notification: current[0] } : { type: 'notifications', notifications: current });
  return messages;
}

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

/** Each user's connections to push to, and how many of theirs were just closed as revoked. */
export interface OpenConnections {
  open: Map<string, Connection[]>;
  closed: Map<string, number>;
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
   * The users' connections to push to: each user's listed once, the sessions of all of them checked in one
   * revocation read, and those whose session was revoked closed (counted in `closed`) instead of kept.
   */
  async function openConnections(userIds: readonly string[]): Promise<OpenConnections> {
    const unique = [...new Set(userIds)];
    const connectionsOf = new Map(await Promise.all(unique.map(async (userId) => [userId, await connections.listForUser(userId)] as const)));
    const sessionsByUser = new Map<string, SessionRef[]>();
    for (const [userId, all] of connectionsOf) {
      const sessions = all.flatMap((c) => (c.sessionId && c.issuedAt !== undefined ? [{ sessionId: c.sessionId, issuedAt: c.issuedAt }] : []));
      if (sessions.length > 0) sessionsByUser.set(userId, sessions);
    }
    const revoked = sessionsByUser.size > 0 ? await findRevoked(sessionsByUser) : new Map<string, Map<string, unknown>>();
    const open = new Map<string, Connection[]>();
    const closed = new Map<string, number>();
    await Promise.all(
      unique.map(async (userId) => {
        const revokedOfUser = revoked.get(userId);
        const all = connectionsOf.get(userId) ?? [];
        const closing = all.filter((c) => c.sessionId && revokedOfUser?.has(c.sessionId));
        open.set(userId, all.filter((c) => !closing.includes(c)));
        closed.set(userId, closing.length);
        await Promise.all(closing.map(closeRevoked));
      }),
    );
    return { open, closed };
  }

  /**
   * Pushes each message to every open connection of its user at once; one connection's failure never stops the
   * others. The outcomes are in the order of `requests`; a user's closed connections are counted on their first.
   */
  async function pushMessages(found: OpenConnections, requests: ReadonlyArray<{ userId: string; message: unknown }>): Promise<PushOutcome[]> {
    const reported = new Set<string>();
    return Promise.all(
      requests.map(async ({ userId, message }) => {
        const pushes = await Promise.all((found.open.get(userId) ?? []).map((c) => pushToOne(c, message)));
        const closedNow = reported.has(userId) ? 0 : (found.closed.get(userId) ?? 0);
        reported.add(userId);
        return { pushed: pushes.filter((o) => o === 'pushed').length, gone: pushes.filter((o) => o === 'gone').length, closed: closedNow };
      }),
    );
  }

  /**
   * Each user's new notifications of a round, to their open connections (found by openConnections): several of
   * one user go as few `notifications` messages (notificationMessages), so a burst costs one PostToConnection per
   * connection, not one per notification. Each notification's outcome is its message's.
   */
  async function pushNotifications(found: OpenConnections, requests: ReadonlyArray<{ userId: string; notification: unknown }>): Promise<PushOutcome[]> {
    const ofUser = new Map<string, number[]>();
    requests.forEach((r, i) => ofUser.set(r.userId, [...(ofUser.get(r.userId) ?? []), i]));
    const sends: Array<{ userId: string; message: unknown; covers: number[] }> = [];
    for (const [userId, indexes] of ofUser) {
      let next = 0;
      for (const message of notificationMessages(indexes.map((i) => requests[i]!.notification))) {
        const count = message.type === 'notifications' ? message.notifications.length : 1;
        sends.push({ userId, message, covers: indexes.slice(next, (next += count)) });
      }
    }
    const outcomes = await pushMessages(found, sends);
    const byRequest: PushOutcome[] = [];
    sends.forEach((send, j) => send.covers.forEach((i, k) => (byRequest[i] = k === 0 ? outcomes[j]! : { ...outcomes[j]!, closed: 0 })));
    return byRequest;
  }

  /** Each message to every open connection of its user: openConnections, then pushMessages. */
  async function pushEach(requests: ReadonlyArray<{ userId: string; message: unknown }>): Promise<PushOutcome[]> {
    return pushMessages(await openConnections(requests.map((r) => r.userId)), requests);
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

  return { send, pushToUser, pushToUsers, pushEach, openConnections, pushNotifications };
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
export const openConnections = (userIds: readonly string[]) => wired().openConnections(userIds);
export const pushNotifications = (found: OpenConnections, requests: ReadonlyArray<{ userId: string; notification: unknown }>) => wired().pushNotifications(found, requests);
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
