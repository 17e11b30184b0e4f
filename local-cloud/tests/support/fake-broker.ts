// A broker for rule-engine tests: records the engine's subscriptions; `send` hands a message to every one of them as
// if a device had published it (client id `walkin-1` unless given).
import type { LocalBroker, MessageMeta } from '../../types';

export function fakeBroker(): { broker: LocalBroker; send(topic: string, body: string, clientId?: string): void } {
  const subscribers: Array<(topic: string, payload: Buffer, meta: MessageMeta) => void> = [];
  return {
    broker: {
      publish: async () => undefined,
      subscribe: async (_filter, onMessage) => {
        subscribers.push(onMessage);
        return () => undefined;
      },
    },
    send: (topic, body, clientId = 'walkin-1') => subscribers.forEach((s) => s(topic, Buffer.from(body), { qos: 1, retain: false, clientId })),
  };
}
