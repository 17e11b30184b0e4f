// Secrets Manager as @aws-sdk/client-secrets-manager and `aws secretsmanager` call it on the edge port: secrets with
// staged versions (AWSCURRENT, AWSPREVIOUS), in memory or persisted to a JSON file so a local stack keeps its keys.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AwsJsonError,
  enumError,
  epochSeconds,
  optionalBoolean,
  optionalInteger,
  optionalObjectList,
  optionalString,
  optionalStringList,
  pageSize,
  paginate,
  requiredString,
  serveAwsJson,
  validationError,
  type AwsJsonAction,
  type AwsJsonService,
  type JsonObject,
} from '../aws-json/protocol';
import { readJsonFile, writeJsonFile } from '../aws-json/json-file';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type EdgeService } from '../types';

export interface SecretsManagerEmulatorOptions {
  /** JSON file the secrets are loaded from and saved to; in memory only when absent. */
  dataFile?: string;
  region?: string;
  accountId?: string;
}

export interface SecretsManagerEmulator extends EdgeService {
  /** Creates the secret, or adds a version that becomes AWSCURRENT (the replaced one becomes AWSPREVIOUS). */
  putSecret(name: string, secretString: string): void;
  /** The AWSCURRENT SecretString; undefined when the secret is missing, scheduled for deletion, or binary. */
  getSecret(name: string): string | undefined;
}

interface SecretValue {
  secretString?: string;
  /** Base64, as the protocol carries it. */
  secretBinary?: string;
}

interface SecretVersion extends SecretValue {
  id: string;
  stages: string[];
  /** Epoch milliseconds. */
  created: number;
}

interface Tag {
  Key: string;
  Value: string;
}

interface Secret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  created: number;
  lastChanged: number;
  /** Set by DeleteSecret with a recovery window: when it was called and when the secret goes for good. */
  deletion?: { requested: number; purgeAt: number };
  /** Oldest first. */
  versions: SecretVersion[];
}

interface ListFilter {
  key: string;
  values: string[];
}

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;
const MAX_SECRET_BYTES = 65_536;
/** Like AWS, unlabeled versions are dropped once a secret has more than 100. */
const MAX_VERSIONS = 100;
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_RECOVERY_DAYS = 30;
const MIN_RECOVERY_DAYS = 7;
const MAX_RECOVERY_DAYS = 30;
const ARN_SUFFIX_LENGTH = 6;
const ARN_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LIST_FILTER_KEYS: readonly string[] = ['name', 'description', 'tag-key', 'tag-value', 'all'];

export function createSecretsManagerEmulator(opts: SecretsManagerEmulatorOptions = {}): SecretsManagerEmulator {
  return new SecretsManagerService(opts);
}

class SecretsManagerService implements SecretsManagerEmulator {
  readonly name = 'secretsmanager';
  /** `arn:aws:secretsmanager:{region}:{account}:secret:`; the name and a random suffix follow. */
  private readonly arnPrefix: string;
  private readonly dataFile: string | undefined;
  private readonly secrets = new Map<string, Secret>();
  private readonly protocol: AwsJsonService = {
    targetPrefix: 'secretsmanager.',
    messageKey: 'Message',
    actions: new Map(
      Object.entries<AwsJsonAction>({
        CreateSecret: (input) => this.createSecretAction(input),
        GetSecretValue: (input) => this.getSecretValueAction(input),
        PutSecretValue: (input) => this.putSecretValueAction(input),
        DescribeSecret: (input) => this.describeSecretAction(input),
        DeleteSecret: (input) => this.deleteSecretAction(input),
        RestoreSecret: (input) => this.restoreSecretAction(input),
        ListSecrets: (input) => this.listSecretsAction(input),
      }),
    ),
  };

  constructor(opts: SecretsManagerEmulatorOptions) {
    this.arnPrefix = `arn:aws:secretsmanager:${opts.region ?? LOCAL_REGION}:${opts.accountId ?? LOCAL_ACCOUNT_ID}:secret:`;
    this.dataFile = opts.dataFile;
    const state = this.dataFile === undefined ? undefined : (readJsonFile(this.dataFile) as { secrets?: Secret[] });
    for (const secret of state?.secrets ?? []) this.secrets.set(secret.name, secret);
  }

  async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    return serveAwsJson(this.protocol, req, body, res);
  }

  putSecret(name: string, secretString: string): void {
    const value = checkedValue({ secretString });
    const secret = this.find(name);
    if (secret) {
      this.addVersion(active(secret), randomUUID(), value, [CURRENT]);
    } else {
      this.secrets.set(name, this.newSecret(name, { tags: [] }, { id: randomUUID(), value }));
    }
    this.save();
  }

  getSecret(name: string): string | undefined {
    const secret = this.find(name);
    if (!secret || secret.deletion) return undefined;
    return secret.versions.find((v) => v.stages.includes(CURRENT))?.secretString;
  }

  // ---- actions ----

  private createSecretAction(input: JsonObject): object {
    const name = requiredString(input, 'Name');
    const value = readValue(input);
    const versionId = optionalString(input, 'ClientRequestToken') ?? randomUUID();
    const existing = this.find(name);
    if (existing?.deletion) {
      throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
    }
    if (existing) {
      // A retried CreateSecret carries the same token and value: answer it as the first attempt was answered.
      const retried = existing.versions.find((v) => v.id === versionId);
      if (value && retried && sameValue(retried, value)) return { ARN: existing.arn, Name: name, VersionId: versionId };
      throw new AwsJsonError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
    const secret = this.newSecret(
      name,
      { description: optionalString(input, 'Description'), kmsKeyId: optionalString(input, 'KmsKeyId'), tags: readTags(input) },
      value && { id: versionId, value },
    );
    this.secrets.set(name, secret);
    this.save();
    return { ARN: secret.arn, Name: name, VersionId: value && versionId };
  }

  private getSecretValueAction(input: JsonObject): object {
    const secret = active(this.require(requiredString(input, 'SecretId')));
    const versionId = optionalString(input, 'VersionId');
    const stage = optionalString(input, 'VersionStage') ?? (versionId === undefined ? CURRENT : undefined);
    const version = secret.versions.find(
      (v) => (versionId === undefined || v.id === versionId) && (stage === undefined || v.stages.includes(stage)),
    );
    if (!version) {
      const wanted = versionId === undefined ? `staging label: ${stage}` : `VersionId: ${versionId}`;
      throw new AwsJsonError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${wanted}`);
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      SecretString: version.secretString,
      SecretBinary: version.secretBinary,
      VersionStages: version.stages,
      CreatedDate: epochSeconds(version.created),
    };
  }

  private putSecretValueAction(input: JsonObject): object {
    const secret = active(this.require(requiredString(input, 'SecretId')));
    const value = readValue(input);
    if (!value) throw invalidRequest('You must provide either SecretString or SecretBinary.');
    const versionId = optionalString(input, 'ClientRequestToken') ?? randomUUID();
    let version = secret.versions.find((v) => v.id === versionId);
    if (version && !sameValue(version, value)) {
      const message = "You can't modify an existing version, you can only create a new version.";
      throw new AwsJsonError('ResourceExistsException', message);
    }
    if (!version) {
      version = this.addVersion(secret, versionId, value, optionalStringList(input, 'VersionStages') ?? [CURRENT]);
      this.save();
    }
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages };
  }

  private describeSecretAction(input: JsonObject): object {
    const secret = this.require(requiredString(input, 'SecretId'));
    return { ...summary(secret), VersionIdsToStages: stagesByVersion(secret) };
  }

  private deleteSecretAction(input: JsonObject): object {
    const secretId = requiredString(input, 'SecretId');
    const force = optionalBoolean(input, 'ForceDeleteWithoutRecovery') ?? false;
    const recoveryDays = optionalInteger(input, 'RecoveryWindowInDays');
    if (force && recoveryDays !== undefined) {
      throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    if (recoveryDays !== undefined && (recoveryDays < MIN_RECOVERY_DAYS || recoveryDays > MAX_RECOVERY_DAYS)) {
      const range = `between ${MIN_RECOVERY_DAYS} and ${MAX_RECOVERY_DAYS} days (inclusive)`;
      throw invalidParameter(`The RecoveryWindowInDays value must be ${range}.`);
    }
    const now = Date.now();
    if (force) {
      // Like AWS, force-deleting a missing or already deleted secret succeeds.
      const secret = this.find(secretId);
      if (secret) {
        this.secrets.delete(secret.name);
        this.save();
      }
      return { ARN: secret?.arn, Name: secret?.name ?? secretId, DeletionDate: epochSeconds(now) };
    }
    const secret = active(this.require(secretId));
    secret.deletion = { requested: now, purgeAt: now + (recoveryDays ?? DEFAULT_RECOVERY_DAYS) * DAY_MS };
    this.save();
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(secret.deletion.purgeAt) };
  }

  private restoreSecretAction(input: JsonObject): object {
    const secret = this.require(requiredString(input, 'SecretId'));
    if (secret.deletion) {
      delete secret.deletion;
      this.save();
    }
    return { ARN: secret.arn, Name: secret.name };
  }

  private listSecretsAction(input: JsonObject): object {
    const includeDeleted = optionalBoolean(input, 'IncludePlannedDeletion') ?? false;
    const filters = readListFilters(input);
    const sortOrder = optionalString(input, 'SortOrder') ?? 'asc';
    if (sortOrder !== 'asc' && sortOrder !== 'desc') {
      throw enumError('sortOrder', sortOrder, ['asc', 'desc']);
    }
    this.purgeExpired();
    // The map keeps creation order, which is how AWS sorts the list.
    const all = [...this.secrets.values()];
    const matching = (sortOrder === 'desc' ? all.reverse() : all).filter(
      (secret) => (includeDeleted || !secret.deletion) && filters.every((f) => matchesListFilter(secret, f)),
    );
    const { page, nextToken } = paginate(
      matching,
      pageSize(input, 'MaxResults', 100, 100),
      optionalString(input, 'NextToken'),
      'InvalidNextTokenException',
    );
    return {
      SecretList: page.map((secret) => ({ ...summary(secret), SecretVersionsToStages: stagesByVersion(secret) })),
      NextToken: nextToken,
    };
  }

  // ---- state ----

  private newSecret(
    name: string,
    details: Pick<Secret, 'description' | 'kmsKeyId' | 'tags'>,
    initial: { id: string; value: SecretValue } | undefined,
  ): Secret {
    if (!NAME_PATTERN.test(name)) {
      throw new AwsJsonError(
        'ValidationException',
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    const now = Date.now();
    const arn = `${this.arnPrefix}${name}-${arnSuffix()}`;
    const secret: Secret = { arn, name, ...details, created: now, lastChanged: now, versions: [] };
    if (initial) this.addVersion(secret, initial.id, initial.value, [CURRENT]);
    return secret;
  }

  private addVersion(secret: Secret, id: string, value: SecretValue, stages: string[]): SecretVersion {
    const version: SecretVersion = { id, ...value, stages: [], created: Date.now() };
    secret.versions.push(version);
    for (const stage of stages) moveStage(secret, stage, version);
    if (secret.versions.length > MAX_VERSIONS) {
      const unlabeled = secret.versions.findIndex((v) => v.stages.length === 0);
      if (unlabeled >= 0) secret.versions.splice(unlabeled, 1);
    }
    secret.lastChanged = version.created;
    return version;
  }

  /** By name, full ARN, or the ARN without its random suffix, as AWS resolves a SecretId. */
  private find(secretId: string): Secret | undefined {
    this.purgeExpired();
    return (
      this.secrets.get(secretId) ??
      [...this.secrets.values()].find((s) => s.arn === secretId || s.arn.slice(0, -(ARN_SUFFIX_LENGTH + 1)) === secretId)
    );
  }

  private require(secretId: string): Secret {
    const secret = this.find(secretId);
    if (!secret) throw new AwsJsonError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  }

  /** Ends recovery windows that have run out; checked lazily, since a persisted stack may sleep through them. */
  private purgeExpired(): void {
    const now = Date.now();
    const expired = [...this.secrets.values()].filter((s) => s.deletion && s.deletion.purgeAt <= now);
    for (const secret of expired) this.secrets.delete(secret.name);
    if (expired.length > 0) this.save();
  }

  private save(): void {
    if (this.dataFile !== undefined) writeJsonFile(this.dataFile, { secrets: [...this.secrets.values()] });
  }
}

/** The secret, unless DeleteSecret scheduled it for deletion: then only DescribeSecret and RestoreSecret see it. */
function active(secret: Secret): Secret {
  if (secret.deletion) throw invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
  return secret;
}

/**
 * Moves a staging label onto `target`; a label sits on one version at a time. Whatever AWSCURRENT leaves becomes
 * AWSPREVIOUS, which rotation and rollbacks rely on.
 */
function moveStage(secret: Secret, stage: string, target: SecretVersion): void {
  const holder = secret.versions.find((v) => v.stages.includes(stage));
  if (holder === target) return;
  if (holder) holder.stages = holder.stages.filter((s) => s !== stage);
  target.stages.push(stage);
  if (stage === CURRENT && holder) moveStage(secret, PREVIOUS, holder);
}

function readValue(input: JsonObject): SecretValue | undefined {
  const secretString = optionalString(input, 'SecretString');
  const secretBinary = optionalString(input, 'SecretBinary');
  if (secretString !== undefined && secretBinary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (secretString !== undefined) return checkedValue({ secretString });
  return secretBinary === undefined ? undefined : checkedValue({ secretBinary });
}

function checkedValue(value: SecretValue): SecretValue {
  const { secretString, secretBinary = '' } = value;
  const bytes = secretString === undefined ? Buffer.from(secretBinary, 'base64').length : Buffer.byteLength(secretString);
  if (bytes > MAX_SECRET_BYTES) {
    const member = secretString === undefined ? 'secretBinary' : 'secretString';
    throw validationError(member, `have length less than or equal to ${MAX_SECRET_BYTES}`);
  }
  return value;
}

function sameValue(a: SecretValue, b: SecretValue): boolean {
  return a.secretString === b.secretString && a.secretBinary === b.secretBinary;
}

function readTags(input: JsonObject): Tag[] {
  return (optionalObjectList(input, 'Tags') ?? []).map((tag) => ({
    Key: requiredString(tag, 'Key'),
    Value: optionalString(tag, 'Value') ?? '',
  }));
}

function readListFilters(input: JsonObject): ListFilter[] {
  return (optionalObjectList(input, 'Filters') ?? []).map((filter) => {
    const key = requiredString(filter, 'Key');
    if (!LIST_FILTER_KEYS.includes(key)) {
      throw enumError('filters.key', key, LIST_FILTER_KEYS);
    }
    return { key, values: optionalStringList(filter, 'Values') ?? [] };
  });
}

/** AWS semantics: prefix matches, case-insensitive for description and all; a leading `!` negates a value. */
function matchesListFilter(secret: Secret, filter: ListFilter): boolean {
  const caseInsensitive = filter.key === 'description' || filter.key === 'all';
  const fold = (text: string) => (caseInsensitive ? text.toLowerCase() : text);
  const candidates = listFilterCandidates(secret, filter.key).map(fold);
  return filter.values.some((raw) => {
    const negated = raw.startsWith('!');
    const prefix = fold(negated ? raw.slice(1) : raw);
    return candidates.some((candidate) => candidate.startsWith(prefix)) !== negated;
  });
}

function listFilterCandidates(secret: Secret, key: string): string[] {
  const tagKeys = secret.tags.map((t) => t.Key);
  const tagValues = secret.tags.map((t) => t.Value);
  const description = secret.description === undefined ? [] : [secret.description];
  switch (key) {
    case 'name':
      return [secret.name];
    case 'description':
      return description;
    case 'tag-key':
      return tagKeys;
    case 'tag-value':
      return tagValues;
    default:
      return [secret.name, ...description, ...tagKeys, ...tagValues];
  }
}

function summary(secret: Secret): JsonObject {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    RotationEnabled: false,
    LastChangedDate: epochSeconds(secret.lastChanged),
    DeletedDate: secret.deletion && epochSeconds(secret.deletion.requested),
    Tags: secret.tags.length > 0 ? secret.tags : undefined,
    CreatedDate: epochSeconds(secret.created),
  };
}

/** Only labeled versions: unlabeled ones are deprecated and, as in AWS, not listed. */
function stagesByVersion(secret: Secret): Record<string, string[]> {
  return Object.fromEntries(secret.versions.filter((v) => v.stages.length > 0).map((v) => [v.id, v.stages]));
}

function arnSuffix(): string {
  const pick = (byte: number) => ARN_SUFFIX_ALPHABET.charAt(byte % ARN_SUFFIX_ALPHABET.length);
  return [...randomBytes(ARN_SUFFIX_LENGTH)].map(pick).join('');
}

function invalidRequest(message: string): AwsJsonError {
  return new AwsJsonError('InvalidRequestException', message);
}

function invalidParameter(message: string): AwsJsonError {
  return new AwsJsonError('InvalidParameterException', message);
}
