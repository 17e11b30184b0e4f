// The AWS IoT control plane (registry, certificates, policies) as @aws-sdk/client-iot and `aws iot` call it over
// REST-JSON on the edge port: the calls device provisioning and decommissioning make, with AWS's error types.
// Policies are the stack's (AWS::IoT::Policy resources), attached and detached through the API.
// It also answers the local MQTT broker's question "may this client publish here?" from the same registry.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendRestJson } from '../rest-json';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type EdgeService, type LoadedTopicRule } from '../types';
import { evaluatePolicies, mqttResourceArn, type ConnectionContext, type PolicyDocument } from './policy-evaluator';
import { createCertificateAuthority, issueDeviceCertificate, type CertificateAuthority } from './x509';

export interface IotControlPlaneOptions {
  /** host:port of the MQTT broker, returned by DescribeEndpoint for the data endpoints. */
  brokerAddress: string;
  /** host:port of the edge, returned for the other endpoint types. */
  edgeAddress: string;
  /** Policies that exist before any call (the AWS::IoT::Policy resources of the stack). */
  policies?: Array<{ name: string; document: string }>;
  /** The topic rules the rule engine loaded, asked on each ListTopicRules (none until it runs). */
  topicRules?: () => LoadedTopicRule[];
  region?: string;
  accountId?: string;
}

export interface IotControlPlane extends EdgeService {
  /** The local CA that signs every certificate (PEM). */
  caCertificatePem(): Promise<string>;
  /**
   * Whether `clientId` may publish to `topic`. A client id naming a registered thing is held to the policies
   * of the thing's ACTIVE certificates, as AWS would (thing name = client id); any other client (CLI tools,
   * tests, the rule engine) is not checked, since the local broker does not authenticate connections.
   */
  mayPublish(clientId: string, topic: string): boolean;
  /** Same for a subscription's topic filter. */
  maySubscribe(clientId: string, topicFilter: string): boolean;
}

type CertificateStatus = 'ACTIVE' | 'INACTIVE' | 'REVOKED';

interface Thing {
  thingName: string;
  thingId: string;
  thingArn: string;
  thingTypeName?: string;
  attributes: Record<string, string>;
  version: number;
  principals: Set<string>;
}

interface Certificate {
  certificateId: string;
  certificateArn: string;
  certificatePem: string;
  status: CertificateStatus;
  creationDate: number;
  lastModifiedDate: number;
  notBefore: number;
  notAfter: number;
  policies: Set<string>;
  things: Set<string>;
}

interface Policy {
  policyName: string;
  policyArn: string;
  parsed: PolicyDocument;
  targets: Set<string>;
}

type Json = Record<string, unknown>;
interface Request {
  param: string;
  query: URLSearchParams;
  body: Json;
  principal: string | undefined;
}
type Handler = (request: Request) => Promise<Json | undefined> | Json | undefined;

class IotError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Json = {},
  ) {
    super(message);
  }
}

const notFound = (what: string) => new IotError(404, 'ResourceNotFoundException', `${what} does not exist`);
const invalid = (message: string) => new IotError(400, 'InvalidRequestException', message);

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_.,@/:#=[\]-]{1,128}$/;
const MAX_ATTRIBUTES = 50;
const epochSeconds = (ms: number) => ms / 1000;

export function createIotControlPlane(options: IotControlPlaneOptions): IotControlPlane {
  return new IotControlPlaneService(options);
}

class IotControlPlaneService implements IotControlPlane {
  readonly name = 'iot';
  private ca?: Promise<CertificateAuthority>;
  private readonly region: string;
  private readonly accountId: string;
  private readonly things = new Map<string, Thing>();
  private readonly certificates = new Map<string, Certificate>();
  private readonly policies = new Map<string, Policy>();

  private readonly routes: Array<{ path: RegExp; methods: Partial<Record<string, Handler>> }> = [
    { path: /^\/things$/, methods: { GET: (r) => this.listThings(r.query) } },
    { path: /^\/policies$/, methods: { GET: (r) => this.listPolicies(r.query) } },
    { path: /^\/rules$/, methods: { GET: (r) => this.listTopicRules(r.query) } },
    {
      path: /^\/things\/([^/]+)$/,
      methods: {
        POST: (r) => this.createThing(r.param, r.body),
        GET: (r) => this.describeThing(r.param),
        DELETE: (r) => this.deleteThing(r.param, r.query.get('expectedVersion')),
      },
    },
    {
      path: /^\/things\/([^/]+)\/principals$/,
      methods: {
        PUT: (r) => this.attachThingPrincipal(r.param, r.principal),
        DELETE: (r) => this.detachThingPrincipal(r.param, r.principal),
        GET: (r) => this.listThingPrincipals(r.param, r.query),
      },
    },
    { path: /^\/keys-and-certificate$/, methods: { POST: (r) => this.createKeysAndCertificate(r.query.get('setAsActive') === 'true') } },
    {
      path: /^\/certificates\/([^/]+)$/,
      methods: {
        GET: (r) => this.describeCertificate(r.param),
        PUT: (r) => this.updateCertificate(r.param, r.query.get('newStatus')),
        DELETE: (r) => this.deleteCertificate(r.param, r.query.get('forceDelete') === 'true'),
      },
    },
    {
      path: /^\/target-policies\/([^/]+)$/,
      methods: {
        PUT: (r) => this.attachPolicy(r.param, r.body.target),
        POST: (r) => this.detachPolicy(r.param, r.body.target),
      },
    },
    { path: /^\/attached-policies\/(.+)$/, methods: { POST: (r) => this.listAttachedPolicies(r.param) } },
    { path: /^\/endpoint$/, methods: { GET: (r) => this.describeEndpoint(r.query.get('endpointType')) } },
  ];

  constructor(private readonly options: IotControlPlaneOptions) {
    this.region = options.region ?? LOCAL_REGION;
    this.accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
    for (const policy of options.policies ?? []) this.addPolicy(policy.name, policy.document);
  }

  async caCertificatePem(): Promise<string> {
    return (await this.certificateAuthority()).certificatePem;
  }

  /** Made on first use (WebCrypto signs asynchronously), then kept: every certificate has the same issuer. */
  private certificateAuthority(): Promise<CertificateAuthority> {
    this.ca ??= createCertificateAuthority().catch((error: unknown) => {
      this.ca = undefined;
      throw error;
    });
    return this.ca;
  }

  async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://edge');
    const match = this.match(url.pathname);
    if (!match || signedForAnotherService(req)) return false;
    const handler = match.methods[req.method ?? 'GET'];
    try {
      if (!handler) throw new IotError(405, 'MethodNotAllowedException', `Method ${req.method} is not allowed on ${url.pathname}`);
      const principal = req.headers['x-amzn-principal'];
      const result = await handler({
        param: decode(match.param),
        query: url.searchParams,
        body: parseBody(body),
        principal: typeof principal === 'string' ? principal : undefined,
      });
      sendRestJson(res, 200, result ?? {});
    } catch (error) {
      if (!(error instanceof IotError)) throw error;
      sendRestJson(res, error.status, { message: error.message, ...error.extra }, { 'x-amzn-ErrorType': error.type });
    }
    return true;
  }

  mayPublish(clientId: string, topic: string): boolean {
    return this.authorize(clientId, 'iot:Publish', mqttResourceArn(this.region, this.accountId, 'topic', topic));
  }

  maySubscribe(clientId: string, topicFilter: string): boolean {
    return this.authorize(clientId, 'iot:Subscribe', mqttResourceArn(this.region, this.accountId, 'topicfilter', topicFilter));
  }

  private authorize(clientId: string, action: string, resource: string): boolean {
    const thing = this.things.get(clientId);
    if (!thing) return true;
    const active = [...thing.principals].map((arn) => this.certificateByArn(arn)).filter((c) => c?.status === 'ACTIVE');
    const documents = active.flatMap((c) => [...c!.policies].map((name) => this.policies.get(name)!.parsed));
    const ctx: ConnectionContext = { clientId, thing: { thingName: thing.thingName, thingTypeName: thing.thingTypeName, attributes: thing.attributes } };
    return evaluatePolicies(documents, action, resource, ctx) === 'allow';
  }

  private match(pathname: string) {
    for (const route of this.routes) {
      const found = route.path.exec(pathname);
      if (found) return { methods: route.methods, param: found[1] ?? '' };
    }
    return undefined;
  }

  // ---- things ----

  private createThing(thingName: string, body: Json): Json {
    if (!THING_NAME.test(thingName)) throw invalid('thingName must match [a-zA-Z0-9:_-]{1,128}');
    const attributes = readAttributes(body.attributePayload);
    const thingTypeName = typeof body.thingTypeName === 'string' ? body.thingTypeName : undefined;
    const existing = this.things.get(thingName);
    if (existing) {
      // AWS: creating a thing that exists with the same configuration returns it; anything else conflicts.
      if (existing.thingTypeName === thingTypeName && sameAttributes(existing.attributes, attributes)) {
        return { thingName, thingArn: existing.thingArn, thingId: existing.thingId };
      }
      throw new IotError(409, 'ResourceAlreadyExistsException', `Thing ${thingName} already exists in account with different attributes`, {
        resourceId: existing.thingId,
        resourceArn: existing.thingArn,
      });
    }
    const thing: Thing = {
      thingName,
      thingId: randomUUID(),
      thingArn: `arn:aws:iot:${this.region}:${this.accountId}:thing/${thingName}`,
      thingTypeName,
      attributes,
      version: 1,
      principals: new Set(),
    };
    this.things.set(thingName, thing);
    return { thingName, thingArn: thing.thingArn, thingId: thing.thingId };
  }

  private thing(thingName: string): Thing {
    const thing = this.things.get(thingName);
    if (!thing) throw notFound(`Thing ${thingName}`);
    return thing;
  }

  private listThings(query: URLSearchParams): Json {
    const attributeName = query.get('attributeName');
    const attributeValue = query.get('attributeValue');
    const usePrefix = query.get('usePrefixAttributeValue') === 'true';
    const thingTypeName = query.get('thingTypeName');
    const matches = (t: Thing) => {
      if (thingTypeName !== null && t.thingTypeName !== thingTypeName) return false;
      if (attributeName === null) return true;
      const value = t.attributes[attributeName];
      if (value === undefined) return false;
      if (attributeValue === null) return true;
      return usePrefix ? value.startsWith(attributeValue) : value === attributeValue;
    };
    const { items, next } = page([...this.things.values()].filter(matches), query.get('nextToken'), query.get('maxResults'));
    return {
      things: items.map((t) => ({
        thingName: t.thingName,
        thingArn: t.thingArn,
        ...(t.thingTypeName !== undefined && { thingTypeName: t.thingTypeName }),
        attributes: t.attributes,
        version: t.version,
      })),
      ...(next !== undefined && { nextToken: next }),
    };
  }

  private describeThing(thingName: string): Json {
    const t = this.thing(thingName);
    return {
      defaultClientId: t.thingName,
      thingName: t.thingName,
      thingId: t.thingId,
      thingArn: t.thingArn,
      ...(t.thingTypeName && { thingTypeName: t.thingTypeName }),
      attributes: t.attributes,
      version: t.version,
    };
  }

  private deleteThing(thingName: string, expectedVersion: string | null): Json {
    const thing = this.things.get(thingName);
    if (!thing) return {}; // AWS answers success for a thing that does not exist
    if (expectedVersion !== null && Number(expectedVersion) !== thing.version) {
      throw new IotError(409, 'VersionConflictException', `The version for thing ${thingName} does not match the expected version.`);
    }
    if (thing.principals.size > 0) {
      throw invalid(`Cannot delete. Thing ${thingName} has attached principals: [${[...thing.principals].join(', ')}]`);
    }
    this.things.delete(thingName);
    return {};
  }

  private requirePrincipal(principal: string | undefined): string {
    if (!principal) throw invalid('x-amzn-principal header is required');
    return principal;
  }

  private attachThingPrincipal(thingName: string, principal: string | undefined): Json {
    const arn = this.requirePrincipal(principal);
    const thing = this.thing(thingName);
    const certificate = this.certificateByArn(arn);
    if (!certificate) throw notFound(`Principal ${arn}`);
    thing.principals.add(arn);
    certificate.things.add(thingName);
    return {};
  }

  private detachThingPrincipal(thingName: string, principal: string | undefined): Json {
    const arn = this.requirePrincipal(principal);
    const thing = this.thing(thingName);
    thing.principals.delete(arn);
    this.certificateByArn(arn)?.things.delete(thingName);
    return {};
  }

  private listThingPrincipals(thingName: string, query: URLSearchParams): Json {
    const { page, nextToken } = paginate([...this.thing(thingName).principals].sort(), query);
    return { principals: page, ...(nextToken && { nextToken }) };
  }

  // ---- certificates ----

  private async createKeysAndCertificate(setAsActive: boolean): Promise<Json> {
    const issued = await issueDeviceCertificate(await this.certificateAuthority());
    const now = Date.now();
    const certificate: Certificate = {
      certificateId: issued.certificateId,
      certificateArn: `arn:aws:iot:${this.region}:${this.accountId}:cert/${issued.certificateId}`,
      certificatePem: issued.certificatePem,
      status: setAsActive ? 'ACTIVE' : 'INACTIVE',
      creationDate: now,
      lastModifiedDate: now,
      notBefore: issued.notBefore.getTime(),
      notAfter: issued.notAfter.getTime(),
      policies: new Set(),
      things: new Set(),
    };
    this.certificates.set(certificate.certificateId, certificate);
    // The private key leaves in this response only, as on AWS: the emulator keeps no copy.
    return {
      certificateArn: certificate.certificateArn,
      certificateId: certificate.certificateId,
      certificatePem: certificate.certificatePem,
      keyPair: { PublicKey: issued.publicKeyPem, PrivateKey: issued.privateKeyPem },
    };
  }

  private certificate(certificateId: string): Certificate {
    const certificate = this.certificates.get(certificateId);
    if (!certificate) throw notFound(`Certificate ${certificateId}`);
    return certificate;
  }

  private certificateByArn(arn: string): Certificate | undefined {
    const id = /:cert\/([0-9a-f]{64})$/.exec(arn)?.[1];
    return id ? this.certificates.get(id) : undefined;
  }

  private describeCertificate(certificateId: string): Json {
    const c = this.certificate(certificateId);
    return {
      certificateDescription: {
        certificateArn: c.certificateArn,
        certificateId: c.certificateId,
        status: c.status,
        certificatePem: c.certificatePem,
        ownedBy: this.accountId,
        creationDate: epochSeconds(c.creationDate),
        lastModifiedDate: epochSeconds(c.lastModifiedDate),
        customerVersion: 1,
        generationId: randomUUID(),
        validity: { notBefore: epochSeconds(c.notBefore), notAfter: epochSeconds(c.notAfter) },
        certificateMode: 'DEFAULT',
      },
    };
  }

  private updateCertificate(certificateId: string, newStatus: string | null): Json {
    const certificate = this.certificate(certificateId);
    if (newStatus !== 'ACTIVE' && newStatus !== 'INACTIVE' && newStatus !== 'REVOKED') {
      throw invalid('newStatus must be ACTIVE, INACTIVE or REVOKED');
    }
    if (certificate.status === 'REVOKED' && newStatus !== 'REVOKED') {
      throw new IotError(406, 'CertificateStateException', 'Certificate is revoked and cannot be reactivated');
    }
    certificate.status = newStatus;
    certificate.lastModifiedDate = Date.now();
    return {};
  }

  private deleteCertificate(certificateId: string, forceDelete: boolean): Json {
    const certificate = this.certificate(certificateId);
    if (certificate.status === 'ACTIVE') {
      throw new IotError(406, 'CertificateStateException', 'Certificate must be deactivated (not ACTIVE) before deletion.');
    }
    if (certificate.things.size > 0) throw new IotError(409, 'DeleteConflictException', 'Things are attached to the certificate');
    if (certificate.policies.size > 0 && !forceDelete) {
      throw new IotError(409, 'DeleteConflictException', 'Certificate policies must be detached before deletion.');
    }
    for (const name of certificate.policies) this.policies.get(name)?.targets.delete(certificate.certificateArn);
    this.certificates.delete(certificateId);
    return {};
  }

  // ---- policies ----

  /** One of the stack's policies; a malformed document or a duplicate name fails the start. */
  private addPolicy(policyName: string, document: string): void {
    if (!POLICY_NAME.test(policyName)) throw new Error(`IoT policy name ${policyName} must match [\\w+=,.@-]{1,128}`);
    if (this.policies.has(policyName)) throw new Error(`IoT policy ${policyName} is defined twice`);
    const policy: Policy = {
      policyName,
      policyArn: `arn:aws:iot:${this.region}:${this.accountId}:policy/${policyName}`,
      parsed: parsePolicyDocument(policyName, document),
      targets: new Set(),
    };
    this.policies.set(policyName, policy);
  }

  private listPolicies(query: URLSearchParams): Json {
    const sorted = [...this.policies.values()].sort((a, b) => a.policyName.localeCompare(b.policyName));
    if (query.get('isAscendingOrder') === 'false') sorted.reverse();
    const { items, next } = page(sorted, query.get('marker'), query.get('pageSize'));
    return {
      policies: items.map((p) => ({ policyName: p.policyName, policyArn: p.policyArn })),
      ...(next !== undefined && { nextMarker: next }),
    };
  }

  private policy(policyName: string): Policy {
    const policy = this.policies.get(policyName);
    if (!policy) throw notFound(`Policy ${policyName}`);
    return policy;
  }

  private target(target: unknown): string {
    if (typeof target !== 'string' || target === '') throw invalid('target is required');
    return target;
  }

  private attachPolicy(policyName: string, rawTarget: unknown): Json {
    const target = this.target(rawTarget);
    const policy = this.policy(policyName);
    const certificate = this.certificateByArn(target);
    if (target.includes(':cert/') && !certificate) throw notFound(`Certificate ${target}`);
    policy.targets.add(target);
    certificate?.policies.add(policyName);
    return {};
  }

  private detachPolicy(policyName: string, rawTarget: unknown): Json {
    const target = this.target(rawTarget);
    this.policy(policyName).targets.delete(target);
    this.certificateByArn(target)?.policies.delete(policyName);
    return {};
  }

  private listAttachedPolicies(target: string): Json {
    const attached = [...this.policies.values()].filter((p) => p.targets.has(target));
    return { policies: attached.map((p) => ({ policyName: p.policyName, policyArn: p.policyArn })) };
  }

  // ---- topic rules ----

  private listTopicRules(query: URLSearchParams): Json {
    const topic = query.get('topic');
    const disabled = query.get('ruleDisabled');
    const rules = (this.options.topicRules?.() ?? []).filter(
      (r) => (topic === null || r.topicPattern === topic) && (disabled === null || String(r.ruleDisabled) === disabled),
    );
    const { items, next } = page(rules, query.get('nextToken'), query.get('maxResults'));
    return {
      rules: items.map((r) => ({
        ruleArn: `arn:aws:iot:${this.region}:${this.accountId}:rule/${r.ruleName}`,
        ruleName: r.ruleName,
        topicPattern: r.topicPattern,
        createdAt: epochSeconds(r.createdAt),
        ruleDisabled: r.ruleDisabled,
      })),
      ...(next !== undefined && { nextToken: next }),
    };
  }

  // ---- endpoints ----

  private describeEndpoint(endpointType: string | null): Json {
    // The data endpoints are the local broker (its port is not 8883, so it is part of the address);
    // the others (credentials, jobs) are served by the edge.
    const data = endpointType === null || endpointType === 'iot:Data' || endpointType === 'iot:Data-ATS';
    if (!data && endpointType !== 'iot:CredentialProvider' && endpointType !== 'iot:Jobs') {
      throw invalid(`Endpoint type ${endpointType} is not valid`);
    }
    return { endpointAddress: data ? this.options.brokerAddress : this.options.edgeAddress };
  }
}

function readAttributes(payload: unknown): Record<string, string> {
  const attributes = (payload as { attributes?: unknown } | undefined)?.attributes ?? {};
  if (typeof attributes !== 'object' || attributes === null) throw invalid('attributes must be a map of strings');
  const entries = Object.entries(attributes as Record<string, unknown>);
  if (entries.length > MAX_ATTRIBUTES) throw invalid(`a thing has at most ${MAX_ATTRIBUTES} attributes`);
  for (const [key, value] of entries) {
    if (!ATTRIBUTE_NAME.test(key) || typeof value !== 'string' || value.length > 800) throw invalid(`attribute ${key} is not valid`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function sameAttributes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function parsePolicyDocument(policyName: string, document: string): PolicyDocument {
  const malformed = (why: string) => new Error(`IoT policy ${policyName}: the document is malformed: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw malformed('not JSON');
  }
  const statements = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  const valid = list.every(
    (s: { Effect?: unknown; Action?: unknown; Resource?: unknown } | undefined) =>
      s !== undefined && (s.Effect === 'Allow' || s.Effect === 'Deny') && s.Action !== undefined && s.Resource !== undefined,
  );
  if (!statements || !valid) throw malformed('every statement needs Effect (Allow|Deny), Action and Resource');
  return parsed as PolicyDocument;
}

function parseBody(body: Buffer): Json {
  if (body.length === 0) return {};
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : {};
  } catch {
    throw invalid('Request body is not valid JSON');
  }
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw invalid('Invalid URI encoding');
  }
}

/** Tokens are offsets into the sorted list: the emulator keeps no paging state. */
function paginate<T>(items: T[], query: URLSearchParams): { page: T[]; nextToken?: string } {
  const start = Number(query.get('nextToken') ?? 0);
  const size = Number(query.get('maxResults') ?? 25);
  if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(size) || size < 1) throw invalid('Invalid paging parameters');
  const end = start + size;
  return { page: items.slice(start, end), ...(end < items.length && { nextToken: String(end) }) };
}

/** The edge is shared: a request signed for another service (say `iotdata`) is not ours even on a path like ours. */
/** One page of a listing; the token is the offset of the next page, opaque to callers as AWS's are. */
function page<T>(all: T[], token: string | null, size: string | null): { items: T[]; next?: string } {
  const start = token === null ? 0 : Number(token);
  if (!Number.isInteger(start) || start < 0) throw invalid('The pagination token is invalid');
  const limit = size === null ? 250 : Number(size);
  if (!Number.isInteger(limit) || limit < 1 || limit > 250) throw invalid('The page size must be between 1 and 250');
  const items = all.slice(start, start + limit);
  return { items, ...(start + limit < all.length && { next: String(start + limit) }) };
}

function signedForAnotherService(req: IncomingMessage): boolean {
  const scope = /Credential=[^/,]+\/\d{8}\/[^/,]+\/([^/,]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  return scope !== null && scope[1] !== 'iot';
}

