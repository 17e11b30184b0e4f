import * as z from 'zod';
import { csvList, loadConfig, optionalString } from '#shared/config';
import { checkIotDataPlane, checkMqttBroker, checkTable, checkTopic } from './dependency-checks';
import { httpRoute } from './policies';

const config = loadConfig(
  z.object({
    STATUS_TABLES: csvList,
    STATUS_TOPICS: csvList,
    // Only the local cloud has a broker to reach directly; on AWS, IoT Core is checked through the data plane.
    MQTT_HEALTH_URL: optionalString,
  }),
);

export const handler = httpRoute({ route: 'GET /status' }, async () => {
  const checks = await Promise.all([
    ...config.STATUS_TABLES.map(checkTable),
    ...config.STATUS_TOPICS.map(checkTopic),
    checkIotDataPlane(),
    ...(config.MQTT_HEALTH_URL ? [checkMqttBroker(config.MQTT_HEALTH_URL)] : []),
  ]);
  const healthy = checks.every((check) => check.status === 'up');
  return { status: healthy ? 200 : 503, body: { status: healthy ? 'ok' : 'degraded', checks } };
});
