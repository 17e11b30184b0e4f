// Kinesis Data Streams in memory (on the edge port too), and Lambda's Kinesis event source mapping on top of it.
export { createKinesisEmulator } from './kinesis-service';
export type { KinesisEmulator } from './kinesis-service';
export { hashKeyOf, KinesisShard, KinesisStream, MAX_PARTITION_KEY_LENGTH, MAX_RECORD_DATA_BYTES } from './stream';
export type { KinesisRecord, PutRecordResult, StreamSpec } from './stream';
export { startKinesisEventSources, MAX_BATCH_PAYLOAD_BYTES } from './event-source-mapping';
export type { KinesisEventRecord, KinesisEventSources, KinesisMappingStats, KinesisOnFailureRecord } from './event-source-mapping';
