/**
 * A request form's answers checked against its fields: every fault listed
 * (unknown, required, conditional, types, ranges), conditions on earlier
 * fields only, and properties: good answers pass, each corruption of one
 * field is reported on that field alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionHolds, keptAnswers, requestFormSchema, suggestionQuery, validateAnswers } from '#shared/domain/requests/request-form.js';

const form = requestFormSchema.parse({
  fields: [
    { key: 'name', label: 'Name', type: 'text', required: true, maxLength: 10 },
    { key: 'start', label: 'Start', type: 'date', required: true },
    { key: 'kind', label: 'Kind', type: 'choice', required: true, options: ['a', 'b'] },
    { key: 'extra', label: 'Extra', type: 'choice', required: true, options: ['x', 'y'], when: { op: 'equals', field: 'kind', value: 'b' } },
    { key: 'tags', label: 'Tags', type: 'multi-choice', options: ['p', 'q', 'r'], min: 1, max: 2 },
    { key: 'count', label: 'Count', type: 'number', min: 0, max: 3 },
    { key: 'who', label: 'Who', type: 'user' },
    { key: 'ci', label: 'CI', type: 'ci', when: { op: 'answered', field: 'who' } },
  ],
});
const good = { name: 'Dana', start: '2031-02-03', kind: 'a' };

describe('validateAnswers', () => {
  it.each([
    ['good answers', good, []],
    ['a conditional field that applies', { ...good, kind: 'b', extra: 'x' }, []],
    ['everything missing', {}, ['answers.kind', 'answers.name', 'answers.start']],
    ['an unknown field', { ...good, shoe: 44 }, ['answers.shoe']],
    ['a required conditional field left out', { ...good, kind: 'b' }, ['answers.extra']],
    ['a conditional field answered where it does not apply', { ...good, extra: 'x' }, ['answers.extra']],
    ['text too long', { ...good, name: 'x'.repeat(11) }, ['answers.name']],
    ['text of another type', { ...good, name: 5 }, ['answers.name']],
    ['31 February', { ...good, start: '2031-02-31' }, ['answers.start']],
    ['a date with a time', { ...good, start: '2031-02-03T10:00' }, ['answers.start']],
    ['an unknown choice', { ...good, kind: 'c' }, ['answers.kind']],
    ['too many choices', { ...good, tags: ['p', 'q', 'r'] }, ['answers.tags']],
    ['a choice twice', { ...good, tags: ['p', 'p'] }, ['answers.tags']],
    ['a number out of range', { ...good, count: 4 }, ['answers.count']],
    ['not a number', { ...good, count: '2' }, ['answers.count']],
    ['a user id with the key separator', { ...good, who: 'a#b' }, ['answers.who']],
    ['a CI when its condition holds', { ...good, who: 'u1', ci: 'ci-1' }, []],
  ])('%s', (_, answers, fields) => {
    expect(
      validateAnswers(form, answers)
        .map((error) => error.field)
        .sort(),
    ).toEqual(fields);
  });

  it('lists every field at fault at once, each with a message', () => {
    const errors = validateAnswers(form, { start: 'tomorrow', kind: 'b', count: -1, bogus: true });
    expect(errors.map((error) => error.field).sort()).toEqual(['answers.bogus', 'answers.count', 'answers.extra', 'answers.name', 'answers.start']);
    for (const error of errors) expect(error.message.length).toBeGreaterThan(0);
  });

  it('keeps only the answers that apply', () => {
    expect(keptAnswers(form, { ...good, extra: 'x', tags: [] })).toEqual(good);
  });

  it('property: corrupting one optional field is reported on that field only', () => {
    // Blank text counts as no answer (an optional field may be left blank), so corruptions are never blank.
    const nonBlank = fc.string({ minLength: 1 }).filter((text) => text.trim() !== '');
    const corruptions = fc.oneof(
      fc.record({ field: fc.constant('count'), value: fc.oneof(fc.integer({ min: 4 }), fc.integer({ max: -1 }), nonBlank) }),
      fc.record({
        field: fc.constant('tags'),
        value: fc.array(
          fc.string({ minLength: 1 }).filter((tag) => !['p', 'q', 'r'].includes(tag)),
          { minLength: 1 },
        ),
      }),
      fc.record({ field: fc.constant('who'), value: nonBlank.filter((id) => !/^[A-Za-z0-9._@:-]{1,128}$/.test(id)) }),
    );
    fc.assert(
      fc.property(corruptions, ({ field, value }) => {
        expect(validateAnswers(form, { ...good, [field]: value }).map((error) => error.field)).toEqual([`answers.${field}`]);
      }),
    );
  });

  it('property: answers drawn from the form pass', () => {
    const answers = fc.record(
      {
        name: fc.string({ minLength: 1, maxLength: 10 }).filter((name) => name.trim() !== ''),
        start: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
        kind: fc.constant('a'),
        tags: fc.subarray(['p', 'q', 'r'], { minLength: 1, maxLength: 2 }),
        count: fc.integer({ min: 0, max: 3 }),
      },
      { requiredKeys: ['name', 'start', 'kind'] },
    );
    fc.assert(
      fc.property(answers, (candidate) => {
        expect(validateAnswers(form, candidate)).toEqual([]);
      }),
    );
  });
});

describe('the form itself', () => {
  it('refuses a condition on a later or unknown field, duplicate keys and choices without options', () => {
    const result = requestFormSchema.safeParse({
      fields: [
        { key: 'a', label: 'A', type: 'text', when: { op: 'answered', field: 'b' } },
        { key: 'b', label: 'B', type: 'choice' },
        { key: 'b', label: 'B again', type: 'text' },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      "The condition names 'b', which is not an earlier field.",
      'A choice field needs options.',
      "Duplicate field key 'b'.",
    ]);
  });

  it('evaluates conditions on lists as membership', () => {
    expect(conditionHolds({ op: 'equals', field: 't', value: 'p' }, { t: ['q', 'p'] })).toBe(true);
    expect(conditionHolds({ op: 'in', field: 't', values: ['x', 'q'] }, { t: ['q'] })).toBe(true);
    expect(conditionHolds({ op: 'in', field: 't', values: ['x'] }, {})).toBe(false);
  });
});

describe('what a request says, for knowledge suggestions', () => {
  it('is the item, then the text and choice answers in form order; the CI named by a CI field', () => {
    const query = suggestionQuery(
      form,
      { name: 'Laptop', description: 'A new laptop.' },
      {
        tags: ['q', 'p'],
        name: 'Dana',
        kind: 'b',
        count: 2,
        who: 'u1',
        ci: 'ci-mail-01',
      },
    );
    expect(query).toEqual({ title: 'Laptop', description: 'A new laptop. Dana b q p', ciId: 'ci-mail-01' });
  });

  it('without answers or CI it is the item alone', () => {
    expect(suggestionQuery(form, { name: 'VPN', description: '' }, {})).toEqual({ title: 'VPN', description: '', ciId: null });
  });
});
