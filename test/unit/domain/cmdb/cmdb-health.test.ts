/** CMDB health figures: completeness, orphans, staleness; retired CIs left out. */
import { describe, expect, it } from 'vitest';
import { cmdbHealth, type HealthCi } from '#shared/domain/cmdb/cmdb-health.js';

const now = '2026-11-22T00:00:00.000Z';
const settings = { staleAfterDays: 30, customAttributes: [{ name: 'costCentre', class: 'server' as const, type: 'string' as const, required: true }] };
const complete = ['ownerGroup', 'environment', 'location', 'hostname', 'ipAddress', 'os', 'serialNumber', 'custom.costCentre'];
const ci = (id: string, overrides: Partial<HealthCi> = {}): HealthCi => ({
  id,
  class: 'server',
  status: 'in_service',
  updatedAt: '2026-11-20T00:00:00.000Z',
  filled: complete,
  ...overrides,
});

describe('cmdbHealth', () => {
  it('counts each finding over the CIs that are not retired', () => {
    const health = cmdbHealth(
      [
        ci('a'),
        ci('b', { filled: complete.filter((f) => f !== 'custom.costCentre' && f !== 'os') }),
        ci('c', { updatedAt: '2026-10-01T00:00:00.000Z' }),
        ci('d'),
        ci('gone', { status: 'retired', filled: [] }),
      ],
      [
        { dependentId: 'a', dependencyId: 'b' },
        { dependentId: 'c', dependencyId: 'gone' },
      ],
      settings,
      now,
    );
    expect(health).toEqual({
      cis: 4,
      retired: 1,
      relationships: 2,
      byClass: { server: 4 },
      missingAttributes: { count: 1, percent: 25, sample: ['b'], byAttribute: { os: 1, 'custom.costCentre': 1 } },
      orphans: { count: 1, percent: 25, sample: ['d'] },
      stale: { count: 1, percent: 25, sample: ['c'], staleAfterDays: 30, before: '2026-10-23T00:00:00.000Z' },
      healthyPercent: 25,
    });
  });

  it('reports an empty CMDB as healthy', () => {
    expect(cmdbHealth([], [], settings, now)).toMatchObject({ cis: 0, healthyPercent: 100, orphans: { count: 0, percent: 0 } });
  });

  it('samples at most the sample size', () => {
    const many = Array.from({ length: 50 }, (_, i) => ci(`ci-${i}`));
    expect(cmdbHealth(many, [], settings, now, 5).orphans).toMatchObject({ count: 50, sample: ['ci-0', 'ci-1', 'ci-2', 'ci-3', 'ci-4'] });
  });
});
