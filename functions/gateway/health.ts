import { httpRoute } from '#shared/http';

// Liveness only: answers without touching any dependency.
export const handler = httpRoute({ access: { public: true } }, async () => ({
  body: { status: 'ok', service: 'brigade', stage: process.env.STAGE ?? 'unknown', time: new Date().toISOString() },
}));
