import {
  applyUpdate,
  computeDelta,
  deleteResponse,
  errorResponse,
  getResponse,
  MAX_STATE_BYTES,
  parseUpdateRequest,
  peekClientToken,
  ShadowError,
  type ShadowDocument,
  type UpdateRequest,
} from '../iot-data/shadow-document';

const T1 = 1_700_000_000;
const T2 = T1 + 60;

const bytes = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const request = (body: unknown): UpdateRequest => parseUpdateRequest(bytes(body));

function rejection(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof ShadowError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a ShadowError');
}

/** Applies updates in order, each a second later, and returns the resulting document. */
function shadowAfter(...bodies: unknown[]): ShadowDocument {
  let document: ShadowDocument | undefined;
  bodies.forEach((body, i) => {
    document = applyUpdate(document, request(body), T1 + i).document;
  });
  if (!document) throw new Error('no updates');
  return document;
}

describe('parseUpdateRequest', () => {
  it('returns state, version and clientToken', () => {
    expect(request({ state: { desired: { on: true } }, version: 3, clientToken: 'abc' })).toEqual({
      state: { desired: { on: true } },
      version: 3,
      clientToken: 'abc',
    });
  });

  it('accepts null sections and a null state (they clear state)', () => {
    expect(request({ state: { desired: null, reported: { a: 1 } } }).state).toEqual({ desired: null, reported: { a: 1 } });
    expect(request({ state: null }).state).toBeNull();
  });

  it.each([
    ['not JSON', '{"state":', 'Invalid JSON'],
    ['a JSON array', [], 'Invalid JSON'],
    ['no state', { version: 1 }, 'Missing required node: state'],
    ['a scalar state', { state: 5 }, 'State node must be an object'],
    ['an array state', { state: [] }, 'State node must be an object'],
    ['an unknown state node', { state: { delta: {} } }, "State contains an invalid node: 'delta'"],
    ['a scalar desired', { state: { desired: 'on' } }, 'Desired node must be an object'],
    ['an array reported', { state: { reported: [1] } }, 'Reported node must be an object'],
    ['a string version', { state: {}, version: '1' }, 'Invalid version'],
    ['a negative version', { state: {}, version: -1 }, 'Invalid version'],
    ['a fractional version', { state: {}, version: 1.5 }, 'Invalid version'],
    ['a numeric clientToken', { state: {}, clientToken: 7 }, 'Invalid clientToken'],
    ['a clientToken over 64 bytes', { state: {}, clientToken: 'x'.repeat(65) }, 'Invalid clientToken'],
  ])('rejects %s with 400', (_, body, message) => {
    expect(rejection(() => request(body))).toEqual({ code: 400, message });
  });

  it('accepts a 64-byte clientToken', () => {
    expect(request({ state: {}, clientToken: 'x'.repeat(64) }).clientToken).toHaveLength(64);
  });

  it('rejects payloads that are not UTF-8 with 415', () => {
    expect(rejection(() => parseUpdateRequest(Buffer.from([0x7b, 0xff, 0x7d])))).toEqual({
      code: 415,
      message: 'Unsupported documented encoding; supported encoding is UTF-8',
    });
  });

  it('allows six levels of nesting counted from state, and rejects seven', () => {
    const sixLevels = { state: { desired: { a: { b: { c: { d: { e: 1 } } } } }, reported: { list: [[[[1]]]] } } };
    expect(() => request(sixLevels)).not.toThrow();
    const sevenLevels = { state: { reported: { list: [[[[[1]]]]] } } };
    expect(rejection(() => request(sevenLevels))).toEqual({
      code: 400,
      message: 'JSON contains too many levels of nesting; maximum is 6',
    });
  });
});

describe('applyUpdate', () => {
  it('creates a shadow at version 1 with a timestamp for every leaf', () => {
    const { document } = applyUpdate(
      undefined,
      request({ state: { desired: { color: 'red', lights: { kitchen: true }, steps: [1, { at: 2 }] } } }),
      T1,
    );
    expect(document).toEqual({
      state: { desired: { color: 'red', lights: { kitchen: true }, steps: [1, { at: 2 }] } },
      metadata: {
        desired: {
          color: { timestamp: T1 },
          lights: { kitchen: { timestamp: T1 } },
          steps: [{ timestamp: T1 }, { at: { timestamp: T1 } }],
        },
      },
      version: 1,
    });
  });

  it('merges objects recursively and replaces scalars and whole arrays', () => {
    const document = shadowAfter(
      { state: { reported: { temp: 4, door: { open: false, count: 3 }, alarms: ['hot', 'cold'] } } },
      { state: { reported: { temp: 5, door: { open: true }, alarms: ['hot'] } } },
    );
    expect(document.state).toEqual({
      reported: { temp: 5, door: { open: true, count: 3 }, alarms: ['hot'] },
    });
  });

  it('refreshes metadata only for the leaves in the request', () => {
    const document = shadowAfter(
      { state: { reported: { temp: 4, door: { open: false, count: 3 } } } },
      { state: { reported: { door: { open: true } } } },
    );
    expect(document.metadata.reported).toEqual({
      temp: { timestamp: T1 },
      door: { open: { timestamp: T1 + 1 }, count: { timestamp: T1 } },
    });
  });

  it('deletes keys set to null, with their metadata, and drops objects left empty', () => {
    const document = shadowAfter(
      { state: { desired: { mode: 'eco', fan: { speed: 2 }, keep: 1 } } },
      { state: { desired: { mode: null, fan: { speed: null }, absent: null } } },
    );
    expect(document.state).toEqual({ desired: { keep: 1 } });
    expect(document.metadata).toEqual({ desired: { keep: { timestamp: T1 } } });
  });

  it('removes a section set to null and a section emptied by deletes', () => {
    const cleared = shadowAfter({ state: { desired: { a: 1 }, reported: { a: 1 } } }, { state: { desired: null } });
    expect(cleared.state).toEqual({ reported: { a: 1 } });
    expect(cleared.metadata).toEqual({ reported: { a: { timestamp: T1 } } });

    const emptied = shadowAfter({ state: { desired: { a: 1 } } }, { state: { desired: { a: null } } });
    expect(emptied).toEqual({ state: {}, metadata: {}, version: 2 });
  });

  it('clears the whole state when state is null, keeping the shadow and its version', () => {
    const document = shadowAfter({ state: { desired: { a: 1 }, reported: { b: 2 } } }, { state: null });
    expect(document).toEqual({ state: {}, metadata: {}, version: 2 });
  });

  it('replaces a scalar with an object and an object with a scalar', () => {
    const document = shadowAfter(
      { state: { reported: { a: 1, b: { c: 1 } } } },
      { state: { reported: { a: { x: 1 }, b: 2 } } },
    );
    expect(document.state.reported).toEqual({ a: { x: 1 }, b: 2 });
    expect(document.metadata.reported).toEqual({ a: { x: { timestamp: T1 + 1 } }, b: { timestamp: T1 + 1 } });
  });

  it('increments the version on every accepted update, even one that changes nothing', () => {
    expect(shadowAfter({ state: { desired: { a: 1 } } }, { state: { desired: { a: 1 } } }, { state: {} }).version).toBe(3);
  });

  it('accepts a matching version and rejects any other with 409 Version conflict', () => {
    const current = shadowAfter({ state: { desired: { a: 1 } } }, { state: { desired: { a: 2 } } });
    expect(applyUpdate(current, request({ state: { desired: { a: 3 } }, version: 2 }), T2).document.version).toBe(3);
    for (const version of [1, 3]) {
      expect(rejection(() => applyUpdate(current, request({ state: { desired: { a: 3 } }, version }), T2))).toEqual({
        code: 409,
        message: 'Version conflict',
      });
    }
  });

  it('continues the version sequence of a deleted shadow', () => {
    const { document } = applyUpdate(undefined, request({ state: { desired: { a: 1 } }, version: 7 }), T1, 7);
    expect(document.version).toBe(8);
    expect(rejection(() => applyUpdate(undefined, request({ state: {}, version: 0 }), T1, 7)).code).toBe(409);
  });

  it('rejects a resulting state over 8 KiB with 413, not counting metadata', () => {
    const key = 'k'.repeat(10);
    const fits = 'x'.repeat(MAX_STATE_BYTES - JSON.stringify({ [key]: '' }).length);
    expect(() => applyUpdate(undefined, request({ state: { desired: { [key]: fits } } }), T1)).not.toThrow();

    const current = shadowAfter({ state: { desired: { [key]: fits } } });
    expect(rejection(() => applyUpdate(current, request({ state: { reported: { b: 1 } } }), T2))).toEqual({
      code: 413,
      message: 'The payload exceeds the maximum size allowed',
    });
  });

  it('answers with the request state, including nulls, and metadata for exactly those fields', () => {
    const current = shadowAfter({ state: { desired: { a: 1, b: 2 } } });
    const { accepted } = applyUpdate(
      current,
      request({ state: { desired: { a: null, c: { d: 4 } } }, clientToken: 'tok' }),
      T2,
    );
    expect(accepted).toEqual({
      state: { desired: { a: null, c: { d: 4 } } },
      metadata: { desired: { a: { timestamp: T2 }, c: { d: { timestamp: T2 } } } },
      version: 2,
      timestamp: T2,
      clientToken: 'tok',
    });
  });

  it('produces a delta message with the metadata of the desired fields that differ', () => {
    const current = shadowAfter({ state: { reported: { power: 'off', temp: 4, lights: { a: 1, b: 1 } } } });
    const { delta } = applyUpdate(
      current,
      request({ state: { desired: { power: 'on', temp: 4, lights: { a: 1, b: 2 } } }, clientToken: 'tok' }),
      T2,
    );
    expect(delta).toEqual({
      version: 2,
      timestamp: T2,
      state: { power: 'on', lights: { b: 2 } },
      metadata: { power: { timestamp: T2 }, lights: { b: { timestamp: T2 } } },
      clientToken: 'tok',
    });
  });

  it('produces no delta message once reported matches desired', () => {
    const current = shadowAfter({ state: { desired: { power: 'on' } } });
    const outcome = applyUpdate(current, request({ state: { reported: { power: 'on' } } }), T2);
    expect(outcome.delta).toBeUndefined();
    expect(outcome.document.state).toEqual({ desired: { power: 'on' }, reported: { power: 'on' } });
  });

  it('produces a documents message with previous and current documents', () => {
    const first = applyUpdate(undefined, request({ state: { desired: { a: 1 } } }), T1);
    expect(first.documents).toEqual({
      current: { state: { desired: { a: 1 } }, metadata: { desired: { a: { timestamp: T1 } } }, version: 1 },
      timestamp: T1,
    });

    const second = applyUpdate(first.document, request({ state: { reported: { a: 1 } }, clientToken: 'c' }), T2);
    expect(second.documents).toEqual({
      previous: { state: { desired: { a: 1 } }, metadata: { desired: { a: { timestamp: T1 } } }, version: 1 },
      current: {
        state: { desired: { a: 1 }, reported: { a: 1 } },
        metadata: { desired: { a: { timestamp: T1 } }, reported: { a: { timestamp: T2 } } },
        version: 2,
      },
      timestamp: T2,
      clientToken: 'c',
    });
  });

  it('leaves the previous document untouched', () => {
    const current = shadowAfter({ state: { desired: { a: { b: 1 } } } });
    const before = structuredClone(current);
    applyUpdate(current, request({ state: { desired: { a: { b: 2, c: 3 } } } }), T2);
    expect(current).toEqual(before);
  });
});

describe('computeDelta', () => {
  it('is undefined without desired state or when reported matches', () => {
    expect(computeDelta(undefined, { a: 1 })).toBeUndefined();
    expect(computeDelta({ a: 1, b: { c: [1, { d: 2 }] } }, { a: 1, b: { c: [1, { d: 2 }] }, extra: 3 })).toBeUndefined();
  });

  it('includes desired fields that reported lacks or holds differently, never reported-only fields', () => {
    expect(computeDelta({ a: 1, b: 'x', c: true }, { a: 1, b: 'y', d: 4 })).toEqual({ b: 'x', c: true });
  });

  it('compares values strictly, without type coercion', () => {
    expect(computeDelta({ a: 1, b: null }, { a: '1', b: false })).toEqual({ a: 1, b: null });
  });

  it('recurses into nested objects and keeps only the differing leaves', () => {
    expect(
      computeDelta(
        { color: { r: 255, g: 0, b: { x: 1, y: 2 } }, engine: 'on' },
        { color: { r: 255, g: 10, b: { x: 1, y: 3 } }, engine: 'on' },
      ),
    ).toEqual({ color: { g: 0, b: { y: 2 } } });
  });

  it('takes the whole desired object when reported holds a scalar or nothing there', () => {
    expect(computeDelta({ a: { x: 1 }, b: { y: 2 } }, { a: 5 })).toEqual({ a: { x: 1 }, b: { y: 2 } });
  });

  it('compares arrays as whole values, including the objects inside them', () => {
    expect(computeDelta({ list: [1, 2, 3] }, { list: [1, 2] })).toEqual({ list: [1, 2, 3] });
    expect(computeDelta({ list: [{ a: 1, b: 2 }] }, { list: [{ b: 2, a: 1 }] })).toBeUndefined();
    expect(computeDelta({ list: [{ a: 1 }] }, { list: [{ a: 2 }] })).toEqual({ list: [{ a: 1 }] });
    expect(computeDelta({ list: [] }, { list: {} })).toEqual({ list: [] });
  });
});

describe('response documents', () => {
  const document = shadowAfter({ state: { desired: { a: 1, b: 2 }, reported: { a: 1 } } });

  it('getResponse carries state with delta, metadata, version and the response time', () => {
    expect(getResponse(document, T2, 'tok')).toEqual({
      state: { desired: { a: 1, b: 2 }, reported: { a: 1 }, delta: { b: 2 } },
      metadata: {
        desired: { a: { timestamp: T1 }, b: { timestamp: T1 } },
        reported: { a: { timestamp: T1 } },
      },
      version: 1,
      timestamp: T2,
      clientToken: 'tok',
    });
  });

  it('getResponse omits delta when in sync', () => {
    const inSync = shadowAfter({ state: { desired: { a: 1 }, reported: { a: 1 } } });
    expect(getResponse(inSync, T2).state).toEqual({ desired: { a: 1 }, reported: { a: 1 } });
  });

  it('deleteResponse and errorResponse have the service shapes', () => {
    expect(deleteResponse(4, T2)).toEqual({ version: 4, timestamp: T2 });
    expect(errorResponse(new ShadowError(409, 'Version conflict'), T2, 'tok')).toEqual({
      code: 409,
      message: 'Version conflict',
      timestamp: T2,
      clientToken: 'tok',
    });
  });

  it('peekClientToken reads the token from any JSON body and ignores the rest', () => {
    expect(peekClientToken(bytes({ clientToken: 'tok', state: 5 }))).toBe('tok');
    expect(peekClientToken(bytes(''))).toBeUndefined();
    expect(peekClientToken(bytes('{"clientToken":'))).toBeUndefined();
    expect(peekClientToken(bytes({ clientToken: 1 }))).toBeUndefined();
  });
});
