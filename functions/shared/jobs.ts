// Handlers that are not HTTP routes nor SNS consumers: scheduled jobs (EventBridge schedules) and functions a
// topic rule invokes. Like `httpRoute` and `snsEventHandler`, each invocation starts with a clean logger
// carrying its own correlation id, its outcome is logged in one line, and the business metrics it recorded are
// written at its end (metrics.ts).
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { logger } from './logger';
import { metricsFlush } from './metrics';

export interface JobContext {
  /** The invocation's id: the correlation id of everything this run logs and publishes. */
  correlationId: string;
  /** The function's own clock at the start of the run. */
  now: Date;
}

function begin(name: string, context: Context | undefined): JobContext {
  const correlationId = context?.awsRequestId ?? `${name}-${Date.now()}`;
  logger.resetKeys(); // a run of its own: no keys left over from the container's previous invocation
  logger.appendKeys({ correlationId, job: name });
  return { correlationId, now: new Date() };
}

/**
 * A scheduled job. `quiet(result)` says when a run did nothing worth a log line (most minutes of a sweep); by
 * default every run logs its result.
 */
export function scheduledJob<R>(
  name: string,
  run: (job: JobContext, event: unknown) => Promise<R>,
  options: { quiet?: (result: R) => boolean } = {},
): (event: unknown, context: Context) => Promise<R> {
  return middy<unknown, R>().use(metricsFlush()).handler(async (event, context) => {
    // The event: EventBridge's scheduled event, or what an operator's direct invocation passes.
    const result = await run(begin(name, context), event);
    if (!options.quiet?.(result)) logger.info(`${name} finished`, { result: result as unknown as Record<string, unknown> });
    return result;
  });
}

/**
 * A function invoked by an IoT topic rule with the rule's SELECT output. The payload is parsed with `schema`;
 * one that does not parse is given to `rejected` (a rule message is never retried into shape), everything else
 * that fails is thrown so the invocation is retried and then kept by the rule's error action or the DLQ.
 */
export function iotRuleHandler<S extends z.ZodType, R>(
  name: string,
  schema: S,
  handle: (payload: z.infer<S>, job: JobContext) => Promise<R>,
  rejected: (payload: unknown, issues: z.core.$ZodIssue[], job: JobContext) => Promise<R>,
): (event: unknown, context: Context) => Promise<R> {
  return middy<unknown, R>().use(metricsFlush()).handler(async (event, context) => {
    const job = begin(name, context);
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      logger.warn(`${name}: payload rejected`, { issues: parsed.error.issues });
      return rejected(event, parsed.error.issues, job);
    }
    return handle(parsed.data, job);
  });
}
