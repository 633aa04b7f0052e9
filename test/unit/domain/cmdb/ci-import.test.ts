/**
 * Import lines, judged one by one: malformed, invalid, duplicated and
 * self-related lines are reported with their fields; good lines resolve
 * external ids to derived CI ids and relationships to their stored
 * direction.
 */
import { describe, expect, it } from 'vitest';
import { ciIdForExternalId } from '#shared/domain/cmdb/ci.js';
import { countOutcomes, parseImport } from '#shared/domain/cmdb/ci-import.js';

const rules = { serviceCodePattern: '^[A-Z][A-Z0-9-]{1,31}$', customAttributes: [] };
const line = (value: unknown) => JSON.stringify(value);

describe('parseImport', () => {
  it('judges each line on its own', () => {
    const parsed = parseImport(
      [
        line({ kind: 'ci', externalId: 'e1', class: 'server', name: 's1' }),
        '',
        '{oops',
        line({ kind: 'ci', class: 'server', name: 'no id' }),
        line({ kind: 'ci', externalId: 'e2', class: 'server', name: 's2', attributes: { cpuCount: 'eight' } }),
        line({ kind: 'thing' }),
        line({ kind: 'ci', externalId: 'e1', class: 'server', name: 'again' }),
        line({ kind: 'relationship', from: { externalId: 'e1' }, type: 'hosts', to: { id: 'APPID' } }),
        line({ kind: 'relationship', from: { id: 'APPID' }, type: 'runs_on', to: { externalId: 'e1' } }),
        line({ kind: 'relationship', from: { externalId: 'e1' }, type: 'runs_on', to: { externalId: 'e1' } }),
        line({ kind: 'ci', id: 'EXISTING', class: 'database', name: 'db' }),
        line({ kind: 'ci', id: 'WRONG', externalId: 'e3', class: 'database', name: 'db' }),
        line({ kind: 'relationship', from: { externalId: 'e1' }, type: 'owns', to: { externalId: 'e2' } }),
      ],
      rules,
    );
    expect(parsed.total).toBe(12);
    expect(parsed.cis).toEqual([
      { line: 1, ciId: ciIdForExternalId('e1'), mustExist: false, input: { externalId: 'e1', class: 'server', name: 's1' } },
      { line: 11, ciId: 'EXISTING', mustExist: true, input: { class: 'database', name: 'db' } },
    ]);
    expect(parsed.relationships).toEqual([{ line: 8, relationship: { type: 'runs_on', dependentId: 'APPID', dependencyId: ciIdForExternalId('e1') } }]);
    expect(parsed.invalid.map((o) => [o.line, o.kind, o.errors?.map((e) => e.field)])).toEqual([
      [3, null, ['line']],
      [4, 'ci', ['line.externalId']],
      [5, 'ci', ['line.attributes.cpuCount']],
      [6, null, ['line.kind']],
      [7, 'ci', ['line']],
      [9, 'relationship', ['line']],
      [10, 'relationship', ['line.to']],
      [12, 'ci', ['line.id']],
      [13, 'relationship', ['line.type']],
    ]);
    expect(parsed.invalid[4]?.errors?.[0]?.message).toBe('The same CI is on line 1');
  });

  it('counts outcomes by status', () => {
    expect(
      countOutcomes([
        { line: 1, kind: 'ci', status: 'created' },
        { line: 2, kind: 'ci', status: 'created' },
        { line: 3, kind: null, status: 'invalid' },
        { line: 4, kind: 'relationship', status: 'added' },
      ]),
    ).toEqual({ created: 2, updated: 0, unchanged: 0, added: 1, invalid: 1, conflict: 0 });
  });
});
