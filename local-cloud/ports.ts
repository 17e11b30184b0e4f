import { createServer } from 'node:net';

export interface LocalPorts {
  edge: number;
  dynamodb: number;
  mqtt: number;
  http: number;
  websocket: number;
  lambda: number;
}

/**
 * The variable that moves a port, e.g. BRIGADE_EDGE_PORT=4567. The service's serverless.yml reads the same names for
 * serverless-offline's ports (http, websocket, lambda), which the local cloud passes on to it.
 */
export function portVariable(name: keyof LocalPorts): string {
  return `BRIGADE_${name.toUpperCase()}_PORT`;
}

const DEFAULT_PORTS: LocalPorts = { edge: 4566, dynamodb: 8000, mqtt: 1883, http: 3000, websocket: 3001, lambda: 3002 };

/** Every port can be moved with an environment variable (portVariable). */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalPorts {
  const port = (name: keyof LocalPorts) => {
    const variable = portVariable(name);
    const value = Number(env[variable] ?? DEFAULT_PORTS[name]);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${variable} must be a port number`);
    return value;
  };
  return {
    edge: port('edge'),
    dynamodb: port('dynamodb'),
    mqtt: port('mqtt'),
    http: port('http'),
    websocket: port('websocket'),
    lambda: port('lambda'),
  };
}

export class PortInUseError extends Error {}

/** Fails early, naming every busy port and how to move it, instead of a stack trace from a child process. */
export async function assertPortsFree(ports: LocalPorts): Promise<void> {
  const busy: string[] = [];
  for (const [name, port] of Object.entries(ports) as Array<[keyof LocalPorts, number]>) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (!free) busy.push(`${name} port ${port} is already in use (set ${portVariable(name)} to move it)`);
  }
  if (busy.length > 0) {
    throw new PortInUseError(`Cannot start the local cloud:\n  - ${busy.join('\n  - ')}\nIs another local cloud or LocalStack running?`);
  }
}
