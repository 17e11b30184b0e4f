// SDK client settings for code that talks to a running local cloud from outside its handlers (the demo seed,
// benchmarks): the endpoints and credentials the cloud hands out in its env, by the same rules as the handlers.
import { endpointFor, type ServiceEnvSuffix } from '../functions/shared/clients/endpoint';

export function localClientConfig(env: Record<string, string | undefined>, service: ServiceEnvSuffix) {
  return {
    endpoint: endpointFor(service, env),
    region: env.AWS_REGION,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
  };
}
