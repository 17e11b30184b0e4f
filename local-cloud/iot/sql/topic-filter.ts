// MQTT topic filters as AWS IoT applies them: '+' matches exactly one level (which may be empty), '#' matches the
// remaining levels including none (so 'a/#' matches 'a'), and a filter starting with a wildcard never matches a
// topic starting with '$' (reserved topics such as '$aws/things/...' must be named explicitly).

/** Why `filter` is not a valid topic filter, or undefined when it is. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'the topic filter is empty';
  if (filter.includes('\u0000')) return 'the topic filter contains a NUL character';
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return "'#' must be a whole level and the last one";
    }
    if (level.includes('+') && level !== '+') return "'+' must be a whole level";
  }
  return undefined;
}

/** False for an invalid filter, and for a topic containing wildcards (those are not valid topic names). */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  if (topicFilterProblem(filter) !== undefined) return false;
  if (topic.length === 0 || topic.includes('+') || topic.includes('#')) return false;
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  if (topic.startsWith('$') && (filterLevels[0] === '+' || filterLevels[0] === '#')) return false;
  for (const [i, level] of filterLevels.entries()) {
    if (level === '#') return true;
    if (i >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}
