// Approve and decline differ only in their route and outcome: one builder, as punch-route.ts does for the clock.
import { httpRoute, type policies } from './policies';
import { punchEditDecisionSchema, punchEditParamsSchema } from './punch-edit-rules';
import { decidePunchEdit } from './punch-edits';
import { staffParamsSchema } from './schemas';

type Decision = 'approve' | 'decline';
type DecisionRoute = Extract<keyof typeof policies, `POST /sites/{siteId}/staff/{userId}/punch-edits/{editId}/${Decision}`>;

const paramsSchema = staffParamsSchema.extend(punchEditParamsSchema.shape);

export function punchEditDecision(decision: Decision) {
  const route = `POST /sites/{siteId}/staff/{userId}/punch-edits/{editId}/${decision}` as DecisionRoute;
  return httpRoute({ route, params: paramsSchema, body: punchEditDecisionSchema, bodyLimit: 2048 }, async ({ caller, params, body }) => ({
    body: await decidePunchEdit(caller, params.siteId, params.userId, params.editId, decision, body.note),
  }));
}
