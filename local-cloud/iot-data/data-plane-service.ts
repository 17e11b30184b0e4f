// The AWS IoT data plane REST API as @aws-sdk/client-iot-data-plane and `aws iot-data` call it, served on the
// edge port (Publish, GetThingShadow, UpdateThingShadow, DeleteThingShadow), plus the Device Shadow service on the
// local broker's reserved `$aws/things/.../shadow` topics.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendRestJson } from '../rest-json';
import type { EdgeService, LocalBroker, QoS } from '../types';
import { ShadowError, type JsonObject } from './shadow-document';
import { isValidShadowRef, parseShadowRequestTopic, ShadowService } from './shadow-service';
import type { ShadowRef } from './shadow-store';

export interface IotDataPlaneOptions {
  broker: LocalBroker;
  log?: (msg: string, extra?: object) => void;
}

export interface IotDataPlane extends EdgeService {
  /** Subscribes to the MQTT shadow request topics. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** `param` is the route's one decoded path parameter, if it has one. */
type Handler = (param: string, query: URLSearchParams, body: Buffer) => Promise<JsonObject | undefined>;

interface Route {
  path: RegExp;
  methods: Partial<Record<string, Handler>>;
}

/** AWS IoT message broker limit for a publish payload. */
const MAX_PUBLISH_BYTES = 128 * 1024;

const ERROR_TYPES = {
  400: 'InvalidRequestException',
  404: 'ResourceNotFoundException',
  409: 'ConflictException',
  413: 'RequestEntityTooLargeException',
  415: 'UnsupportedDocumentEncodingException',
} as const satisfies Record<ShadowError['code'], string>;

export function createIotDataPlane(opts: IotDataPlaneOptions): IotDataPlane {
  return new IotDataPlaneService(opts.broker, opts.log ?? (() => {}));
}

class IotDataPlaneService implements IotDataPlane {
  readonly name = 'iot-data';
  private readonly shadows: ShadowService;
  private unsubscribes: (() => void)[] = [];

  private readonly routes: Route[] = [
    { path: /^\/topics\/(.+)$/, methods: { POST: (p, q, b) => this.publish(p, q, b) } },
    {
      path: /^\/things\/([^/]+)\/shadow$/,
      methods: {
        GET: (p, q) => this.shadows.get(shadowRef(p, q)),
        POST: (p, q, b) => this.shadows.update(shadowRef(p, q), b),
        DELETE: (p, q) => this.shadows.delete(shadowRef(p, q)),
      },
    },
  ];

  constructor(
    private readonly broker: LocalBroker,
    private readonly log: (msg: string, extra?: object) => void,
  ) {
    this.shadows = new ShadowService(broker);
  }

  async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://edge');
    const match = this.match(url.pathname);
    if (!match || signedForAnotherService(req)) return false;

    const handler = match.route.methods[req.method ?? 'GET'];
    if (!handler) {
      sendError(res, 405, 'MethodNotAllowedException', `Method ${req.method} is not allowed on ${url.pathname}`);
      return true;
    }
    try {
      sendRestJson(res, 200, await handler(decodePathParam(match.param), url.searchParams, body));
    } catch (error) {
      if (error instanceof ShadowError) {
        sendError(res, error.code, ERROR_TYPES[error.code], error.message);
      } else {
        this.log('iot-data: request failed', { method: req.method, path: url.pathname, error: String(error) });
        sendError(res, 500, 'InternalFailureException', 'Internal service failure');
      }
    }
    return true;
  }

  async start(): Promise<void> {
    if (this.unsubscribes.length > 0) return;
    this.unsubscribes = [
      await this.broker.subscribe('$aws/things/+/shadow/#', (topic, payload) => this.onShadowRequest(topic, payload)),
    ];
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  private onShadowRequest(topic: string, payload: Buffer): void {
    const request = parseShadowRequestTopic(topic);
    if (!request) return;
    this.shadows.handleMqttRequest(request.ref, request.operation, payload).catch((error: unknown) => {
      this.log('iot-data: shadow request failed', { topic, error: String(error) });
    });
  }

  private match(pathname: string): { route: Route; param: string } | undefined {
    for (const route of this.routes) {
      const found = route.path.exec(pathname);
      if (found) return { route, param: found[1] ?? '' };
    }
    return undefined;
  }

  private async publish(topic: string, query: URLSearchParams, payload: Buffer): Promise<undefined> {
    if (topic.includes('+') || topic.includes('#')) {
      throw new ShadowError(400, 'Topic must not contain wildcard characters');
    }
    if (payload.length > MAX_PUBLISH_BYTES) {
      throw new ShadowError(413, 'The payload exceeds the maximum size allowed');
    }
    // A retained message is kept by the broker, which hands it to later subscribers.
    await this.broker.publish(topic, payload, { qos: parseQos(query.get('qos')), retain: query.get('retain') === 'true' });
    return undefined;
  }
}

function shadowRef(thingName: string, query: URLSearchParams): ShadowRef {
  const ref: ShadowRef = { thingName };
  const shadowName = query.get('name');
  if (shadowName) ref.shadowName = shadowName;
  if (!isValidShadowRef(ref)) throw new ShadowError(400, 'Invalid thing name or shadow name');
  return ref;
}

/** Other services share the edge port: a request signed for another service is theirs even on a path like ours. */
function signedForAnotherService(req: IncomingMessage): boolean {
  const scope = /Credential=[^/,]+\/\d{8}\/[^/,]+\/([^/,]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  return scope !== null && scope[1] !== 'iotdata';
}

function decodePathParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ShadowError(400, 'Invalid URI encoding');
  }
}

function parseQos(value: string | null): QoS {
  if (value === null || value === '0') return 0;
  if (value === '1') return 1;
  throw new ShadowError(400, 'QoS must be 0 or 1');
}

/** restJson error shape: the SDK reads the type from `x-amzn-ErrorType` and the text from `message`. */
function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendRestJson(res, status, { message }, { 'x-amzn-ErrorType': type });
}
