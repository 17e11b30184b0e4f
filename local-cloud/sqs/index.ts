// The SQS emulator of the embedded local cloud, and Lambda's SQS event source mapping on top of it.
export { createSqsEmulator, SqsError } from './sqs-service';
export type { CreateQueueAttributes, SqsEmulator } from './sqs-service';
export { startSqsEventSources, failedIds, DEFAULT_POLLERS } from './event-source-mapping';
export type { SqsEventSourceDefinition, SqsEventSources, SqsRecord } from './event-source-mapping';
export type { Queue, QueueMessage } from './queue';
