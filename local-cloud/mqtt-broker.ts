// The MQTT broker devices talk to: aedes on a TCP port (QoS 0/1, retained messages), plus the
// in-process LocalBroker view the rule engine and the data plane use.
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { publishLimitViolation, topicLimitViolation } from './iot/broker-limits';
import { topicMatchesFilter } from './iot/sql';
import type { LocalBroker, MessageMeta, QoS } from './types';

export interface RunningBroker extends LocalBroker {
  url: string;
  stop(): Promise<void>;
}

/** Who may publish or subscribe where; the local broker authenticates nobody, so the client id is the identity. */
export interface BrokerAuthorizer {
  mayPublish(clientId: string, topic: string): boolean;
  maySubscribe(clientId: string, topicFilter: string): boolean;
}

export async function startMqttBroker(port: number, authorizer?: BrokerAuthorizer): Promise<RunningBroker> {
  const aedes = await Aedes.createBroker({
    // Refused like AWS IoT Core does: a publish past its limits (iot/broker-limits.ts) or unauthorised closes the
    // device's connection, such a subscription gets 0x80.
    authorizePublish: (client, packet, callback) => {
      if (!client) return callback(null);
      const violation = publishLimitViolation(packet.topic, packet.payload);
      if (violation) return callback(new Error(`publish to ${packet.topic.slice(0, 80)} refused: ${violation}`));
      const allowed = !packet.topic.startsWith('$SYS/') && (!authorizer || authorizer.mayPublish(client.id, packet.topic));
      callback(allowed ? null : new Error(`not authorised to publish to ${packet.topic}`));
    },
    authorizeSubscribe: (client, subscription, callback) => {
      const allowed = !client || (!topicLimitViolation(subscription.topic) && (!authorizer || authorizer.maySubscribe(client.id, subscription.topic)));
      callback(null, allowed ? subscription : null);
    },
  });
  const server: Server = createServer(aedes.handle);
  const subscribers = new Set<{ filter: string; onMessage: Parameters<LocalBroker['subscribe']>[1] }>();
  aedes.on('publish', (packet, client) => {
    if (packet.topic.startsWith('$SYS/')) return;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const meta: MessageMeta = { qos: (packet.qos === 1 ? 1 : 0) as QoS, retain: packet.retain, clientId: client?.id };
    for (const subscriber of subscribers) {
      if (!topicMatchesFilter(subscriber.filter, packet.topic)) continue;
      try {
        subscriber.onMessage(packet.topic, payload, meta);
      } catch (error) {
        console.error(`[mqtt] subscriber for ${subscriber.filter} failed:`, error);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    url: `mqtt://127.0.0.1:${port}`,
    publish(topic, payload, options = {}) {
      return new Promise<void>((resolve, reject) =>
        aedes.publish(
          {
            cmd: 'publish',
            topic,
            payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
            qos: options.qos ?? 0,
            retain: options.retain ?? false,
            dup: false,
          },
          (error?: Error) => (error ? reject(error) : resolve()),
        ),
      );
    },
    // Internal subscribers see every publish with the publisher's client id (the rule engine's clientid()).
    async subscribe(filter, onMessage) {
      const subscriber = { filter, onMessage };
      subscribers.add(subscriber);
      return () => {
        subscribers.delete(subscriber);
      };
    },
    async stop() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
