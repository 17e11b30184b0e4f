// Live checks of every dependency the backend needs, each bounded by a timeout so /status always answers.
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { PublishCommand } from '@aws-sdk/client-iot-data-plane';
import { connect } from 'node:net';
import { dynamoDb } from '#shared/clients/dynamodb';
import { iotDataClient } from '#shared/clients/iot-data';
import { snsClient } from '#shared/clients/sns';

export interface CheckResult {
  name: string;
  kind: 'table' | 'topic' | 'iot-data-plane' | 'mqtt-broker';
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

const CHECK_TIMEOUT_MS = 2_000;

async function timed(name: string, kind: CheckResult['kind'], probe: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name, kind, status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const reason = error instanceof Error ? error.name === 'Error' ? error.message : error.name : 'unknown error';
    return { name, kind, status: 'down', latencyMs: Math.round(performance.now() - started), error: reason };
  } finally {
    clearTimeout(timer);
  }
}

export const checkTable = (tableName: string) =>
  timed(tableName, 'table', async () => {
    const { Table } = await dynamoDb().send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus !== 'ACTIVE') throw new Error(`table is ${Table?.TableStatus ?? 'missing'}`);
  });

export const checkTopic = (topicArn: string) =>
  timed(topicArn.split(':').pop() ?? topicArn, 'topic', () =>
    snsClient().send(new GetTopicAttributesCommand({ TopicArn: topicArn })),
  );

export const checkIotDataPlane = () =>
  timed('iot-data-plane', 'iot-data-plane', async () =>
    (await iotDataClient()).send(new PublishCommand({ topic: 'brigade/status/ping', qos: 0, payload: Buffer.from('{}') })),
  );

/** MQTT CONNECT → CONNACK over a raw socket: proves the broker accepts sessions, not only TCP. */
export const checkMqttBroker = (url: string) =>
  timed('mqtt-broker', 'mqtt-broker', () => {
    const { hostname, port } = new URL(url);
    return new Promise<void>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port || 1883) });
      const clientId = Buffer.from(`brigade-status-${process.pid}`);
      const variableHeader = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x0a]);
      const payload = Buffer.concat([Buffer.from([clientId.length >> 8, clientId.length & 0xff]), clientId]);
      const connectPacket = Buffer.concat([Buffer.from([0x10, variableHeader.length + payload.length]), variableHeader, payload]);
      socket.once('connect', () => socket.write(connectPacket));
      socket.once('data', (data) => {
        socket.end(Buffer.from([0xe0, 0x00])); // DISCONNECT
        if (data[0] === 0x20 && data[3] === 0x00) resolve();
        else reject(new Error('broker refused the connection'));
      });
      socket.once('error', reject);
    });
  });
