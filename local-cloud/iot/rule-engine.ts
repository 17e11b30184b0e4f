// The IoT Core topic-rule engine: every rule from serverless.yml/resources is compiled at start (SQL it cannot
// evaluate stops the start with the rule name and position), subscribed on the broker, evaluated on each
// message, and its actions run (Lambda, SQS, Kinesis, Republish). A failed action or a non-JSON payload goes to the
// rule's error action with AWS's error-action message shape, so nothing is dropped silently.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuleAction, RuleDefinition } from '../service-definition';
import type { EdgeService, LambdaInvoker, LoadedTopicRule, LocalBroker } from '../types';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../types';
import { compileRule, type CompiledRule } from './sql';

const MAX_CONCURRENT_MESSAGES = 32;

interface RuleStats { matched: number; notMatched: number; succeeded: number; failed: number; errorActions: number }

export interface RuleEngine extends EdgeService {
  stats(): Record<string, RuleStats>;
  /** Every rule of the service, disabled ones too, as `aws iot list-topic-rules` shows them. */
  loaded(): LoadedTopicRule[];
  /** Resolves when no message is being processed (tests and benchmarks wait on it). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRuleEngine(options: {
  rules: RuleDefinition[];
  broker: LocalBroker;
  invokeLambda: LambdaInvoker;
  /** Where the SQS action sends (the local SQS emulator); a rule with an SQS action needs it. */
  queues?: { sendMessage(queueName: string, body: string): unknown };
  /** Where the Kinesis action puts records (the local Kinesis emulator); a rule with a Kinesis action needs it. */
  kinesis?: { putRecord(streamName: string, partitionKey: string, data: Buffer): unknown };
  log: (message: string, extra?: object) => void;
}): Promise<RuleEngine> {
  // Compile everything before subscribing anything: a bad rule (or a template it cannot substitute) fails the start.
  const compiled = options.rules
    .filter((rule) => !rule.disabled)
    .map((rule) => ({ rule, sql: compileRule(rule.name, rule.sql, rule.sqlVersion) }));
  for (const { rule } of compiled) {
    for (const action of [...rule.actions, ...(rule.errorAction ? [rule.errorAction] : [])]) {
      if (action.kinesis) checkTemplate(rule.name, action.kinesis.partitionKey);
    }
  }

  const loadedAt = Date.now();
  const loaded: LoadedTopicRule[] = options.rules.map((rule) => ({
    ruleName: rule.name,
    // Disabled rules are not compiled (AWS accepts them unevaluated too), so their filter is read from the SQL text.
    topicPattern: compiled.find((c) => c.rule === rule)?.sql.topicFilter ?? /\bFROM\s+'([^']*)'/i.exec(rule.sql)?.[1] ?? '',
    ruleDisabled: rule.disabled,
    createdAt: loadedAt,
  }));
  const stats: Record<string, RuleStats> = {};
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (--inFlight === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  };

  // At most this many rule evaluations invoke functions at once; the rest wait in arrival order, so a burst
  // queues here instead of piling up behind the Lambda client's sockets.
  let running = 0;
  const waiting: Array<() => void> = [];
  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= MAX_CONCURRENT_MESSAGES) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }

  const unsubscribes = await Promise.all(
    compiled.map(({ rule, sql }) => {
      stats[rule.name] = { matched: 0, notMatched: 0, succeeded: 0, failed: 0, errorActions: 0 };
      return options.broker.subscribe(sql.topicFilter, (topic, payload, meta) => {
        inFlight++;
        void withSlot(() => process(rule, sql, topic, payload, meta.clientId)).finally(settle);
      });
    }),
  );

  async function process(rule: RuleDefinition, sql: CompiledRule, topic: string, payload: Buffer, clientId?: string) {
    const ruleStats = stats[rule.name]!;
    const outcome = sql.evaluate(payload, { topic, clientId, timestamp: Date.now() });
    if (outcome.kind === 'not-matched') {
      ruleStats.notMatched++;
      return;
    }
    ruleStats.matched++;
    if (outcome.kind === 'payload-not-json') {
      ruleStats.failed++;
      await runErrorAction(rule, topic, payload, clientId, [
        { failedAction: 'RuleEvaluation', failedResource: rule.name, errorMessage: outcome.error },
      ]);
      return;
    }
    const failures = [];
    for (const action of rule.actions) {
      const failure = await runAction(action, outcome.output, topic, clientId);
      if (failure) failures.push(failure);
    }
    if (failures.length === 0) {
      ruleStats.succeeded++;
      return;
    }
    ruleStats.failed++;
    options.log('topic rule action failed', { rule: rule.name, topic, failures });
    await runErrorAction(rule, topic, payload, clientId, failures);
  }

  async function runAction(action: RuleAction, message: unknown, topic: string, clientId: string | undefined) {
    if (action.lambda) {
      const result = await options.invokeLambda(action.lambda.functionName, message);
      if (result.ok) return undefined;
      return {
        failedAction: 'LambdaAction',
        failedResource: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${action.lambda.functionName}`,
        errorMessage: result.error,
      };
    }
    if (action.sqs) {
      const { queueName, useBase64 } = action.sqs;
      const json = JSON.stringify(message);
      try {
        if (!options.queues) throw new Error('no SQS emulator');
        options.queues.sendMessage(queueName, useBase64 ? Buffer.from(json).toString('base64') : json);
        return undefined;
      } catch (error) {
        return {
          failedAction: 'SqsAction',
          failedResource: `https://sqs.${LOCAL_REGION}.amazonaws.com/${LOCAL_ACCOUNT_ID}/${queueName}`,
          errorMessage: error instanceof Error ? error.message : String(error),
        };
      }
    }
    if (action.kinesis) {
      const { streamName, partitionKey } = action.kinesis;
      try {
        if (!options.kinesis) throw new Error('no Kinesis emulator');
        options.kinesis.putRecord(streamName, substitute(partitionKey, topic, clientId), Buffer.from(JSON.stringify(message)));
        return undefined;
      } catch (error) {
        return { failedAction: 'KinesisAction', failedResource: streamName, errorMessage: error instanceof Error ? error.message : String(error) };
      }
    }
    if (action.republish) {
      const target = action.republish.topic.replace(/\$\{topic\(\)\}/g, topic);
      try {
        await options.broker.publish(target, JSON.stringify(message), { qos: action.republish.qos });
        return undefined;
      } catch (error) {
        return { failedAction: 'RepublishAction', failedResource: target, errorMessage: String(error) };
      }
    }
    return { failedAction: 'UnknownAction', errorMessage: 'action not supported locally' };
  }

  async function runErrorAction(
    rule: RuleDefinition,
    topic: string,
    payload: Buffer,
    clientId: string | undefined,
    failures: Array<{ failedAction: string; failedResource?: string; errorMessage: string }>,
  ) {
    stats[rule.name]!.errorActions++;
    const message = {
      ruleName: rule.name,
      topic,
      cloudwatchTraceId: randomUUID(),
      clientId: clientId ?? '',
      base64OriginalPayload: payload.toString('base64'),
      failures,
    };
    if (!rule.errorAction) {
      options.log('topic rule failed and has no error action; message kept only in this log', message);
      return;
    }
    const failure = await runAction(rule.errorAction, message, topic, clientId);
    if (failure) options.log('topic rule error action failed too; message kept only in this log', { ...message, failure });
  }

  return {
    name: 'iot-rules',
    stats: () => structuredClone(stats),
    loaded: () => loaded.map((rule) => ({ ...rule })),
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    async handle(req: IncomingMessage, _body: Buffer, res: ServerResponse) {
      if (req.method !== 'GET' || req.url !== '/_local/iot/rules') return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ rules: compiled.map(({ rule, sql }) => ({ name: rule.name, topicFilter: sql.topicFilter, stats: stats[rule.name] })) }));
      return true;
    },
    async stop() {
      for (const unsubscribe of unsubscribes) unsubscribe();
    },
  };
}

/** The substitution templates the Kinesis action's partition key may use locally. */
const TEMPLATE = /\$\{([^}]*)\}/g;
const TEMPLATE_FUNCTION = /^\s*(topic\(\s*(\d*)\s*\)|clientid\(\s*\)|newuuid\(\s*\))\s*$/i;

function checkTemplate(ruleName: string, template: string): void {
  for (const [whole, expression] of template.matchAll(TEMPLATE)) {
    if (!TEMPLATE_FUNCTION.test(expression!)) {
      throw new Error(`rule "${ruleName}": substitution template ${whole} is not supported by the local cloud (topic(), topic(N), clientid(), newuuid())`);
    }
  }
}

/**
 * Substitutes `${topic()}`, `${topic(N)}` (the N-th level, from 1; empty past the last), `${clientid()}` and
 * `${newuuid()}` as IoT Core does in an action's substitution template (checked at start by checkTemplate).
 */
export function substitute(template: string, topic: string, clientId: string | undefined): string {
  return template.replace(TEMPLATE, (_whole, expression: string) => {
    const [, call, level] = TEMPLATE_FUNCTION.exec(expression) ?? [];
    const name = call?.slice(0, call.indexOf('(')).toLowerCase();
    if (name === 'topic') return level ? (topic.split('/')[Number(level) - 1] ?? '') : topic;
    if (name === 'clientid') return clientId ?? 'n/a';
    return randomUUID();
  });
}
