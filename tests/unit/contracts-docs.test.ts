import { readFileSync } from 'node:fs';
import { EVENT_TYPES } from '../../functions/shared/contracts/index';
import { EVENTS_DOC_FILE, renderEventCatalog } from '../../scripts/event-catalog';

describe('docs/events.md', () => {
  it('is what the contracts render (run `npx tsx scripts/event-catalog.ts` after changing a contract or a sample)', () => {
    expect(readFileSync(EVENTS_DOC_FILE, 'utf8')).toBe(renderEventCatalog());
  });

  it('documents every type with its fields and an example', () => {
    const page = renderEventCatalog();
    for (const type of EVENT_TYPES) expect(page).toContain(`### \`${type}\``);
    expect(page).toContain('| `lines[].consumption[].unit` | `"g"` \\| `"kg"` \\| `"ml"` \\| `"l"` \\| `"each"` | unit of `quantity` |');
    expect(page).toContain('| `totals.balance` | money: integer minor units, may be negative |');
    expect(page.match(/<details><summary>Example<\/summary>/g)).toHaveLength(EVENT_TYPES.length);
  });

  it('leaves no field undescribed', () => {
    const undescribed = renderEventCatalog()
      .split('\n')
      .filter((line) => /^\| `[^`]+` \| .* \| *(\(type [^)]*\) *)?\|$/.test(line));
    expect(undescribed).toEqual([]);
  });
});
