export { startStreamPoller, streamMappingsOf, type StreamMapping, type StreamPoller, type StreamPollerCounters } from './stream-poller';
export { compileFilters, UnsupportedFilterError } from './event-filter';
