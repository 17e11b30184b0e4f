// IoT Core's message-broker limits as the local broker applies them (iot/broker-limits.ts); the broker on the
// wire is in tests/integration/iot-bad-input.test.ts.
import { MAX_PAYLOAD_BYTES, publishLimitViolation, topicLimitViolation } from '../iot/broker-limits';

it('takes a topic of 256 bytes and 7 slashes, counting bytes of UTF-8, not characters', () => {
  expect(topicLimitViolation(`a/b/c/d/e/f/g/${'x'.repeat(242)}`)).toBeUndefined();
  expect(topicLimitViolation(`a/b/c/d/e/f/g/${'x'.repeat(243)}`)).toBe('the topic is 257 bytes; IoT Core takes at most 256');
  expect(topicLimitViolation(`t/${'é'.repeat(127)}`)).toBeUndefined();
  expect(topicLimitViolation(`t/${'é'.repeat(128)}`)).toMatch(/258 bytes/);
  expect(topicLimitViolation('a/b/c/d/e/f/g/h/i')).toBe('the topic has 8 slashes; IoT Core takes at most 7');
});

it('does not count the Basic Ingest prefix `$aws/rules/<rule>/` towards the slashes; other reserved topics count in full', () => {
  expect(topicLimitViolation('$aws/rules/ingest/a/b/c/d/e/f/g/h')).toBeUndefined();
  expect(topicLimitViolation('$aws/rules/ingest/a/b/c/d/e/f/g/h/i')).toMatch(/8 slashes/);
  expect(topicLimitViolation('$aws/things/fridge/shadow/name/aux/update/accepted')).toBeUndefined();
  expect(topicLimitViolation('$aws/things/fridge/shadow/name/aux/update/accepted/x')).toMatch(/8 slashes/);
});

it('takes a payload of 128 KB, not a byte more, and checks the topic too', () => {
  expect(publishLimitViolation('t/x', Buffer.alloc(MAX_PAYLOAD_BYTES))).toBeUndefined();
  expect(publishLimitViolation('t/x', Buffer.alloc(MAX_PAYLOAD_BYTES + 1))).toBe('the payload is 131073 bytes; IoT Core takes at most 131072');
  expect(publishLimitViolation('a/b/c/d/e/f/g/h/i', '{}')).toMatch(/8 slashes/);
});
