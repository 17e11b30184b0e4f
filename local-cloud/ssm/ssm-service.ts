// SSM Parameter Store as @aws-sdk/client-ssm and `aws ssm` call it on the edge port: PutParameter, GetParameter and
// GetParameters, on parameters kept in memory with their version history (for `name:version` selectors).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type EdgeService } from '../types';
import {
  AwsJsonError,
  enumError,
  epochSeconds,
  optionalBoolean,
  optionalString,
  optionalStringList,
  requiredString,
  serveAwsJson,
  validationError,
  type AwsJsonAction,
  type AwsJsonService,
  type JsonObject,
} from '../aws-json/protocol';

export type ParameterType = 'String' | 'StringList' | 'SecureString';
type ParameterTier = 'Standard' | 'Advanced';

export interface SsmEmulatorOptions {
  region?: string;
  accountId?: string;
}

export interface SsmEmulator extends EdgeService {
  /** Creates the parameter (String unless told otherwise) or overwrites it with a new version. */
  putParameter(name: string, value: string, type?: ParameterType): void;
  /** The current value, in clear text for a SecureString; undefined when there is no such parameter. */
  getParameter(name: string): string | undefined;
}

interface ParameterVersion {
  version: number;
  value: string;
  type: ParameterType;
  /** Only for SecureString. */
  keyId?: string;
  allowedPattern?: string;
  tier: ParameterTier;
  dataType: string;
  /** Epoch milliseconds. */
  lastModified: number;
}

interface Parameter {
  name: string;
  current: ParameterVersion;
  /** Earlier versions, oldest first, for `name:version` selectors. */
  history: ParameterVersion[];
}

interface PutRequest {
  name: string;
  value: string;
  type?: ParameterType;
  overwrite: boolean;
  keyId?: string;
  allowedPattern?: string;
  tier?: string;
  dataType?: string;
}

interface Lookup {
  parameter: Parameter;
  version: ParameterVersion;
  /** `:N` when the reference chose a version. */
  selector?: string;
}

const TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];
const DATA_TYPES: readonly string[] = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
const DEFAULT_KEY_ID = 'alias/aws/ssm';
/** AWS keeps the 100 latest versions and drops the oldest beyond that. */
const MAX_VERSIONS = 100;
const MAX_HIERARCHY_LEVELS = 15;
const MAX_NAME_LENGTH = 1011;
const MAX_VALUE_LENGTH: Record<ParameterTier, number> = { Standard: 4096, Advanced: 8192 };
const MAX_NAMES_PER_CALL = 10;
const NAME_CHARACTERS = /^[a-zA-Z0-9_.\-/]+$/;
const RESERVED_PREFIX = /^\/?(aws|ssm)/i;

export function createSsmEmulator(opts: SsmEmulatorOptions = {}): SsmEmulator {
  return new SsmService(opts);
}

class SsmService implements SsmEmulator {
  readonly name = 'ssm';
  /** `arn:aws:ssm:{region}:{account}:parameter`; the name follows, with a slash added when it has none. */
  private readonly arnPrefix: string;
  private readonly parameters = new Map<string, Parameter>();
  private readonly protocol: AwsJsonService = {
    targetPrefix: 'AmazonSSM.',
    messageKey: 'message',
    actions: new Map(
      Object.entries<AwsJsonAction>({
        PutParameter: (input) => this.putParameterAction(input),
        GetParameter: (input) => this.getParameterAction(input),
        GetParameters: (input) => this.getParametersAction(input),
      }),
    ),
  };

  constructor(opts: SsmEmulatorOptions) {
    this.arnPrefix = `arn:aws:ssm:${opts.region ?? LOCAL_REGION}:${opts.accountId ?? LOCAL_ACCOUNT_ID}:parameter`;
  }

  async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<boolean> {
    return serveAwsJson(this.protocol, req, body, res);
  }

  putParameter(name: string, value: string, type?: ParameterType): void {
    this.put({ name, value, type: type ?? (this.parameters.has(name) ? undefined : 'String'), overwrite: true });
  }

  getParameter(name: string): string | undefined {
    return this.parameters.get(name)?.current.value;
  }

  // ---- actions ----

  private putParameterAction(input: JsonObject): object {
    const type = optionalString(input, 'Type');
    if (type !== undefined && !isParameterType(type)) {
      throw enumError('type', type, TYPES);
    }
    const version = this.put({
      name: requiredString(input, 'Name'),
      value: requiredString(input, 'Value'),
      type,
      overwrite: optionalBoolean(input, 'Overwrite') ?? false,
      keyId: optionalString(input, 'KeyId'),
      allowedPattern: optionalString(input, 'AllowedPattern'),
      tier: optionalString(input, 'Tier'),
      dataType: optionalString(input, 'DataType'),
    });
    return { Version: version.version, Tier: version.tier };
  }

  private getParameterAction(input: JsonObject): object {
    const found = this.lookup(requiredString(input, 'Name'));
    return { Parameter: this.parameterOutput(found, optionalBoolean(input, 'WithDecryption') ?? false) };
  }

  private getParametersAction(input: JsonObject): object {
    const withDecryption = optionalBoolean(input, 'WithDecryption') ?? false;
    const parameters: JsonObject[] = [];
    const invalid: string[] = [];
    for (const ref of new Set(requiredNames(input))) {
      try {
        parameters.push(this.parameterOutput(this.lookup(ref), withDecryption));
      } catch (error) {
        if (!(error instanceof AwsJsonError)) throw error;
        invalid.push(ref);
      }
    }
    return { Parameters: parameters, InvalidParameters: invalid };
  }

  // ---- state ----

  private put(request: PutRequest): ParameterVersion {
    validateName(request.name);
    const existing = this.parameters.get(request.name);
    const previous = existing?.current;
    if (previous && !request.overwrite) {
      throw new AwsJsonError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const type = request.type ?? previous?.type;
    if (!type) throw new AwsJsonError('ValidationException', 'A parameter type is required when you create a parameter.');
    if (request.keyId !== undefined && type !== 'SecureString') {
      throw new AwsJsonError('ValidationException', 'KeyId is required for SecureString type parameter only.');
    }
    if (request.value.length === 0) throw validationError('value', 'have length greater than or equal to 1', '');
    // Attributes the request leaves out carry over from the version it replaces.
    const allowedPattern = request.allowedPattern ?? previous?.allowedPattern;
    if (allowedPattern !== undefined && !compilePattern(allowedPattern).test(request.value)) {
      const message = `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`;
      throw new AwsJsonError('ParameterPatternMismatchException', message);
    }
    const dataType = request.dataType ?? previous?.dataType ?? 'text';
    if (!DATA_TYPES.includes(dataType)) throw enumError('dataType', dataType, DATA_TYPES);
    const version: ParameterVersion = {
      version: (previous?.version ?? 0) + 1,
      value: request.value,
      type,
      keyId: type === 'SecureString' ? (request.keyId ?? previous?.keyId ?? DEFAULT_KEY_ID) : undefined,
      allowedPattern,
      tier: resolveTier(request.tier ?? previous?.tier, request.value),
      dataType,
      lastModified: Date.now(),
    };
    if (existing) {
      existing.history.push(existing.current);
      if (existing.history.length >= MAX_VERSIONS) existing.history.shift();
      existing.current = version;
    } else {
      this.parameters.set(request.name, { name: request.name, current: version, history: [] });
    }
    return version;
  }

  /** Resolves `name`, `name:version` or the parameter's ARN (optionally with `:version`), as GetParameter does. */
  private lookup(ref: string): Lookup {
    const local = ref.startsWith(`${this.arnPrefix}/`) ? ref.slice(this.arnPrefix.length) : ref;
    const colon = local.indexOf(':');
    const name = colon < 0 ? local : local.slice(0, colon);
    // `parameter/x` is the ARN of both `x` and `/x`.
    const candidates = local === ref ? [name] : [name, name.slice(1)];
    const parameter = candidates.map((n) => this.parameters.get(n)).find((p) => p !== undefined);
    if (!parameter) throw parameterNotFound(ref);
    if (colon < 0) return { parameter, version: parameter.current };
    // Labels cannot be attached locally (no LabelParameterVersion), so only numeric selectors can match.
    const selector = local.slice(colon + 1);
    const version = [...parameter.history, parameter.current].find((v) => String(v.version) === selector);
    if (!version) {
      throw new AwsJsonError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector} of ${parameter.name}. Verify the version and try again.`,
      );
    }
    return { parameter, version, selector: `:${selector}` };
  }

  private parameterOutput({ parameter, version, selector }: Lookup, withDecryption: boolean): JsonObject {
    return {
      Name: parameter.name,
      Type: version.type,
      Value: version.type === 'SecureString' && !withDecryption ? ciphertext(version) : version.value,
      Version: version.version,
      Selector: selector,
      LastModifiedDate: epochSeconds(version.lastModified),
      ARN: this.arn(parameter.name),
      DataType: version.dataType,
    };
  }

  private arn(name: string): string {
    return `${this.arnPrefix}${name.startsWith('/') ? '' : '/'}${name}`;
  }
}

function isParameterType(type: string): type is ParameterType {
  return (TYPES as readonly string[]).includes(type);
}

function requiredNames(input: JsonObject): string[] {
  const names = optionalStringList(input, 'Names') ?? [];
  if (names.length < 1 || names.length > MAX_NAMES_PER_CALL) {
    throw validationError('names', `have length between 1 and ${MAX_NAMES_PER_CALL}`);
  }
  return names;
}

function parameterNotFound(name: string): AwsJsonError {
  return new AwsJsonError('ParameterNotFound', `Parameter ${name} not found.`);
}

function validateName(name: string): void {
  if (name.length > MAX_NAME_LENGTH) {
    throw validationError('name', `have length less than or equal to ${MAX_NAME_LENGTH}`);
  }
  const malformed = name === '/' || name.includes('//') || name.endsWith('/');
  if (!NAME_CHARACTERS.test(name) || RESERVED_PREFIX.test(name) || malformed) {
    throw new AwsJsonError(
      'ValidationException',
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of ' +
        'sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following ' +
        '3 symbols .-_',
    );
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw new AwsJsonError('ValidationException', 'Parameter name must be a fully qualified name.');
  }
  if (name.split('/').length - 1 > MAX_HIERARCHY_LEVELS) {
    throw new AwsJsonError(
      'HierarchyLevelLimitExceededException',
      `A hierarchy can have a maximum of ${MAX_HIERARCHY_LEVELS} levels.`,
    );
  }
}

/** Intelligent-Tiering picks the cheapest tier the value fits in. */
function resolveTier(requested: string | undefined, value: string): ParameterTier {
  const fitting = value.length > MAX_VALUE_LENGTH.Standard ? 'Advanced' : 'Standard';
  const tier = requested === 'Intelligent-Tiering' ? fitting : (requested ?? 'Standard');
  if (tier !== 'Standard' && tier !== 'Advanced') throw enumError('tier', tier, ['Standard', 'Advanced', 'Intelligent-Tiering']);
  if (value.length > MAX_VALUE_LENGTH[tier]) {
    throw new AwsJsonError(
      'ValidationException',
      `${tier} tier parameters support a maximum parameter value of ${MAX_VALUE_LENGTH[tier]} characters.`,
    );
  }
  return tier;
}

function compilePattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    throw new AwsJsonError('ValidationException', `AllowedPattern ${pattern} is not a valid regular expression.`);
  }
}

/**
 * Stands in for the KMS ciphertext AWS returns without WithDecryption, so code that forgets the flag fails locally
 * too: deterministic, and not decodable into the value.
 */
function ciphertext(version: ParameterVersion): string {
  return createHash('sha256').update(`${version.keyId}\n${version.value}`).digest('base64');
}
