import { createServer } from 'node:net';

export interface LocalPorts {
  edge: number;
  dynamodb: number;
  mqtt: number;
  http: number;
  websocket: number;
  lambda: number;
}

/** Every port can be moved with an environment variable, e.g. BRIGADE_EDGE_PORT=4567. */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalPorts {
  const port = (name: string, fallback: number) => {
    const value = Number(env[`BRIGADE_${name}_PORT`] ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`BRIGADE_${name}_PORT must be a port number`);
    return value;
  };
  return {
    edge: port('EDGE', 4566),
    dynamodb: port('DYNAMODB', 8000),
    mqtt: port('MQTT', 1883),
    http: port('HTTP', 3000),
    websocket: port('WEBSOCKET', 3001),
    lambda: port('LAMBDA', 3002),
  };
}

export class PortInUseError extends Error {}

/** Fails early, naming every busy port and how to move it, instead of a stack trace from a child process. */
export async function assertPortsFree(ports: LocalPorts): Promise<void> {
  const busy: string[] = [];
  for (const [name, port] of Object.entries(ports)) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (!free) busy.push(`${name} port ${port} is already in use (set BRIGADE_${name.toUpperCase()}_PORT to move it)`);
  }
  if (busy.length > 0) {
    throw new PortInUseError(`Cannot start the local cloud:\n  - ${busy.join('\n  - ')}\nIs another Brigade stack or LocalStack running?`);
  }
}
