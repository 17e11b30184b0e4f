// A realtime client as an app would open one: a real WebSocket to the stack's WebSocket API (BRIGADE_WEBSOCKET_URL),
// authenticated with an access token, collecting every message the server pushes.
import WebSocket from 'ws';

export type TokenPlacement = 'header' | 'query';

export interface RealtimeClient {
  socket: WebSocket;
  /**
   * Every message received so far, parsed as JSON (a frame that is not JSON is kept as its text). A `notifications`
   * message (several of one push round) is listed as one `notification` message each, in its order, as an app
   * would handle it; `frames` keeps what came on the wire.
   */
  messages: any[];
  /** Every message as it came, parsed as JSON. */
  frames: any[];
  /**
   * The first message matching `predicate` that no earlier `next` returned, waiting for it if it has not arrived:
   * messages are taken in order, so two `next(isPong)` return two different pongs.
   */
  next<T = any>(predicate?: (message: any) => boolean, timeoutMs?: number): Promise<T>;
  send(message: unknown): void;
  /** Closes and waits until the socket is closed. */
  close(): Promise<void>;
}

/** The upgrade was refused: `status` is the HTTP status API Gateway (or serverless-offline) answered with. */
export class RealtimeRefusedError extends Error {
  constructor(readonly status: number) {
    super(`WebSocket upgrade refused with HTTP ${status}`);
  }
}

export function websocketUrl(): string {
  const url = process.env.BRIGADE_WEBSOCKET_URL;
  if (!url) throw new Error('BRIGADE_WEBSOCKET_URL is not set: run the integration tests through npm run test:integration');
  return url;
}

/**
 * Opens a connection with `token` in the Authorization header (apps) or in `?token=` (browsers); no token at all
 * when undefined. Rejects with RealtimeRefusedError when `$connect` refuses the upgrade.
 */
export function openRealtime(token: string | undefined, via: TokenPlacement = 'header', timeoutMs = 10_000): Promise<RealtimeClient> {
  const url = new URL(websocketUrl());
  if (token !== undefined && via === 'query') url.searchParams.set('token', token);
  const headers = token !== undefined && via === 'header' ? { authorization: `Bearer ${token}` } : undefined;
  const socket = new WebSocket(url, { headers, handshakeTimeout: timeoutMs });

  const messages: any[] = [];
  const frames: any[] = [];
  const taken = new Set<number>();
  const waiters = new Set<() => void>();
  socket.on('message', (data, isBinary) => {
    const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    frames.push(parsed);
    if (parsed?.type === 'notifications' && Array.isArray(parsed.notifications)) {
      for (const notification of parsed.notifications) messages.push({ type: 'notification', notification });
    } else messages.push(parsed);
    for (const wake of waiters) wake();
  });

  const client: RealtimeClient = {
    socket,
    messages,
    frames,
    next(predicate = () => true, waitMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const index = messages.findIndex((m, i) => !taken.has(i) && predicate(m));
          if (index < 0) return false;
          taken.add(index);
          waiters.delete(check);
          clearTimeout(timer);
          resolve(messages[index]);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message in ${waitMs} ms; received: ${JSON.stringify(messages)}`));
        }, waitMs);
        if (!check()) waiters.add(check);
      });
    },
    send(message) {
      socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    close() {
      if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };

  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    // With this listener ws hands over the refused handshake's response instead of failing with a bare message.
    socket.once('unexpected-response', (_request, response) => {
      response.resume();
      socket.terminate();
      reject(new RealtimeRefusedError(response.statusCode ?? 0));
    });
    // Kept for the socket's life: terminating a refused handshake emits one more error, and ws throws unheard ones.
    socket.on('error', reject);
  });
}

/** The HTTP status a connection attempt ends with: 101 when the upgrade happened (the connection is closed again). */
export async function upgradeStatus(token: string | undefined, via: TokenPlacement = 'header'): Promise<number> {
  try {
    await (await openRealtime(token, via)).close();
    return 101;
  } catch (error) {
    if (error instanceof RealtimeRefusedError) return error.status;
    throw error;
  }
}
