import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CmdbSettings } from '#shared/domain/cmdb/cmdb-settings.js';
import { isTenantPattern, matchesTenantPattern } from '#shared/domain/tenant-pattern.js';

describe('tenant patterns (RE2 semantics)', () => {
  it.each([
    ['^[A-Z][A-Z0-9-]{1,31}$', 'SVC-01', true],
    ['^[A-Z][A-Z0-9-]{1,31}$', 'svc-01', false],
    ['^SVC-[A-Z]{2,4}-\\d{3}$', 'SVC-NET-001', true],
    ['^SVC-[A-Z]{2,4}-\\d{3}$', 'SVC-NET-01', false],
    ['NET', 'CORE-NET-7', true],
  ])('%s on %s → %s, as RegExp.test would answer', (pattern, text, expected) => {
    expect(matchesTenantPattern(pattern, text)).toBe(expected);
    expect(new RegExp(pattern).test(text)).toBe(expected);
  });

  it('agrees with RegExp on simple character-class patterns', () => {
    fc.assert(
      fc.property(fc.constantFrom('^[A-Z]+$', '^[a-z0-9-]{2,8}$', 'X', '^A.*Z$'), fc.string({ maxLength: 20 }), (pattern, text) => {
        expect(matchesTenantPattern(pattern, text)).toBe(new RegExp(pattern).test(text));
      }),
    );
  });

  it('answers a catastrophic-backtracking pattern in linear time (RegExp would not return)', () => {
    const text = `${'A'.repeat(10_000)}!`;
    expect(matchesTenantPattern('^(A|A)+$', text)).toBe(false);
    expect(matchesTenantPattern('^(A+)+$', text)).toBe(false);
  });

  it.each(['(a)\\1', 'a(?=b)', 'a(?!b)', '(?<=a)b', '[', '(unclosed'])('refuses %s', (pattern) => {
    expect(isTenantPattern(pattern)).toBe(false);
    expect(CmdbSettings.safeParse({ serviceCodePattern: pattern }).success).toBe(false);
  });

  it('accepts RE2 patterns in the CMDB settings, the default included', () => {
    expect(CmdbSettings.parse({}).serviceCodePattern).toBe('^[A-Z][A-Z0-9-]{1,31}$');
    expect(CmdbSettings.safeParse({ serviceCodePattern: '^(A|A)+$' }).success).toBe(true);
  });
});
