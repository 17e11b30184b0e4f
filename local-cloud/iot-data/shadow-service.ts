// Device Shadow operations shared by the REST API and the reserved MQTT topics, with their MQTT notifications.
import type { LocalBroker } from '../types';
import {
  deleteResponse,
  errorResponse,
  getResponse,
  parseUpdateRequest,
  peekClientToken,
  ShadowError,
  type JsonObject,
} from './shadow-document';
import { ShadowStore, type ShadowRef } from './shadow-store';

export type ShadowOperation = 'get' | 'update' | 'delete';

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const SHADOW_NAME = /^[a-zA-Z0-9:_-]{1,64}$/;

export function isValidShadowRef(ref: ShadowRef): boolean {
  return THING_NAME.test(ref.thingName) && (ref.shadowName === undefined || SHADOW_NAME.test(ref.shadowName));
}

export function shadowTopicPrefix(ref: ShadowRef): string {
  const named = ref.shadowName === undefined ? '' : `/name/${ref.shadowName}`;
  return `$aws/things/${ref.thingName}/shadow${named}`;
}

/**
 * Recognises `$aws/things/{thing}/shadow[/name/{shadow}]/{get|update|delete}`. Anything else under the
 * shadow prefix, notably the accepted/rejected/delta/documents responses this service publishes, is undefined.
 */
export function parseShadowRequestTopic(topic: string): { ref: ShadowRef; operation: ShadowOperation } | undefined {
  const levels = topic.split('/');
  if (levels[0] !== '$aws' || levels[1] !== 'things' || levels[3] !== 'shadow') return undefined;
  const thingName = levels[2] ?? '';
  let ref: ShadowRef;
  let operation: string | undefined;
  if (levels.length === 5) {
    ref = { thingName };
    operation = levels[4];
  } else if (levels.length === 7 && levels[4] === 'name') {
    ref = { thingName, shadowName: levels[5] ?? '' };
    operation = levels[6];
  } else {
    return undefined;
  }
  if (!isShadowOperation(operation) || !isValidShadowRef(ref)) return undefined;
  return { ref, operation };
}

export class ShadowService {
  private readonly store = new ShadowStore();

  constructor(
    private readonly broker: LocalBroker,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** Throws ShadowError on rejection; on success notifies accepted, delta (if any) and documents. */
  async update(ref: ShadowRef, payload: Uint8Array): Promise<JsonObject> {
    const outcome = this.store.update(ref, parseUpdateRequest(payload), this.now());
    const prefix = shadowTopicPrefix(ref);
    await this.publish(`${prefix}/update/accepted`, outcome.accepted);
    if (outcome.delta) await this.publish(`${prefix}/update/delta`, outcome.delta);
    await this.publish(`${prefix}/update/documents`, outcome.documents);
    return outcome.accepted;
  }

  async get(ref: ShadowRef, clientToken?: string): Promise<JsonObject> {
    const body = getResponse(this.store.get(ref), this.now(), clientToken);
    await this.publish(`${shadowTopicPrefix(ref)}/get/accepted`, body);
    return body;
  }

  async delete(ref: ShadowRef, clientToken?: string): Promise<JsonObject> {
    const body = deleteResponse(this.store.delete(ref), this.now(), clientToken);
    await this.publish(`${shadowTopicPrefix(ref)}/delete/accepted`, body);
    return body;
  }

  /**
   * A device request on a reserved topic. Unlike the REST API, which answers errors over HTTP only,
   * a rejection here is published on the operation's `/rejected` topic.
   */
  async handleMqttRequest(ref: ShadowRef, operation: ShadowOperation, payload: Uint8Array): Promise<void> {
    const clientToken = peekClientToken(payload);
    try {
      if (operation === 'update') await this.update(ref, payload);
      else if (operation === 'get') await this.get(ref, clientToken);
      else await this.delete(ref, clientToken);
    } catch (error) {
      if (!(error instanceof ShadowError)) throw error;
      const body = errorResponse(error, this.now(), clientToken);
      await this.publish(`${shadowTopicPrefix(ref)}/${operation}/rejected`, body);
    }
  }

  private publish(topic: string, body: JsonObject): Promise<void> {
    return this.broker.publish(topic, JSON.stringify(body));
  }
}

function isShadowOperation(value: string | undefined): value is ShadowOperation {
  return value === 'get' || value === 'update' || value === 'delete';
}
