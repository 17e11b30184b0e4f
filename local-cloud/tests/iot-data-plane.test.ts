import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { rejectionOf, serveHttp, type TestServer } from './support/emulator-server';
import {
  ConflictException,
  DeleteThingShadowCommand,
  GetThingShadowCommand,
  InvalidRequestException,
  IoTDataPlaneClient,
  PublishCommand,
  RequestEntityTooLargeException,
  ResourceNotFoundException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import mqtt, { type MqttClient } from 'mqtt';
import { createIotDataPlane, type IotDataPlane } from '../iot-data';
import type { LocalBroker, MessageMeta, QoS } from '../types';

/** Parsed MQTT and shadow payloads; the assertions check their shape. */
type Json = Record<string, any>;

/**
 * aedes 1.x is ESM-only and this jest setup loads CommonJS only, so the real broker runs in a child Node process.
 * It listens for MQTT clients and exposes broker.publish / broker.subscribe over IPC for the LocalBroker adapter.
 */
const BROKER_SCRIPT = `
import net from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker();
const server = net.createServer(broker.handle);
const deliverers = new Map();
const done = (id) => (error) => process.send({ kind: 'done', id, error: error?.message });

process.on('disconnect', () => process.exit(0));
process.on('message', (command) => {
  if (command.kind === 'publish') {
    const payload = Buffer.from(command.payload, 'base64');
    const packet = { cmd: 'publish', topic: command.topic, payload, qos: command.qos, retain: command.retain, dup: false };
    broker.publish(packet, done(command.id));
  } else if (command.kind === 'subscribe') {
    const deliver = (packet, callback) => {
      const payload = Buffer.from(packet.payload).toString('base64');
      const { topic, qos, retain, clientId } = packet;
      process.send({ kind: 'message', subscription: command.id, topic, payload, qos, retain, clientId });
      callback();
    };
    deliverers.set(command.id, deliver);
    broker.subscribe(command.filter, deliver, done(command.id));
  } else if (command.kind === 'unsubscribe') {
    broker.unsubscribe(command.filter, deliverers.get(command.subscription), done(command.id));
  } else if (command.kind === 'close') {
    server.close();
    broker.close(() => process.exit(0));
  }
});
server.listen(0, '127.0.0.1', () => process.send({ kind: 'ready', port: server.address().port }));
`;

type BrokerEvent =
  | { kind: 'ready'; port: number }
  | { kind: 'done'; id: number; error?: string }
  | { kind: 'message'; subscription: number; topic: string; payload: string; qos: QoS; retain: boolean; clientId?: string };

type MessageHandler = (topic: string, payload: Buffer, meta: MessageMeta) => void;

/** LocalBroker over the child's aedes instance. */
class AedesProcess implements LocalBroker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private readonly handlers = new Map<number, MessageHandler>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (event) => this.onEvent(event as BrokerEvent));
  }

  static async start(): Promise<AedesProcess> {
    const child = spawn(process.execPath, ['--input-type=module', '-e', BROKER_SCRIPT], {
      cwd: resolve(__dirname, '../..'),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((ready, fail) => {
      child.once('message', (event) => ready((event as { port: number }).port));
      child.once('exit', (code) => fail(new Error(`aedes process exited with ${code}`)));
    });
    return new AedesProcess(child, port);
  }

  publish(topic: string, payload: Buffer | string, options: { qos?: QoS; retain?: boolean } = {}): Promise<void> {
    const { qos = 0, retain = false } = options;
    return this.command({ kind: 'publish', topic, payload: Buffer.from(payload).toString('base64'), qos, retain });
  }

  async subscribe(filter: string, onMessage: MessageHandler): Promise<() => void> {
    const subscription = this.nextId++;
    this.handlers.set(subscription, onMessage);
    await this.command({ kind: 'subscribe', filter }, subscription);
    return () => {
      this.handlers.delete(subscription);
      void this.command({ kind: 'unsubscribe', filter, subscription });
    };
  }

  async close(): Promise<void> {
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.send({ kind: 'close' });
    await exited;
  }

  private command(command: object, id = this.nextId++): Promise<void> {
    return new Promise((done, fail) => {
      this.pending.set(id, { resolve: done, reject: fail });
      this.child.send({ ...command, id });
    });
  }

  private onEvent(event: BrokerEvent): void {
    if (event.kind === 'done') {
      const call = this.pending.get(event.id);
      this.pending.delete(event.id);
      if (event.error) call?.reject(new Error(event.error));
      else call?.resolve();
    } else if (event.kind === 'message') {
      const meta: MessageMeta = { qos: event.qos, retain: event.retain, ...(event.clientId && { clientId: event.clientId }) };
      this.handlers.get(event.subscription)?.(event.topic, Buffer.from(event.payload, 'base64'), meta);
    }
  }
}

let broker: AedesProcess;
let dataPlane: IotDataPlane;
let server: TestServer;
let endpoint: string;
let client: IoTDataPlaneClient;
let device: MqttClient;

beforeAll(async () => {
  broker = await AedesProcess.start();
  dataPlane = createIotDataPlane({ broker });
  await dataPlane.start();

  server = await serveHttp(async (req, body, res) => {
    if (!(await dataPlane.handle(req, body, res))) res.writeHead(404, { 'x-test': 'not-handled' }).end();
  });
  endpoint = server.baseUrl;

  client = new IoTDataPlaneClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  device = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'fridge-1-device' });
});

afterAll(async () => {
  await device?.endAsync();
  client?.destroy();
  await dataPlane?.stop();
  await server?.close();
  await broker?.close();
});

/** Subscribes the device to `topic`, runs `action`, and resolves with the first message there as JSON. */
async function messageOn(topic: string, action: () => Promise<unknown>): Promise<Json> {
  await device.subscribeAsync(topic, { qos: 1 });
  try {
    const received = new Promise<Buffer>((arrived, fail) => {
      const timer = setTimeout(() => {
        device.off('message', onMessage);
        fail(new Error(`no message on ${topic}`));
      }, 3000);
      const onMessage = (messageTopic: string, payload: Buffer) => {
        if (messageTopic !== topic) return;
        clearTimeout(timer);
        device.off('message', onMessage);
        arrived(payload);
      };
      device.on('message', onMessage);
    });
    const [payload] = await Promise.all([received, action()]);
    return payload.length === 0 ? {} : (JSON.parse(payload.toString()) as Json);
  } finally {
    await device.unsubscribeAsync(topic);
  }
}

const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
const parse = (payload: Uint8Array | undefined): Json => JSON.parse(Buffer.from(payload ?? []).toString()) as Json;

async function getShadow(thingName: string, shadowName?: string): Promise<Json> {
  return parse((await client.send(new GetThingShadowCommand({ thingName, shadowName }))).payload);
}

async function updateShadow(thingName: string, body: unknown, shadowName?: string): Promise<Json> {
  return parse((await client.send(new UpdateThingShadowCommand({ thingName, shadowName, payload: json(body) }))).payload);
}


describe('Publish', () => {
  it('delivers the payload to an MQTT subscriber of the (URL-encoded) topic', async () => {
    const message = await messageOn('kitchen/fridge-1/temp', () =>
      client.send(new PublishCommand({ topic: 'kitchen/fridge-1/temp', qos: 1, payload: json({ celsius: 4 }) })),
    );
    expect(message).toEqual({ celsius: 4 });
  });

  it('publishes retained messages, which the broker hands to later subscribers', async () => {
    await client.send(new PublishCommand({ topic: 'kitchen/menu', retain: true, qos: 1, payload: json({ day: 'mon' }) }));
    const late = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'late-subscriber' });
    try {
      const received = new Promise<Buffer>((arrived) => late.once('message', (_topic, payload: Buffer) => arrived(payload)));
      await late.subscribeAsync('kitchen/menu', { qos: 1 });
      expect(JSON.parse((await received).toString())).toEqual({ day: 'mon' });
    } finally {
      await late.endAsync();
    }
  });

  it('rejects wildcard topics and an invalid QoS', async () => {
    const wildcard = await rejectionOf(client.send(new PublishCommand({ topic: 'kitchen/+/temp', payload: json({}) })));
    expect(wildcard).toBeInstanceOf(InvalidRequestException);
    const qos = await rejectionOf(client.send(new PublishCommand({ topic: 'kitchen/temp', qos: 2, payload: json({}) })));
    expect(qos).toBeInstanceOf(InvalidRequestException);
  });
});

describe('Device Shadow', () => {
  it('sends desired state to the device as a delta, and the device report over MQTT clears it', async () => {
    let accepted: Json = {};
    const delta = await messageOn('$aws/things/fridge-1/shadow/update/delta', async () => {
      accepted = await updateShadow('fridge-1', { state: { desired: { temp: 3, door: { locked: true } } } });
    });
    expect(accepted).toMatchObject({ state: { desired: { temp: 3, door: { locked: true } } }, version: 1 });
    expect(delta).toMatchObject({ version: 1, state: { temp: 3, door: { locked: true } } });
    expect(delta.metadata.temp.timestamp).toEqual(expect.any(Number));

    const report = { state: { reported: { temp: 3, door: { locked: true } } }, clientToken: 'dev-1' };
    const reportAccepted = await messageOn('$aws/things/fridge-1/shadow/update/accepted', () =>
      device.publishAsync('$aws/things/fridge-1/shadow/update', JSON.stringify(report)),
    );
    expect(reportAccepted).toMatchObject({ ...report, version: 2 });

    const shadow = await getShadow('fridge-1');
    expect(shadow.state).toEqual({ desired: { temp: 3, door: { locked: true } }, reported: { temp: 3, door: { locked: true } } });
    expect(shadow.version).toBe(2);
  });

  it('publishes previous and current documents on /update/documents', async () => {
    await updateShadow('fridge-docs', { state: { reported: { temp: 5 } } });
    const documents = await messageOn('$aws/things/fridge-docs/shadow/update/documents', () =>
      updateShadow('fridge-docs', { state: { reported: { temp: 6 } } }),
    );
    expect(documents).toMatchObject({
      previous: { state: { reported: { temp: 5 } }, version: 1 },
      current: { state: { reported: { temp: 6 } }, version: 2 },
    });
  });

  it('answers MQTT get requests on /get/accepted and /get/rejected with the client token', async () => {
    await updateShadow('fridge-get', { state: { desired: { temp: 2 } } });
    const found = await messageOn('$aws/things/fridge-get/shadow/get/accepted', () =>
      device.publishAsync('$aws/things/fridge-get/shadow/get', JSON.stringify({ clientToken: 'g1' })),
    );
    expect(found).toMatchObject({ state: { desired: { temp: 2 }, delta: { temp: 2 } }, version: 1, clientToken: 'g1' });

    const missing = await messageOn('$aws/things/nobody/shadow/get/rejected', () =>
      device.publishAsync('$aws/things/nobody/shadow/get', JSON.stringify({ clientToken: 'g2' })),
    );
    expect(missing).toEqual({
      code: 404,
      message: "No shadow exists with name: 'nobody'",
      timestamp: expect.any(Number),
      clientToken: 'g2',
    });
  });

  it('rejects an invalid MQTT update on /update/rejected', async () => {
    const rejected = await messageOn('$aws/things/fridge-bad/shadow/update/rejected', () =>
      device.publishAsync('$aws/things/fridge-bad/shadow/update', JSON.stringify({ desired: { temp: 1 } })),
    );
    expect(rejected).toMatchObject({ code: 400, message: 'Missing required node: state' });
  });

  it('throws ConflictException when the version does not match', async () => {
    await updateShadow('fridge-version', { state: { desired: { temp: 1 } } });
    const error = await rejectionOf<Error & { $metadata?: { httpStatusCode?: number } }>(updateShadow('fridge-version', { state: { desired: { temp: 2 } }, version: 5 }));
    expect(error).toBeInstanceOf(ConflictException);
    expect(error.name).toBe('ConflictException');
    expect(error.message).toBe('Version conflict');
    expect(error.$metadata?.httpStatusCode).toBe(409);

    await expect(updateShadow('fridge-version', { state: { desired: { temp: 2 } }, version: 1 })).resolves.toMatchObject({
      version: 2,
    });
  });

  it('throws ResourceNotFoundException for a shadow that does not exist', async () => {
    const error = await rejectionOf<Error & { $metadata?: { httpStatusCode?: number } }>(getShadow('ghost'));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe("No shadow exists with name: 'ghost'");
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  it('throws InvalidRequestException for invalid JSON and RequestEntityTooLargeException over 8 KiB', async () => {
    const invalid = await rejectionOf<Error & { $metadata?: { httpStatusCode?: number } }>(
      client.send(new UpdateThingShadowCommand({ thingName: 'fridge-1', payload: Buffer.from('{"state":') })),
    );
    expect(invalid).toBeInstanceOf(InvalidRequestException);
    expect(invalid.name).toBe('InvalidRequestException');
    expect(invalid.message).toBe('Invalid JSON');

    const tooLarge = await rejectionOf<Error & { $metadata?: { httpStatusCode?: number } }>(updateShadow('fridge-big', { state: { reported: { log: 'x'.repeat(9000) } } }));
    expect(tooLarge).toBeInstanceOf(RequestEntityTooLargeException);
  });

  it('keeps named shadows apart from the classic shadow', async () => {
    const delta = await messageOn('$aws/things/fridge-named/shadow/name/config/update/delta', () =>
      updateShadow('fridge-named', { state: { desired: { defrost: 'auto' } } }, 'config'),
    );
    expect(delta.state).toEqual({ defrost: 'auto' });
    await updateShadow('fridge-named', { state: { reported: { firmware: '1.2' } } }, 'ota');

    expect((await getShadow('fridge-named', 'config')).state.desired).toEqual({ defrost: 'auto' });
    const classic = await rejectionOf<Error & { $metadata?: { httpStatusCode?: number } }>(getShadow('fridge-named'));
    expect(classic).toBeInstanceOf(ResourceNotFoundException);
    expect((await getShadow('fridge-named', 'ota')).state.reported).toEqual({ firmware: '1.2' });
  });

  it('deletes a shadow, announces it on /delete/accepted, and continues its version afterwards', async () => {
    await updateShadow('fridge-del', { state: { desired: { temp: 1 } } });
    await updateShadow('fridge-del', { state: { desired: { temp: 2 } } }, 'spare');

    let deleted: Json = {};
    const announced = await messageOn('$aws/things/fridge-del/shadow/delete/accepted', async () => {
      deleted = parse((await client.send(new DeleteThingShadowCommand({ thingName: 'fridge-del' }))).payload);
    });
    expect(deleted).toEqual({ version: 1, timestamp: expect.any(Number) });
    expect(announced).toEqual(deleted);

    expect(await rejectionOf<Error & { $metadata?: { httpStatusCode?: number } }>(getShadow('fridge-del'))).toBeInstanceOf(ResourceNotFoundException);
    expect(await rejectionOf<Error & { $metadata?: { httpStatusCode?: number } }>(client.send(new DeleteThingShadowCommand({ thingName: 'fridge-del' })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect((await getShadow('fridge-del', 'spare')).version).toBe(1);
    expect(await updateShadow('fridge-del', { state: { desired: { temp: 3 } } })).toMatchObject({ version: 2 });
  });

  it('deletes a named shadow over MQTT', async () => {
    await updateShadow('fridge-mqtt-del', { state: { reported: { on: true } } }, 'aux');
    const accepted = await messageOn('$aws/things/fridge-mqtt-del/shadow/name/aux/delete/accepted', () =>
      device.publishAsync('$aws/things/fridge-mqtt-del/shadow/name/aux/delete', ''),
    );
    expect(accepted).toEqual({ version: 1, timestamp: expect.any(Number) });
    expect(await rejectionOf<Error & { $metadata?: { httpStatusCode?: number } }>(getShadow('fridge-mqtt-del', 'aux'))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('edge routing', () => {
  function call(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; handled: boolean }> {
    return new Promise((done, fail) => {
      const req = httpRequest(`${endpoint}${path}`, { method, headers }, (res) => {
        res.resume();
        done({ status: res.statusCode ?? 0, handled: res.headers['x-test'] !== 'not-handled' });
      });
      req.on('error', fail);
      req.end();
    });
  }

  it('leaves paths that are not the data plane to other services', async () => {
    expect(await call('GET', '/things/fridge-1')).toEqual({ status: 404, handled: false });
    expect(await call('GET', '/')).toEqual({ status: 404, handled: false });
  });

  it('leaves requests signed for another service to that service', async () => {
    const authorization =
      'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/iot/aws4_request, SignedHeaders=host, Signature=abc';
    expect(await call('GET', '/things/fridge-1/shadow', { authorization })).toEqual({ status: 404, handled: false });
  });

  it('answers unsupported methods on its own paths with 405', async () => {
    expect(await call('PUT', '/things/fridge-1/shadow')).toEqual({ status: 405, handled: true });
  });
});
