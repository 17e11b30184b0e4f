// IoT Core's message-broker limits that a device meets on AWS (AWS IoT Core quotas, "Message broker and protocol
// limits"): a topic or topic filter of at most 256 bytes of UTF-8 and 7 forward slashes (the `$aws/rules/<rule>/`
// prefix of Basic Ingest not counted), and a PUBLISH payload of at most 128 KB. IoT Core rejects what passes them;
// the local broker does too, so a device's topic scheme that works here works there.

export const MAX_TOPIC_BYTES = 256;
export const MAX_TOPIC_SLASHES = 7;
export const MAX_PAYLOAD_BYTES = 128 * 1024;

const BASIC_INGEST = /^\$aws\/rules\/[^/]+\//i;

/** Why IoT Core would refuse this topic (or topic filter), or undefined. */
export function topicLimitViolation(topic: string): string | undefined {
  const bytes = Buffer.byteLength(topic);
  if (bytes > MAX_TOPIC_BYTES) return `the topic is ${bytes} bytes; IoT Core takes at most ${MAX_TOPIC_BYTES}`;
  const slashes = (topic.replace(BASIC_INGEST, '').match(/\//g) ?? []).length;
  if (slashes > MAX_TOPIC_SLASHES) return `the topic has ${slashes} slashes; IoT Core takes at most ${MAX_TOPIC_SLASHES}`;
  return undefined;
}

/** Why IoT Core would refuse this PUBLISH, or undefined. */
export function publishLimitViolation(topic: string, payload: Buffer | string): string | undefined {
  const bytes = Buffer.byteLength(payload);
  if (bytes > MAX_PAYLOAD_BYTES) return `the payload is ${bytes} bytes; IoT Core takes at most ${MAX_PAYLOAD_BYTES}`;
  return topicLimitViolation(topic);
}
