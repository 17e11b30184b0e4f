// The preload (offline-request-body.cjs) on a request taken through the steps serverless-offline 14's HTTP handler
// takes: the payload Buffer turned into text, the text kept as rawPayload, then a JSON body parsed in place. The
// event's body is then `payload` if truthy and not a string, else rawPayload (LambdaProxyIntegrationEventV2).
// tests/integration/http-bodies.test.ts sends such bodies to the running stack.
const { keepPrimitiveBodiesAsText } = require('../offline-request-body.cjs') as { keepPrimitiveBodiesAsText: (request: object) => void };

/** What serverless-offline does to `request.payload` for an `application/json` request, and the event body it makes. */
function eventBodyFor(text: string | undefined): unknown {
  const request: { payload?: unknown; rawPayload?: unknown } = { payload: text === undefined ? undefined : Buffer.from(text) };
  keepPrimitiveBodiesAsText(request);
  request.payload = request.payload && (request.payload as Buffer).toString('utf8');
  request.rawPayload = request.payload;
  if (request.payload) {
    try {
      request.payload = JSON.parse(request.payload as string);
    } catch {
      // left as text, as serverless-offline leaves it
    }
  }
  let body = request.payload;
  if (body) {
    if (typeof body !== 'string') body = request.rawPayload;
  } else if (body === undefined || body === '') body = null;
  return body;
}

it.each(['0', 'false', 'null', ' 0 ', '12.5', 'true', '{"name":"x"}', '[]', '"text"', '"{\\"name\\":\\"x\\"}"', 'not json'])('the JSON body %j reaches the function as that text', (text) => {
  expect(eventBodyFor(text)).toBe(text);
});

it('no body is still no body', () => {
  expect(eventBodyFor(undefined)).toBeNull();
  expect(eventBodyFor('')).toBeNull();
});

it('without the preload, 0, false, null and JSON strings were not their text', () => {
  const withoutPreload = (text: string) => {
    const payload: unknown = JSON.parse(text);
    return payload && typeof payload !== 'string' ? text : payload;
  };
  expect(['0', 'false', 'null', '"text"', '"{\\"name\\":\\"x\\"}"'].map(withoutPreload)).toEqual([0, false, null, 'text', '{"name":"x"}']);
});
