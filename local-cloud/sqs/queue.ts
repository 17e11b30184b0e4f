// One SQS standard queue in memory: messages in send order, each invisible while received (visibility timeout)
// and moved to the dead-letter queue by the receive that would exceed the redrive policy's maxReceiveCount, as
// on AWS. The emulator's protocols and the event-source-mapping pollers work on this.
import { createHash, randomUUID } from 'node:crypto';

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** base64 */
  BinaryValue?: string;
}

export interface QueueMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes?: string;
  sentAt: number;
  firstReceivedAt?: number;
  receiveCount: number;
  /** Epoch ms before which no receive returns it (delay, then each visibility timeout). */
  visibleAt: number;
  /** The handle of the latest receive: only that one deletes the message or changes its visibility. */
  receiptHandle?: string;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The attributes this emulator keeps and answers, with AWS's defaults. */
export interface QueueSettings {
  visibilityTimeoutS: number;
  messageRetentionPeriodS: number;
  delayS: number;
  receiveWaitTimeS: number;
  maximumMessageSize: number;
  redrivePolicy?: RedrivePolicy;
}

export const DEFAULT_SETTINGS: QueueSettings = {
  visibilityTimeoutS: 30,
  messageRetentionPeriodS: 345_600,
  delayS: 0,
  receiveWaitTimeS: 0,
  maximumMessageSize: 262_144,
};

export const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

/**
 * MD5 of message attributes as SQS computes it (the SDKs check it): for each attribute by name, the name, the
 * data type and the value, each prefixed with its 4-byte length, and a transport byte (1 string, 2 binary).
 */
export function md5OfAttributes(attributes: Record<string, MessageAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const field = (value: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(value.length);
    parts.push(length, value);
  };
  for (const name of names) {
    const attribute = attributes[name]!;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      field(Buffer.from(attribute.BinaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      field(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return md5(Buffer.concat(parts));
}

export class Queue {
  readonly createdAt = Date.now();
  lastModifiedAt = this.createdAt;
  /** Insertion-ordered: receives hand out the oldest visible messages first. */
  private readonly messages = new Map<string, QueueMessage>();
  private readonly byHandle = new Map<string, string>();
  private wakers: Array<() => void> = [];

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly url: string,
    public settings: QueueSettings,
  ) {}

  send(body: string, options: { delayS?: number; messageAttributes?: Record<string, MessageAttributeValue> } = {}): QueueMessage {
    const now = Date.now();
    const messageAttributes = options.messageAttributes ?? {};
    const message: QueueMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      messageAttributes,
      md5OfMessageAttributes: md5OfAttributes(messageAttributes),
      sentAt: now,
      receiveCount: 0,
      visibleAt: now + (options.delayS ?? this.settings.delayS) * 1000,
    };
    this.messages.set(message.messageId, message);
    this.wake();
    return message;
  }

  /** A message the redrive moves here keeps its id, body, attributes and sent time; its receive count restarts. */
  adopt(message: QueueMessage): void {
    this.messages.set(message.messageId, { ...message, receiveCount: 0, firstReceivedAt: undefined, receiptHandle: undefined, visibleAt: Date.now() });
    this.wake();
  }

  /**
   * Up to `max` visible messages, made invisible for `visibilityTimeoutS`. `deadLetter` resolves the redrive
   * target: a message already received maxReceiveCount times goes there instead of being returned.
   */
  receive(max: number, visibilityTimeoutS: number, deadLetter: (arn: string) => Queue | undefined): QueueMessage[] {
    const now = Date.now();
    const received: QueueMessage[] = [];
    const expiredBefore = now - this.settings.messageRetentionPeriodS * 1000;
    for (const message of this.messages.values()) {
      if (received.length >= max) break;
      if (message.sentAt < expiredBefore) {
        this.remove(message);
        continue;
      }
      if (message.visibleAt > now) continue;
      const redrive = this.settings.redrivePolicy;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        const target = deadLetter(redrive.deadLetterTargetArn);
        if (target) {
          this.remove(message);
          target.adopt(message);
          continue;
        }
      }
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeoutS * 1000;
      if (message.receiptHandle) this.byHandle.delete(message.receiptHandle);
      message.receiptHandle = Buffer.from(`${this.name}:${message.messageId}:${randomUUID()}`).toString('base64url');
      this.byHandle.set(message.receiptHandle, message.messageId);
      received.push(message);
    }
    return received;
  }

  /** The message a receipt handle is current for; undefined for a stale handle (the message was received again). */
  byReceipt(receiptHandle: string): QueueMessage | undefined {
    const id = this.byHandle.get(receiptHandle);
    return id === undefined ? undefined : this.messages.get(id);
  }

  delete(receiptHandle: string): boolean {
    const message = this.byReceipt(receiptHandle);
    if (message) this.remove(message);
    return message !== undefined;
  }

  changeVisibility(message: QueueMessage, timeoutS: number): void {
    message.visibleAt = Date.now() + timeoutS * 1000;
    if (timeoutS === 0) this.wake();
  }

  purge(): void {
    this.messages.clear();
    this.byHandle.clear();
  }

  counts(now = Date.now()): { visible: number; inFlight: number; delayed: number } {
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.messages.values()) {
      if (message.visibleAt <= now) visible++;
      else if (message.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  /** Resolves when a message arrives or after `ms`, whichever is first (long polling). */
  waitForMessages(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers = this.wakers.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.push(done);
    });
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }

  private remove(message: QueueMessage): void {
    this.messages.delete(message.messageId);
    if (message.receiptHandle) this.byHandle.delete(message.receiptHandle);
  }
}
