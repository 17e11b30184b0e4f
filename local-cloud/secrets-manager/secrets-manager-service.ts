// Secrets Manager as @aws-sdk/client-secrets-manager and `aws secretsmanager` call it on the edge port: CreateSecret,
// GetSecretValue and PutSecretValue, on secrets kept in memory with staged versions (AWSCURRENT, AWSPREVIOUS).
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AwsJsonError,
  epochSeconds,
  optionalString,
  optionalStringList,
  requiredString,
  serveAwsJson,
  validationError,
  type AwsJsonAction,
  type AwsJsonService,
  type JsonObject,
} from '../aws-json/protocol';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type EdgeService } from '../types';

export interface SecretsManagerEmulatorOptions {
  region?: string;
  accountId?: string;
}

export interface SecretsManagerEmulator extends EdgeService {
  /** Creates the secret, or adds a version that becomes AWSCURRENT (the replaced one becomes AWSPREVIOUS). */
  putSecret(name: string, secretString: string): void;
  /** The AWSCURRENT SecretString; undefined when the secret is missing or binary. */
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

interface Secret {
  arn: string;
  name: string;
  /** Oldest first. */
  versions: SecretVersion[];
}

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;
const MAX_SECRET_BYTES = 65_536;
/** Like AWS, unlabeled versions are dropped once a secret has more than 100. */
const MAX_VERSIONS = 100;
const ARN_SUFFIX_LENGTH = 6;
const ARN_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function createSecretsManagerEmulator(opts: SecretsManagerEmulatorOptions = {}): SecretsManagerEmulator {
  return new SecretsManagerService(opts);
}

class SecretsManagerService implements SecretsManagerEmulator {
  readonly name = 'secretsmanager';
  /** `arn:aws:secretsmanager:{region}:{account}:secret:`; the name and a random suffix follow. */
  private readonly arnPrefix: string;
  private readonly secrets = new Map<string, Secret>();
  private readonly protocol: AwsJsonService = {
    targetPrefix: 'secretsmanager.',
    messageKey: 'Message',
    actions: new Map(
      Object.entries<AwsJsonAction>({
        CreateSecret: (input) => this.createSecretAction(input),
        GetSecretValue: (input) => this.getSecretValueAction(input),
        PutSecretValue: (input) => this.putSecretValueAction(input),
      }),
    ),
  };

  constructor(opts: SecretsManagerEmulatorOptions) {
    this.arnPrefix = `arn:aws:secretsmanager:${opts.region ?? LOCAL_REGION}:${opts.accountId ?? LOCAL_ACCOUNT_ID}:secret:`;
  }

  async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    return serveAwsJson(this.protocol, req, body, res);
  }

  putSecret(name: string, secretString: string): void {
    const value = checkedValue({ secretString });
    const secret = this.find(name);
    if (secret) {
      addVersion(secret, randomUUID(), value, [CURRENT]);
    } else {
      this.secrets.set(name, this.newSecret(name, { id: randomUUID(), value }));
    }
  }

  getSecret(name: string): string | undefined {
    return this.find(name)?.versions.find((v) => v.stages.includes(CURRENT))?.secretString;
  }

  // ---- actions ----

  /** Description, KmsKeyId and Tags are accepted and not kept: no operation here returns them. */
  private createSecretAction(input: JsonObject): object {
    const name = requiredString(input, 'Name');
    const value = readValue(input);
    const versionId = optionalString(input, 'ClientRequestToken') ?? randomUUID();
    const existing = this.find(name);
    if (existing) {
      // A retried CreateSecret carries the same token and value: answer it as the first attempt was answered.
      const retried = existing.versions.find((v) => v.id === versionId);
      if (value && retried && sameValue(retried, value)) return { ARN: existing.arn, Name: name, VersionId: versionId };
      throw new AwsJsonError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
    const secret = this.newSecret(name, value && { id: versionId, value });
    this.secrets.set(name, secret);
    return { ARN: secret.arn, Name: name, VersionId: value && versionId };
  }

  private getSecretValueAction(input: JsonObject): object {
    const secret = this.require(requiredString(input, 'SecretId'));
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
    const secret = this.require(requiredString(input, 'SecretId'));
    const value = readValue(input);
    if (!value) throw new AwsJsonError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
    const versionId = optionalString(input, 'ClientRequestToken') ?? randomUUID();
    let version = secret.versions.find((v) => v.id === versionId);
    if (version && !sameValue(version, value)) {
      const message = "You can't modify an existing version, you can only create a new version.";
      throw new AwsJsonError('ResourceExistsException', message);
    }
    version ??= addVersion(secret, versionId, value, optionalStringList(input, 'VersionStages') ?? [CURRENT]);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages };
  }

  // ---- state ----

  private newSecret(name: string, initial: { id: string; value: SecretValue } | undefined): Secret {
    if (!NAME_PATTERN.test(name)) {
      throw new AwsJsonError(
        'ValidationException',
        'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
      );
    }
    const secret: Secret = { arn: `${this.arnPrefix}${name}-${arnSuffix()}`, name, versions: [] };
    if (initial) addVersion(secret, initial.id, initial.value, [CURRENT]);
    return secret;
  }

  /** By name, full ARN, or the ARN without its random suffix, as AWS resolves a SecretId. */
  private find(secretId: string): Secret | undefined {
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
}

function addVersion(secret: Secret, id: string, value: SecretValue, stages: string[]): SecretVersion {
  const version: SecretVersion = { id, ...value, stages: [], created: Date.now() };
  secret.versions.push(version);
  for (const stage of stages) moveStage(secret, stage, version);
  if (secret.versions.length > MAX_VERSIONS) {
    const unlabeled = secret.versions.findIndex((v) => v.stages.length === 0);
    if (unlabeled >= 0) secret.versions.splice(unlabeled, 1);
  }
  return version;
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
    const message = "You can't specify both a binary secret value and a string secret value in the same secret.";
    throw new AwsJsonError('InvalidParameterException', message);
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

function arnSuffix(): string {
  const pick = (byte: number) => ARN_SUFFIX_ALPHABET.charAt(byte % ARN_SUFFIX_ALPHABET.length);
  return [...randomBytes(ARN_SUFFIX_LENGTH)].map(pick).join('');
}
