// The SNS emulator: topics and subscriptions in memory, served over the AWS Query protocol on the edge port,
// with asynchronous at-least-once delivery to Lambda, SQS, HTTP/S, SMS and email subscribers. Topics come from the
// service definition (createTopic); the API answers Publish, Subscribe, Unsubscribe, ListTopics, ListSubscriptions,
// ListSubscriptionsByTopic, GetTopicAttributes and GetSubscriptionAttributes.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLimiter } from '../lambda-invoker';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type EdgeService, type LambdaInvoker } from '../types';
import {
  functionNameFromEndpoint,
  httpNotificationBody,
  invokeSubscribedLambda,
  postHttpNotification,
  withRetries,
  type Notification,
  type RetryPolicy,
} from './delivery';
import {
  FILTER_POLICY_SCOPES,
  FilterPolicyError,
  matchesFilterPolicy,
  parseFilterPolicy,
  type FilterPolicy,
  type FilterPolicyScope,
  type MessageAttributes,
} from './filter-policy';
import {
  SNS_API_VERSION,
  SnsError,
  element,
  entryMap,
  errorXml,
  invalidParameter,
  invalidParameterValue,
  memberEntries,
  memberList,
  notFound,
  parseQuery,
  readMessageAttributes,
  readStringMap,
  required,
  successXml,
  textElement,
  type QueryParams,
} from './query-protocol';

export type SubscriptionProtocol = 'lambda' | 'sqs' | 'sms' | 'email' | 'http' | 'https';

/** Where `sqs` subscriptions deliver: the local SQS emulator's queues, by ARN. */
export interface QueueSender {
  /** Throws when no queue has this ARN: the delivery then fails, is retried and dead-lettered like any other. */
  send(queueArn: string, body: string, attributes: MessageAttributes): void;
}

export interface SnsEmulatorOptions {
  invokeLambda: LambdaInvoker;
  /** Without it, an `sqs` subscription's deliveries fail (and are dead-lettered). */
  queues?: QueueSender;
  region?: string;
  accountId?: string;
  /** Delivery attempts in total (first included) and the base of the exponential backoff. */
  retry?: RetryPolicy;
  /**
   * Invocations of one function in flight at once (its concurrency); the deliveries beyond it wait their turn in
   * order, as Lambda's queue for asynchronous invocations holds events, and waiting is not an attempt.
   */
  lambdaConcurrency?: number;
  log?: (msg: string, extra?: object) => void;
}

/** A message that exhausted its delivery attempts: kept, never dropped. */
export interface DeadLetter {
  subscriptionArn: string;
  protocol: SubscriptionProtocol;
  endpoint: string;
  topicArn: string;
  messageId: string;
  message: string;
  subject?: string;
  messageAttributes: MessageAttributes;
  lastError: string;
  attempts: number;
  failedAt: string;
}

/** An SMS, in LocalStack's `/_aws/sns/sms-messages` shape. */
export interface SentSms {
  PhoneNumber: string;
  TopicArn: string | null;
  SubscriptionArn: string | null;
  MessageId: string;
  Message: string;
  MessageAttributes: MessageAttributes;
  Subject: string | null;
}

export interface SentEmail {
  Email: string;
  TopicArn: string;
  SubscriptionArn: string;
  MessageId: string;
  Message: string;
  MessageAttributes: MessageAttributes;
  Subject: string | null;
  Timestamp: string;
}

export interface SnsEmulator extends EdgeService {
  /** Returns arn:aws:sns:{region}:{account}:{name}; creating an existing topic returns it unchanged. */
  createTopic(name: string): string;
  /** Returns the subscription ARN; the same topic+protocol+endpoint returns the existing one with updated attributes. */
  subscribe(
    topicArn: string,
    protocol: SubscriptionProtocol,
    endpoint: string,
    attributes?: Record<string, string>,
  ): string;
  deadLetters(): DeadLetter[];
  smsMessages(): SentSms[];
  emailMessages(): SentEmail[];
  /** Resolves once no delivery is in flight. */
  idle(): Promise<void>;
}

interface Topic {
  arn: string;
}

interface SubscriptionSettings {
  rawMessageDelivery: boolean;
  filterPolicyScope: FilterPolicyScope;
  filterPolicy?: { text: string; parsed: FilterPolicy };
  /** Accepted for compatibility (DeliveryPolicy, RedrivePolicy, …) but not acted upon. */
  passthrough: Record<string, string>;
}

interface Subscription extends SubscriptionSettings {
  arn: string;
  topicArn: string;
  protocol: SubscriptionProtocol;
  endpoint: string;
}

/** A validated message ready to fan out; `byProtocol` holds MessageStructure=json overrides. */
interface OutgoingMessage {
  message: string;
  byProtocol?: Record<string, string>;
  subject?: string;
  attributes: MessageAttributes;
}

interface PublishRequest {
  message?: string;
  subject?: string;
  messageStructure?: string;
  attributes: MessageAttributes;
}

interface RequestContext {
  /** Base URL the caller reached us on, for the UnsubscribeUrl in notifications. */
  edgeUrl: string;
}

type ActionHandler = (params: QueryParams, ctx: RequestContext) => string | undefined;

const PROTOCOLS: readonly SubscriptionProtocol[] = ['lambda', 'sqs', 'sms', 'email', 'http', 'https'];
const RAW_DELIVERY_PROTOCOLS = new Set<SubscriptionProtocol>(['sqs', 'http', 'https']);
const SQS_ARN = /^arn:aws:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const PASSTHROUGH_SUBSCRIPTION_ATTRIBUTES = new Set(['DeliveryPolicy', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_MESSAGE_BYTES = 256 * 1024;
/** PublishBatch: at most 10 entries, each with an id of up to 80 letters, digits, hyphens and underscores. */
const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const PAGE_SIZE = 100;
// For a Lambda subscriber SNS hands the event to Lambda's asynchronous queue, and Lambda runs a failing function
// three times in all before its on-failure destination. Locally the waits are short so tests see the dead letter.
const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 200 };
// A few in flight per function keep DynamoDB Local and the single serverless-offline process busy without
// swamping them: past this, throughput on 2 cores does not grow, only each delivery's latency does.
const DEFAULT_LAMBDA_CONCURRENCY = 8;
const DEFAULT_SUBSCRIPTION_SETTINGS: SubscriptionSettings = {
  rawMessageDelivery: false,
  filterPolicyScope: 'MessageAttributes',
  passthrough: {},
};
const EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

// Fault injection for tests: POST {"failPublishes": N} makes the next N Publish calls answer 500 InternalError
// (the SDK retries those, so N counts attempts); GET shows how many are left. Local only.
const FAULTS_PATH = '/_local/sns/faults';

const INSPECTION_PATHS = {
  sms: '/_aws/sns/sms-messages',
  emails: '/_local/sns/emails',
  deadLetters: '/_local/sns/dead-letters',
} as const;

export function createSnsEmulator(opts: SnsEmulatorOptions): SnsEmulator {
  return new SnsService(opts);
}

class SnsService implements SnsEmulator {
  readonly name = 'sns';
  private readonly region: string;
  private readonly accountId: string;
  private readonly retry: RetryPolicy;
  private readonly topics = new Map<string, Topic>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lambdaSlots = new Map<string, ReturnType<typeof createLimiter>>();
  private sms: SentSms[] = [];
  private emails: SentEmail[] = [];
  private dead: DeadLetter[] = [];
  private failPublishes = 0;
  private readonly actions: ReadonlyMap<string, ActionHandler> = new Map(Object.entries<ActionHandler>({
    ListTopics: (p) => this.listTopics(p.get('NextToken')),
    GetTopicAttributes: (p) => entryMap('Attributes', this.topicAttributes(this.topic(required(p, 'TopicArn')))),
    Subscribe: (p) => {
      const protocol = required(p, 'Protocol') as SubscriptionProtocol;
      const arn = this.subscribe(required(p, 'TopicArn'), protocol, required(p, 'Endpoint'), readStringMap(p, 'Attributes'));
      return textElement('SubscriptionArn', arn);
    },
    Unsubscribe: (p) => this.unsubscribe(required(p, 'SubscriptionArn')),
    ListSubscriptions: (p) => this.listSubscriptions([...this.subscriptions.values()], p.get('NextToken')),
    ListSubscriptionsByTopic: (p) => {
      const topic = this.topic(required(p, 'TopicArn'));
      return this.listSubscriptions(this.subscriptionsOf(topic.arn), p.get('NextToken'));
    },
    GetSubscriptionAttributes: (p) =>
      entryMap('Attributes', this.subscriptionAttributes(this.subscription(required(p, 'SubscriptionArn')))),
    Publish: (p, ctx) => textElement('MessageId', this.publish(p, ctx)),
    PublishBatch: (p, ctx) => this.publishBatch(p, ctx),
  }));

  constructor(private readonly opts: SnsEmulatorOptions) {
    this.region = opts.region ?? LOCAL_REGION;
    this.accountId = opts.accountId ?? LOCAL_ACCOUNT_ID;
    this.retry = opts.retry ?? DEFAULT_RETRY;
  }

  async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === FAULTS_PATH) return this.faults(req.method ?? 'GET', body, res);
    if (this.inspect(req.method ?? 'GET', url, res)) return true;
    const params = this.snsParams(req, url, body);
    if (!params) return false;
    const requestId = randomUUID();
    const action = params.get('Action') ?? '';
    try {
      const handler = this.actions.get(action);
      if (!handler) throw new SnsError('InvalidAction', `The action ${action} is not valid for this web service.`);
      const result = handler(params, { edgeUrl: `http://${req.headers.host ?? 'localhost:4566'}` });
      sendXml(res, 200, successXml(action, result, requestId), requestId);
    } catch (err) {
      const error = err instanceof SnsError ? err : new SnsError('InternalError', 'Internal error', 500);
      if (!(err instanceof SnsError)) this.log(`SNS ${action} failed unexpectedly`, { error: String(err) });
      sendXml(res, error.status, errorXml(error, requestId), requestId);
    }
    return true;
  }

  createTopic(name: string): string {
    if (name.endsWith('.fifo')) throw invalidParameter('Topic Name Reason: FIFO topics are not supported by the local SNS emulator');
    if (!TOPIC_NAME.test(name)) throw invalidParameter('Topic Name');
    const arn = `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
    if (!this.topics.has(arn)) this.topics.set(arn, { arn });
    return arn;
  }

  subscribe(
    topicArn: string,
    protocol: SubscriptionProtocol,
    endpoint: string,
    attributes: Record<string, string> = {},
  ): string {
    const topic = this.topic(topicArn);
    if (!PROTOCOLS.includes(protocol)) {
      const supported = PROTOCOLS.join(', ');
      throw invalidParameter(`Protocol Reason: ${protocol} is not supported by the local SNS emulator (supported: ${supported})`);
    }
    validateEndpoint(protocol, endpoint);
    const existing = this.subscriptionsOf(topic.arn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
    const base = existing ?? DEFAULT_SUBSCRIPTION_SETTINGS;
    const settings = applySubscriptionAttributes(base, protocol, attributes);
    if (existing) {
      Object.assign(existing, settings);
      return existing.arn;
    }
    // Email, SMS, HTTP/S and Lambda subscriptions are confirmed at once: locally there is no confirmation handshake.
    const arn = `${topic.arn}:${randomUUID()}`;
    this.subscriptions.set(arn, { arn, topicArn: topic.arn, protocol, endpoint, ...settings });
    return arn;
  }

  deadLetters(): DeadLetter[] {
    return [...this.dead];
  }

  smsMessages(): SentSms[] {
    return [...this.sms];
  }

  emailMessages(): SentEmail[] {
    return [...this.emails];
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  // ---- actions ----

  private listTopics(nextToken: string | undefined): string {
    const { page, next } = paginate([...this.topics.values()], nextToken);
    return memberList('Topics', page.map((t) => textElement('TopicArn', t.arn))) + textElement('NextToken', next);
  }

  private topicAttributes(topic: Topic): Record<string, string> {
    const subscriptions = this.subscriptionsOf(topic.arn).length;
    return {
      TopicArn: topic.arn,
      Owner: this.accountId,
      Policy: defaultTopicPolicy(topic.arn, this.accountId),
      DisplayName: '',
      SubscriptionsConfirmed: String(subscriptions),
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: EFFECTIVE_DELIVERY_POLICY,
    };
  }

  private unsubscribe(arn: string): undefined {
    if (!this.subscriptions.delete(arn)) throw notFound('Subscription does not exist');
    return undefined;
  }

  private listSubscriptions(subscriptions: Subscription[], nextToken: string | undefined): string {
    const { page, next } = paginate(subscriptions, nextToken);
    const members = page.map(
      (s) =>
        textElement('SubscriptionArn', s.arn) +
        textElement('Owner', this.accountId) +
        textElement('Protocol', s.protocol) +
        textElement('Endpoint', s.endpoint) +
        textElement('TopicArn', s.topicArn),
    );
    return memberList('Subscriptions', members) + textElement('NextToken', next);
  }

  private subscriptionAttributes(sub: Subscription): Record<string, string> {
    return {
      SubscriptionArn: sub.arn,
      TopicArn: sub.topicArn,
      Owner: this.accountId,
      Protocol: sub.protocol,
      Endpoint: sub.endpoint,
      ConfirmationWasAuthenticated: 'true',
      PendingConfirmation: 'false',
      RawMessageDelivery: String(sub.rawMessageDelivery),
      ...(sub.filterPolicy && { FilterPolicy: sub.filterPolicy.text, FilterPolicyScope: sub.filterPolicyScope }),
      ...sub.passthrough,
    };
  }

  private publish(params: QueryParams, ctx: RequestContext): string {
    if (this.failPublishes > 0) {
      this.failPublishes--;
      throw new SnsError('InternalError', 'Injected fault (POST /_local/sns/faults)', 500);
    }
    const targets = ['TopicArn', 'TargetArn', 'PhoneNumber'].filter((name) => params.get(name));
    if (targets.length === 0) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    if (targets.length > 1) throw invalidParameter('Only one of TopicArn, TargetArn or PhoneNumber can be specified');
    const outgoing = validatePublish(readPublishRequest(params));
    const messageId = randomUUID();
    const phoneNumber = params.get('PhoneNumber');
    if (phoneNumber === undefined) {
      this.fanOut(this.publishTarget(params), messageId, outgoing, ctx);
    } else {
      if (!E164.test(phoneNumber)) throw invalidParameter('PhoneNumber Reason: input incorrectly formatted');
      const text = outgoing.byProtocol?.sms ?? outgoing.message;
      this.track(async () => this.recordSms(phoneNumber, null, null, messageId, text, outgoing));
    }
    return messageId;
  }

  /**
   * PublishBatch to a topic: 1–10 entries with distinct ids, 256 KiB in all; each entry is checked and fanned out
   * as a Publish of its own, and one that fails its checks is listed in `Failed` while the others go out.
   */
  private publishBatch(params: QueryParams, ctx: RequestContext): string {
    if (this.failPublishes > 0) {
      this.failPublishes--;
      throw new SnsError('InternalError', 'Injected fault (POST /_local/sns/faults)', 500);
    }
    const topic = this.topic(required(params, 'TopicArn'));
    const entries = memberEntries(params, 'PublishBatchRequestEntries');
    if (entries.length === 0) throw new SnsError('EmptyBatchRequest', 'The batch request doesn\'t contain any entries.');
    if (entries.length > MAX_BATCH_ENTRIES) throw new SnsError('TooManyEntriesInBatchRequest', `The batch request contains more entries than permissible (${MAX_BATCH_ENTRIES}).`);
    const ids = entries.map((entry) => entry.get('Id') ?? '');
    const badId = ids.find((id) => !BATCH_ENTRY_ID.test(id));
    if (badId !== undefined) throw new SnsError('InvalidBatchEntryId', `The Id of a batch entry in a batch request doesn't abide by the specification: ${badId}`);
    if (new Set(ids).size !== ids.length) throw new SnsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    const requests = entries.map(readPublishRequest);
    const batchBytes = requests.reduce((sum, r) => sum + Buffer.byteLength(r.message ?? '') + attributeBytesOf(r.attributes), 0);
    if (batchBytes > MAX_MESSAGE_BYTES) throw new SnsError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
    const successful: string[] = [];
    const failed: string[] = [];
    requests.forEach((request, i) => {
      const id = textElement('Id', ids[i]);
      try {
        const outgoing = validatePublish(request);
        const messageId = randomUUID();
        this.fanOut(topic, messageId, outgoing, ctx);
        successful.push(element('member', id + textElement('MessageId', messageId)));
      } catch (err) {
        if (!(err instanceof SnsError)) throw err;
        failed.push(element('member', id + textElement('Code', err.code) + textElement('Message', err.message) + textElement('SenderFault', String(err.senderFault))));
      }
    });
    return element('Successful', successful.join('')) + element('Failed', failed.join(''));
  }

  // ---- delivery ----

  /** Delivery starts after the Publish response is written, like AWS: Publish never waits for subscribers. */
  private fanOut(topic: Topic, messageId: string, outgoing: OutgoingMessage, ctx: RequestContext): void {
    const timestamp = new Date().toISOString();
    const subscriptions = this.subscriptionsOf(topic.arn);
    this.track(async () => {
      await Promise.all(
        subscriptions.map(async (sub) => {
          const message = outgoing.byProtocol?.[sub.protocol] ?? outgoing.message;
          const filterable = { body: message, attributes: outgoing.attributes };
          if (sub.filterPolicy && !matchesFilterPolicy(sub.filterPolicy.parsed, sub.filterPolicyScope, filterable)) return;
          await this.deliver(sub, {
            messageId,
            topicArn: topic.arn,
            subscriptionArn: sub.arn,
            subject: outgoing.subject,
            message,
            attributes: outgoing.attributes,
            timestamp,
            unsubscribeUrl: `${ctx.edgeUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.arn)}`,
            signingCertUrl: `https://sns.${this.region}.amazonaws.com/SimpleNotificationService-local.pem`,
          });
        }),
      );
    });
  }

  private async deliver(sub: Subscription, n: Notification): Promise<void> {
    switch (sub.protocol) {
      case 'sms':
        return this.recordSms(sub.endpoint, n.topicArn, sub.arn, n.messageId, n.message, n);
      case 'email':
        this.emails.push({
          Email: sub.endpoint,
          TopicArn: n.topicArn,
          SubscriptionArn: sub.arn,
          MessageId: n.messageId,
          Message: n.message,
          MessageAttributes: n.attributes,
          Subject: n.subject ?? null,
          Timestamp: n.timestamp,
        });
        return;
      case 'lambda':
        return this.deliverWithRetries(sub, n, () => this.slotsOf(sub.endpoint).run(() => invokeSubscribedLambda(this.opts.invokeLambda, sub.endpoint, n)));
      case 'sqs':
        return this.deliverWithRetries(sub, n, async () => {
          if (!this.opts.queues) throw new Error('the local SNS has no SQS to deliver to');
          // Raw: the message itself, its attributes as the SQS message's; else SNS's JSON document, as to HTTP.
          if (sub.rawMessageDelivery) this.opts.queues.send(sub.endpoint, n.message, n.attributes);
          else this.opts.queues.send(sub.endpoint, httpNotificationBody(n), {});
        });
      case 'http':
      case 'https':
        return this.deliverWithRetries(sub, n, () => postHttpNotification(sub.endpoint, n, sub.rawMessageDelivery));
    }
  }

  /** Each function's own concurrency: one busy consumer does not hold back another's deliveries. */
  private slotsOf(endpoint: string): ReturnType<typeof createLimiter> {
    const functionName = functionNameFromEndpoint(endpoint);
    let slots = this.lambdaSlots.get(functionName);
    if (!slots) this.lambdaSlots.set(functionName, (slots = createLimiter(this.opts.lambdaConcurrency ?? DEFAULT_LAMBDA_CONCURRENCY)));
    return slots;
  }

  private async deliverWithRetries(sub: Subscription, n: Notification, attempt: () => Promise<void>): Promise<void> {
    const outcome = await withRetries(attempt, this.retry, (error, attemptNumber) =>
      this.log(`SNS delivery to ${sub.protocol} ${sub.endpoint} failed (attempt ${attemptNumber}/${this.retry.attempts})`, {
        subscriptionArn: sub.arn,
        messageId: n.messageId,
        error,
      }),
    );
    if (outcome.delivered) return;
    this.dead.push({
      subscriptionArn: sub.arn,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      topicArn: n.topicArn,
      messageId: n.messageId,
      message: n.message,
      ...(n.subject !== undefined && { subject: n.subject }),
      messageAttributes: n.attributes,
      lastError: outcome.error,
      attempts: outcome.attempts,
      failedAt: new Date().toISOString(),
    });
    this.log(`SNS message ${n.messageId} dead-lettered after ${outcome.attempts} attempts`, {
      subscriptionArn: sub.arn,
      error: outcome.error,
    });
  }

  private recordSms(
    phoneNumber: string,
    topicArn: string | null,
    subscriptionArn: string | null,
    messageId: string,
    message: string,
    source: { subject?: string; attributes: MessageAttributes },
  ): void {
    this.sms.push({
      PhoneNumber: phoneNumber,
      TopicArn: topicArn,
      SubscriptionArn: subscriptionArn,
      MessageId: messageId,
      Message: message,
      MessageAttributes: source.attributes,
      Subject: source.subject ?? null,
    });
  }

  /** Runs `work` on a later turn of the event loop and keeps it visible to idle() until it settles. */
  private track(work: () => Promise<void>): void {
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err: unknown) => this.log('SNS delivery crashed', { error: String(err) }));
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  // ---- lookups ----

  private topic(arn: string): Topic {
    const topic = this.topics.get(arn);
    if (!topic) throw notFound('Topic does not exist');
    return topic;
  }

  private publishTarget(params: QueryParams): Topic {
    const topicArn = params.get('TopicArn');
    if (topicArn !== undefined) return this.topic(topicArn);
    const targetArn = params.get('TargetArn') ?? '';
    // Platform application endpoints (mobile push) are not emulated.
    if (targetArn.includes(':endpoint/')) throw notFound('Endpoint does not exist');
    return this.topic(targetArn);
  }

  private subscription(arn: string): Subscription {
    const sub = this.subscriptions.get(arn);
    if (!sub) throw notFound('Subscription does not exist');
    return sub;
  }

  private subscriptionsOf(topicArn: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => s.topicArn === topicArn);
  }

  // ---- transport ----

  /** The request's parameters when it is an SNS Query API call, else undefined (another service's request). */
  private snsParams(req: IncomingMessage, url: URL, body: Buffer): QueryParams | undefined {
    let params: QueryParams;
    if (req.method === 'POST' && (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      params = parseQuery(body.toString('utf8'));
    } else if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('Action')) {
      params = parseQuery(url.search);
    } else {
      return undefined;
    }
    const action = params.get('Action');
    if (action === undefined) return undefined;
    const signedForSns = /Credential=[^,]*\/sns\/aws4_request/.test(req.headers.authorization ?? '');
    return signedForSns || params.get('Version') === SNS_API_VERSION || this.actions.has(action) ? params : undefined;
  }

  private inspect(method: string, url: URL, res: ServerResponse): boolean {
    if (!(Object.values(INSPECTION_PATHS) as string[]).includes(url.pathname)) return false;
    if (method !== 'GET' && method !== 'DELETE') {
      res.writeHead(405, { allow: 'GET, DELETE' }).end();
      return true;
    }
    const phoneNumber = url.searchParams.get('phoneNumber');
    switch (url.pathname) {
      case INSPECTION_PATHS.sms:
        if (method === 'DELETE') this.sms = phoneNumber ? this.sms.filter((m) => m.PhoneNumber !== phoneNumber) : [];
        else sendJson(res, { sms_messages: groupByPhone(this.sms.filter((m) => !phoneNumber || m.PhoneNumber === phoneNumber)) });
        break;
      case INSPECTION_PATHS.emails:
        if (method === 'DELETE') this.emails = [];
        else sendJson(res, { emails: this.emails });
        break;
      case INSPECTION_PATHS.deadLetters:
        if (method === 'DELETE') this.dead = [];
        else sendJson(res, { deadLetters: this.dead });
        break;
    }
    if (method === 'DELETE') res.writeHead(204).end();
    return true;
  }

  private faults(method: string, body: Buffer, res: ServerResponse): true {
    if (method === 'POST') {
      let count: unknown;
      try {
        count = (JSON.parse(body.toString('utf8')) as { failPublishes?: unknown }).failPublishes;
      } catch {
        count = undefined;
      }
      if (!Number.isInteger(count) || (count as number) < 0) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'failPublishes must be an integer ≥ 0' }));
        return true;
      }
      this.failPublishes = count as number;
    } else if (method !== 'GET') {
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return true;
    }
    sendJson(res, { failPublishes: this.failPublishes });
    return true;
  }

  private log(msg: string, extra?: object): void {
    this.opts.log?.(msg, extra);
  }
}

function validateEndpoint(protocol: SubscriptionProtocol, endpoint: string): void {
  const valid =
    protocol === 'sms' ? E164.test(endpoint)
    : protocol === 'email' ? /^[^@\s]+@[^@\s]+$/.test(endpoint)
    : protocol === 'http' || protocol === 'https' ? isUrlWithScheme(endpoint, `${protocol}:`)
    : protocol === 'sqs' ? SQS_ARN.test(endpoint)
    : endpoint.length > 0;
  if (!valid) throw invalidParameter(`Endpoint Reason: ${endpoint} is not a valid ${protocol} endpoint`);
}

function isUrlWithScheme(value: string, scheme: string): boolean {
  try {
    return new URL(value).protocol === scheme;
  } catch {
    return false;
  }
}

/**
 * Validates `changes` against `current` and returns the resulting settings, leaving `current` untouched so a
 * rejected change applies nothing. Errors use AWS's wording for Subscribe ("Attributes Reason: ").
 */
function applySubscriptionAttributes(
  current: SubscriptionSettings,
  protocol: SubscriptionProtocol,
  changes: Record<string, string>,
): SubscriptionSettings {
  const reasonPrefix = 'Attributes Reason: ';
  const next: SubscriptionSettings = { ...current, passthrough: { ...current.passthrough } };
  const scope = changes.FilterPolicyScope;
  if (scope !== undefined) {
    if (!(FILTER_POLICY_SCOPES as string[]).includes(scope)) {
      const reason = `FilterPolicyScope: Invalid value [${scope}]. Please use either MessageBody or MessageAttributes`;
      throw invalidParameter(reasonPrefix + reason);
    }
    next.filterPolicyScope = scope as FilterPolicyScope;
  }
  const policyText = changes.FilterPolicy ?? next.filterPolicy?.text;
  if (policyText) {
    try {
      next.filterPolicy = { text: policyText, parsed: parseFilterPolicy(policyText, next.filterPolicyScope) };
    } catch (err) {
      if (!(err instanceof FilterPolicyError)) throw err;
      throw invalidParameter(`${reasonPrefix}FilterPolicy: ${err.message}`);
    }
  } else {
    // Assigned rather than deleted: Subscribe Object.assigns the result onto the live subscription.
    next.filterPolicy = undefined;
  }
  for (const [name, value] of Object.entries(changes)) {
    if (name === 'FilterPolicy' || name === 'FilterPolicyScope') continue;
    if (name === 'RawMessageDelivery') {
      if (!/^(true|false)$/i.test(value)) {
        throw invalidParameter(`${reasonPrefix}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      }
      const raw = value.toLowerCase() === 'true';
      if (raw && !RAW_DELIVERY_PROTOCOLS.has(protocol)) {
        throw invalidParameter(`${reasonPrefix}Delivery protocol [${protocol}] does not support raw message delivery.`);
      }
      next.rawMessageDelivery = raw;
    } else if (PASSTHROUGH_SUBSCRIPTION_ATTRIBUTES.has(name)) {
      next.passthrough[name] = value;
    } else {
      throw invalidParameter(`${reasonPrefix}Unknown attribute ${name}`);
    }
  }
  return next;
}

function readPublishRequest(params: QueryParams): PublishRequest {
  return {
    message: params.get('Message'),
    subject: params.get('Subject'),
    messageStructure: params.get('MessageStructure'),
    attributes: readMessageAttributes(params),
  };
}

/** AWS counts attribute names, types and values towards the 256 KiB limit. */
function attributeBytesOf(attributes: PublishRequest['attributes']): number {
  return Object.entries(attributes)
    .flatMap(([name, a]) => [name, a.DataType, a.StringValue ?? a.BinaryValue ?? ''])
    .reduce((sum, part) => sum + Buffer.byteLength(part), 0);
}

/** Checks one message as Publish does. */
function validatePublish(entry: PublishRequest): OutgoingMessage {
  if (!entry.message) throw invalidParameter('Empty message');
  if (entry.subject !== undefined) {
    if (entry.subject === '' || entry.subject.length > 100 || !/^[\x20-\x7e]+$/.test(entry.subject)) {
      throw invalidParameter('Subject Reason: must be 1-100 printable ASCII characters without line breaks');
    }
  }
  for (const [name, attribute] of Object.entries(entry.attributes)) validateAttribute(name, attribute);
  if (Buffer.byteLength(entry.message) + attributeBytesOf(entry.attributes) > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  const outgoing: OutgoingMessage = { message: entry.message, subject: entry.subject, attributes: entry.attributes };
  if (entry.messageStructure === undefined) return outgoing;
  if (entry.messageStructure !== 'json') throw invalidParameter('MessageStructure Reason: only "json" is allowed');
  let structure: unknown;
  try {
    structure = JSON.parse(entry.message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof structure !== 'object' || structure === null || Array.isArray(structure)) {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const byProtocol: Record<string, string> = {};
  for (const [protocol, text] of Object.entries(structure)) if (typeof text === 'string') byProtocol[protocol] = text;
  const fallback = byProtocol.default;
  if (fallback === undefined) throw invalidParameter('Message Structure - No default entry in JSON message body');
  return { ...outgoing, message: fallback, byProtocol };
}

function validateAttribute(name: string, attribute: { DataType: string; StringValue?: string; BinaryValue?: string }): void {
  const type = attribute.DataType;
  if (!/^(String|Number|Binary)(\..+)?$/.test(type)) {
    const reason = 'the set of supported type prefixes is Binary, Number, and String.';
    throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, ${reason}`);
  }
  const value = type.startsWith('Binary') ? attribute.BinaryValue : attribute.StringValue;
  if (!value) {
    throw invalidParameterValue(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
    );
  }
  if (type.startsWith('Number') && !Number.isFinite(Number(value))) {
    throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
  }
  if (type === 'String.Array' && !isJsonArray(value)) {
    throw invalidParameterValue(`The message attribute '${name}' with type 'String.Array' must be a JSON array.`);
  }
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

function paginate<T>(items: T[], nextToken: string | undefined): { page: T[]; next?: string } {
  const start = nextToken === undefined || nextToken === '' ? 0 : Number(nextToken);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalidParameter('NextToken');
  const end = start + PAGE_SIZE;
  return { page: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

function defaultTopicPolicy(topicArn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

function groupByPhone(messages: SentSms[]): Record<string, SentSms[]> {
  const grouped: Record<string, SentSms[]> = {};
  for (const m of messages) (grouped[m.PhoneNumber] ??= []).push(m);
  return grouped;
}

function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(xml);
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
