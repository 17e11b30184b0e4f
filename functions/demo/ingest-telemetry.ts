import { logger } from '#shared/logger';
import { store } from './config';
import { telemetryRuleOutputSchema } from './schemas';

// Invoked by the telemetry topic rule with the rule's SELECT output.
export const handler = async (event: unknown): Promise<{ stored: boolean }> => {
  const reading = telemetryRuleOutputSchema.safeParse(event);
  if (!reading.success) {
    // Throwing hands the message to the rule's error action, which keeps the original payload.
    logger.warn('invalid telemetry', { issues: reading.error.issues });
    throw new Error(`invalid telemetry: ${reading.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  await store.putReading(reading.data);
  return { stored: true };
};
