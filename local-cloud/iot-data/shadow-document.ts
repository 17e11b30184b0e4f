// Pure Device Shadow document rules (validation, merge, metadata, delta) as the AWS IoT Device Shadow service applies them.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface ShadowSections {
  desired?: JsonObject;
  reported?: JsonObject;
}

export interface ShadowDocument {
  state: ShadowSections;
  /** Mirrors `state`: every leaf (and every array element) becomes `{ timestamp }`. */
  metadata: ShadowSections;
  version: number;
}

export interface UpdateRequest {
  /** Only `desired`/`reported`, each an object or null (clears it); `null` clears both. */
  state: JsonObject | null;
  version?: number;
  clientToken?: string;
}

export interface UpdateOutcome {
  document: ShadowDocument;
  /** Body of the HTTP response and of `/update/accepted`. */
  accepted: JsonObject;
  /** Body of `/update/delta`, only when desired still differs from reported. */
  delta?: JsonObject;
  /** Body of `/update/documents`. */
  documents: JsonObject;
}

export type ShadowErrorCode = 400 | 404 | 409 | 413 | 415;

/** A rejection with the HTTP status the Device Shadow service uses for it. */
export class ShadowError extends Error {
  constructor(
    readonly code: ShadowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ShadowError';
  }
}

/** AWS counts desired + reported, without metadata, against the 8 KB limit. */
export const MAX_STATE_BYTES = 8 * 1024;
/** Counted from the `state` node itself, objects and arrays alike. */
const MAX_DEPTH = 6;
const MAX_CLIENT_TOKEN_BYTES = 64;
const SECTIONS = ['desired', 'reported'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates an update request body the way the service does, with its error messages. */
export function parseUpdateRequest(payload: Uint8Array): UpdateRequest {
  const body = parseJson(payload);
  if (!isJsonObject(body)) throw new ShadowError(400, 'Invalid JSON');
  if (!('state' in body)) throw new ShadowError(400, 'Missing required node: state');

  const { state } = body;
  if (state !== null && !isJsonObject(state)) throw new ShadowError(400, 'State node must be an object');
  if (state) {
    const invalid = Object.keys(state).find((key) => key !== 'desired' && key !== 'reported');
    if (invalid !== undefined) throw new ShadowError(400, `State contains an invalid node: '${invalid}'`);
    if (!isSection(state.desired)) throw new ShadowError(400, 'Desired node must be an object');
    if (!isSection(state.reported)) throw new ShadowError(400, 'Reported node must be an object');
  }

  const { version, clientToken } = body;
  if (version !== undefined && !(Number.isSafeInteger(version) && (version as number) >= 0)) {
    throw new ShadowError(400, 'Invalid version');
  }
  if (
    clientToken !== undefined &&
    (typeof clientToken !== 'string' || Buffer.byteLength(clientToken) > MAX_CLIENT_TOKEN_BYTES)
  ) {
    throw new ShadowError(400, 'Invalid clientToken');
  }
  if (state && depth(state) > MAX_DEPTH) {
    throw new ShadowError(400, `JSON contains too many levels of nesting; maximum is ${MAX_DEPTH}`);
  }

  return {
    state,
    ...(version !== undefined && { version: version as number }),
    ...(clientToken !== undefined && { clientToken: clientToken as string }),
  };
}

/**
 * Applies an update to the current document (undefined when the shadow does not exist).
 * `deletedVersion` is the version of a deleted predecessor: AWS does not reset versions on delete.
 */
export function applyUpdate(
  previous: ShadowDocument | undefined,
  request: UpdateRequest,
  now: number,
  deletedVersion = 0,
): UpdateOutcome {
  const currentVersion = previous?.version ?? deletedVersion;
  if (request.version !== undefined && request.version !== currentVersion) {
    throw new ShadowError(409, 'Version conflict');
  }

  const document: ShadowDocument = { state: {}, metadata: {}, version: currentVersion + 1 };
  for (const section of SECTIONS) {
    const patch = request.state === null ? null : (request.state[section] as JsonObject | null | undefined);
    let value = previous?.state[section];
    let metadata = previous?.metadata[section];
    if (patch === null) {
      value = undefined;
    } else if (patch !== undefined) {
      ({ value, metadata } = mergeObject(value, metadata, patch, now));
    }
    if (value && Object.keys(value).length > 0) {
      document.state[section] = value;
      document.metadata[section] = metadata ?? {};
    }
  }

  const stateBytes = SECTIONS.reduce((sum, s) => sum + byteLength(document.state[s]), 0);
  if (stateBytes > MAX_STATE_BYTES) {
    throw new ShadowError(413, 'The payload exceeds the maximum size allowed');
  }

  const { clientToken } = request;
  const accepted = withClientToken(
    {
      state: request.state,
      metadata: request.state === null ? {} : metadataOf(request.state, now),
      version: document.version,
      timestamp: now,
    },
    clientToken,
  );
  const deltaState = computeDelta(document.state.desired, document.state.reported);
  const delta =
    deltaState &&
    withClientToken(
      {
        version: document.version,
        timestamp: now,
        state: deltaState,
        metadata: deltaMetadata(deltaState, document.metadata.desired ?? {}),
      },
      clientToken,
    );
  const current = snapshot(document);
  const documents = withClientToken(
    previous ? { previous: snapshot(previous), current, timestamp: now } : { current, timestamp: now },
    clientToken,
  );
  return { document, accepted, ...(delta && { delta }), documents };
}

/**
 * The desired fields that reported does not match: objects are compared key by key,
 * arrays and scalars as whole values. Undefined when they agree.
 */
export function computeDelta(desired?: JsonObject, reported?: JsonObject): JsonObject | undefined {
  if (!desired) return undefined;
  const delta: JsonObject = {};
  for (const [key, wanted] of Object.entries(desired)) {
    const actual = reported?.[key];
    if (isJsonObject(wanted) && isJsonObject(actual)) {
      const nested = computeDelta(wanted, actual);
      if (nested) delta[key] = nested;
    } else if (actual === undefined || !jsonEqual(wanted, actual)) {
      delta[key] = wanted;
    }
  }
  return Object.keys(delta).length > 0 ? delta : undefined;
}

/** Body of GetThingShadow and `/get/accepted`. */
export function getResponse(document: ShadowDocument, now: number, clientToken?: string): JsonObject {
  const delta = computeDelta(document.state.desired, document.state.reported);
  return withClientToken(
    {
      state: { ...document.state, ...(delta && { delta }) },
      metadata: { ...document.metadata },
      version: document.version,
      timestamp: now,
    },
    clientToken,
  );
}

/** Body of DeleteThingShadow and `/delete/accepted`: the version that was deleted. */
export function deleteResponse(version: number, now: number, clientToken?: string): JsonObject {
  return withClientToken({ version, timestamp: now }, clientToken);
}

/** Body of the `/rejected` topics. */
export function errorResponse(error: ShadowError, now: number, clientToken?: string): JsonObject {
  return withClientToken({ code: error.code, message: error.message, timestamp: now }, clientToken);
}

/** The client token of any request body, even one that fails validation, so rejections can echo it. */
export function peekClientToken(payload: Uint8Array): string | undefined {
  try {
    const body: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
    return isJsonObject(body) && typeof body.clientToken === 'string' ? body.clientToken : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(payload: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    throw new ShadowError(415, 'Unsupported documented encoding; supported encoding is UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ShadowError(400, 'Invalid JSON');
  }
}

function isSection(value: JsonValue | undefined): boolean {
  return value === undefined || value === null || isJsonObject(value);
}

function depth(value: JsonValue): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depth));
  if (isJsonObject(value)) return 1 + Math.max(0, ...Object.values(value).map(depth));
  return 0;
}

/** Merges a patch: null deletes a key, objects merge recursively, anything else replaces; emptied objects vanish. */
function mergeObject(
  base: JsonObject | undefined,
  baseMetadata: JsonObject | undefined,
  patch: JsonObject,
  now: number,
): { value: JsonObject; metadata: JsonObject } {
  const value: JsonObject = { ...base };
  const metadata: JsonObject = { ...baseMetadata };
  for (const [key, next] of Object.entries(patch)) {
    if (isJsonObject(next)) {
      const current = value[key];
      const currentMetadata = metadata[key];
      const nested = isJsonObject(current)
        ? mergeObject(current, isJsonObject(currentMetadata) ? currentMetadata : undefined, next, now)
        : mergeObject(undefined, undefined, next, now);
      if (Object.keys(nested.value).length > 0) {
        value[key] = nested.value;
        metadata[key] = nested.metadata;
        continue;
      }
    } else if (next !== null) {
      value[key] = next;
      metadata[key] = metadataOf(next, now);
      continue;
    }
    delete value[key];
    delete metadata[key];
  }
  return { value, metadata };
}

function metadataOf(value: JsonValue, now: number): JsonValue {
  if (Array.isArray(value)) return value.map((item) => metadataOf(item, now));
  if (isJsonObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, metadataOf(item, now)]));
  }
  return { timestamp: now };
}

/** The desired metadata of exactly the fields in the delta. */
function deltaMetadata(delta: JsonObject, desiredMetadata: JsonObject): JsonObject {
  const metadata: JsonObject = {};
  for (const [key, value] of Object.entries(delta)) {
    const entry = desiredMetadata[key];
    if (entry === undefined) continue;
    metadata[key] = isJsonObject(value) && isJsonObject(entry) ? deltaMetadata(value, entry) : entry;
  }
  return metadata;
}

function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i] as JsonValue));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && jsonEqual(a[key]!, b[key]!));
  }
  return false;
}

function withClientToken(body: JsonObject, clientToken: string | undefined): JsonObject {
  return clientToken === undefined ? body : { ...body, clientToken };
}

function snapshot(document: ShadowDocument): JsonObject {
  return { state: { ...document.state }, metadata: { ...document.metadata }, version: document.version };
}

function byteLength(section: JsonObject | undefined): number {
  return section ? Buffer.byteLength(JSON.stringify(section)) : 0;
}
