// The shipped rule packs, validated once and frozen, addressed by `id@version`. A new version is a new entry; an
// old one stays so that periods locked under it recompute identically. An unknown reference is a 422.
import { UnprocessableError } from '#shared/errors';
import { krLsa2026 } from './packs/kr-2026';
import { usCa2026 } from './packs/us-ca-2026';
import { usFlsa2026 } from './packs/us-flsa-2026';
import { parseRulePack, type RulePack } from './payroll-pack-schema';

export class UnknownPayrollPackError extends UnprocessableError {
  override name = 'UnknownPayrollPackError';
  constructor(ref: string) {
    super(`Unknown payroll rule pack ${ref}`, { field: 'pack' });
  }
}

const PACKS: ReadonlyMap<string, RulePack> = new Map(
  [krLsa2026, usFlsa2026, usCa2026].map((data) => {
    const pack = parseRulePack(data);
    return [`${pack.id}@${pack.version}`, pack];
  }),
);

export function payrollPackRefs(): string[] {
  return [...PACKS.keys()].sort();
}

/** The pack `id@version` exactly: never "the latest", which would rewrite locked periods. */
export function payrollPack(ref: string): RulePack {
  const pack = PACKS.get(ref);
  if (!pack) throw new UnknownPayrollPackError(ref);
  return pack;
}
