import { createServer, type Server } from 'node:net';
import { assertPortsFree, PortInUseError, portsFromEnv } from '../ports';

describe('local cloud ports', () => {
  it('reads overrides from the environment and rejects nonsense', () => {
    expect(portsFromEnv({ BRIGADE_HTTP_PORT: '3100' }).http).toBe(3100);
    expect(portsFromEnv({}).edge).toBe(4566);
    expect(() => portsFromEnv({ BRIGADE_MQTT_PORT: 'abc' })).toThrow(/BRIGADE_MQTT_PORT/);
  });

  it('names a busy port and how to move it', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const busy = (server.address() as { port: number }).port;
    const ports = { ...portsFromEnv({}), mqtt: busy, edge: 0, dynamodb: 0, http: 0, websocket: 0, lambda: 0 };
    try {
      await expect(assertPortsFree(ports)).rejects.toThrow(PortInUseError);
      await expect(assertPortsFree(ports)).rejects.toThrow(`mqtt port ${busy} is already in use (set BRIGADE_MQTT_PORT to move it)`);
    } finally {
      server.close();
    }
  });
});
