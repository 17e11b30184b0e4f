// Contracts between the pieces of the embedded local cloud, so each emulator is testable on its own.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export type QoS = 0 | 1;

export interface MessageMeta {
  clientId?: string;
  qos: QoS;
  retain: boolean;
}

/** The MQTT broker as the other local services see it. */
export interface LocalBroker {
  publish(topic: string, payload: Buffer | string, options?: { qos?: QoS; retain?: boolean }): Promise<void>;
  /** Returns an unsubscribe function. The filter uses MQTT wildcards (+, #). */
  subscribe(filter: string, onMessage: (topic: string, payload: Buffer, meta: MessageMeta) => void): Promise<() => void>;
}

export type InvokeResult = { ok: true; payload: unknown } | { ok: false; error: string };

/** Invokes a Lambda function synchronously (serverless-offline's Lambda endpoint locally). */
export type LambdaInvoker = (functionName: string, event: unknown) => Promise<InvokeResult>;

/**
 * One AWS service served on the edge port. `handle` answers and returns true when the request is its own,
 * false to let the next service look at it. The body has already been read.
 */
export interface EdgeService {
  name: string;
  handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean>;
}

/** A topic rule as the rule engine loaded it, for the control plane's ListTopicRules. */
export interface LoadedTopicRule {
  ruleName: string;
  /** The FROM topic filter. */
  topicPattern: string;
  ruleDisabled: boolean;
  /** Epoch milliseconds: when the engine loaded it. */
  createdAt: number;
}
