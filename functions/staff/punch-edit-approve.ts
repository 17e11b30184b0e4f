import { punchEditDecision } from './punch-edit-decision';

export const handler = punchEditDecision('approve');
