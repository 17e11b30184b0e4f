import { publicRoute } from './policies';

// Liveness only: answers without touching any dependency.
export const handler = publicRoute({ route: 'GET /health' }, async () => ({
  body: { status: 'ok', service: 'brigade', stage: process.env.STAGE ?? 'unknown', time: new Date().toISOString() },
}));
