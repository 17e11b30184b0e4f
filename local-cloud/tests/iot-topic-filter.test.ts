import { topicMatchesFilter } from '../iot/sql';

describe('topicMatchesFilter', () => {
  it.each([
    // [filter, topic, matches]
    ['a/b/c', 'a/b/c', true],
    ['a/b/c', 'a/b', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/B/c', false],
    ['a/b/', 'a/b', false],
    ['a/b/', 'a/b/', true],
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a//c', true],
    ['a/+/c', 'a/b/x/c', false],
    ['a/+', 'a', false],
    ['+/+', 'a/b', true],
    ['+', '/a', false],
    ['+/a', '/a', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b', true],
    ['a/#', 'a/b/c/d', true],
    ['a/#', 'b/a', false],
    ['#', 'a/b/c', true],
    ['+/#', 'a', true],
    ['brigade/+/devices/+/telemetry', 'brigade/site-1/devices/dev-9/telemetry', true],
    ['brigade/+/devices/+/telemetry', 'brigade/site-1/devices/dev-9/status', false],
    ['brigade/+/devices/+/telemetry', 'brigade/site-1/devices/telemetry', false],
  ])('filter %j vs topic %j → %j', (filter, topic, expected) => {
    expect(topicMatchesFilter(filter, topic)).toBe(expected);
  });

  describe("'$'-prefixed topics", () => {
    it.each([
      ['#', '$aws/things/t1/shadow/update'],
      ['+/things/t1/shadow/update', '$aws/things/t1/shadow/update'],
      ['+/#', '$SYS/broker'],
    ])('a leading wildcard (%j) does not match %j', (filter, topic) => {
      expect(topicMatchesFilter(filter, topic)).toBe(false);
    });

    it.each([
      ['$aws/things/+/shadow/update', '$aws/things/t1/shadow/update'],
      ['$aws/things/t1/shadow/#', '$aws/things/t1/shadow/update/accepted'],
      ['$aws/events/presence/connected/+', '$aws/events/presence/connected/client-1'],
    ])('an explicit $ level (%j) matches %j', (filter, topic) => {
      expect(topicMatchesFilter(filter, topic)).toBe(true);
    });
  });

  it.each([['a/#/b'], ['a/b#'], ['a/b+'], ['+a'], ['']])('an invalid filter %j matches nothing', (filter) => {
    expect(topicMatchesFilter(filter, 'a/b')).toBe(false);
    expect(topicMatchesFilter(filter, 'a/#/b')).toBe(false);
  });

  it.each([['a/+'], ['a/#'], ['']])('a topic name %j with wildcards or no characters matches nothing', (topic) => {
    expect(topicMatchesFilter('#', topic)).toBe(false);
    expect(topicMatchesFilter('a/+', topic)).toBe(false);
  });
});
