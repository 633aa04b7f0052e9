/**
 * Tenant life-cycle rules: ids, the status machine, deletion only after a
 * suspension and a later completed export, deletion progress to zero.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, UnprocessableError } from '#shared/domain/errors.js';
import {
  advanceDeletion,
  changeTenantTier,
  createTenant,
  isTenantId,
  newTenantSchema,
  resumeTenant,
  startDeletion,
  suspendTenant,
  TENANT_STATUSES,
  type Tenant,
  type TenantStatus,
  tenantActionsFor,
} from '#shared/domain/tenants/tenant.js';

const by = (now: string) => ({ userId: 'op', now });
const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-02T10:00:00.000Z';
const T2 = '2026-12-03T10:00:00.000Z';
const fresh = (): Tenant => createTenant(newTenantSchema.parse({ id: 'initech', name: 'Initech' }), 'admin-1', by(T0));
const withStatus = (status: TenantStatus): Tenant => ({ ...fresh(), status, suspendedAt: status === 'active' ? null : T1 });

describe('tenant ids', () => {
  it.each([
    ['initech', true],
    ['acme-2', true],
    ['ab', false],
    ['Initech', false],
    ['-acme', false],
    ['acme-', false],
    ['platform', false],
    ['admin', false],
    ['a'.repeat(33), false],
    ['acme#x', false],
  ])('%s → %s', (id, valid) => {
    expect(isTenantId(id)).toBe(valid);
  });

  it('never accepts the key separator or upper case, whatever the input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (id) => !isTenantId(id) || (/^[a-z0-9-]+$/.test(id) && id !== 'platform')));
  });

  it('fills tier, time zone and locale by default and refuses an unknown zone', () => {
    expect(newTenantSchema.parse({ id: 'initech', name: 'Initech' })).toMatchObject({ tier: 'standard', timeZone: 'UTC', locale: 'en-GB' });
    expect(newTenantSchema.safeParse({ id: 'initech', name: 'Initech', timeZone: 'Mars/Olympus' }).success).toBe(false);
  });
});

describe('status machine', () => {
  it.each<[TenantStatus, string[]]>([
    ['active', ['suspend', 'change-tier']],
    ['suspended', ['resume', 'delete', 'change-tier']],
    ['deleting', []],
    ['deleted', []],
  ])('%s allows %j', (status, actions) => {
    expect(tenantActionsFor({ status })).toEqual(actions);
  });

  it.each<[TenantStatus, boolean]>([
    ['active', true],
    ['suspended', true],
    ['deleting', false],
    ['deleted', false],
  ])('a %s tenant may change tier: %s; the same tier again is no change', (status, allowed) => {
    const tenant = withStatus(status);
    if (!allowed) {
      expect(() => changeTenantTier(tenant, 'premium', by(T2))).toThrow(IllegalTransitionError);
      return;
    }
    const change = changeTenantTier(tenant, 'premium', by(T2));
    expect(change?.tenant).toMatchObject({ tier: 'premium', status, version: tenant.version + 1, updatedAt: T2, updatedBy: 'op' });
    expect(change?.changes).toEqual([{ field: 'tier', from: 'standard', to: 'premium' }]);
    expect(changeTenantTier(tenant, 'standard', by(T2))).toBeNull();
  });

  it('suspend then resume returns to active, versions counted, the reason kept while suspended', () => {
    const suspended = suspendTenant(fresh(), 'Invoice overdue', by(T1));
    expect(suspended.tenant).toMatchObject({ status: 'suspended', suspendedAt: T1, suspendedReason: 'Invoice overdue', version: 2 });
    expect(suspended.changes.map((change) => change.field)).toEqual(['status', 'suspendedAt', 'suspendedReason']);
    const resumed = resumeTenant(suspended.tenant, by(T2));
    expect(resumed.tenant).toMatchObject({ status: 'active', suspendedAt: null, suspendedReason: null, version: 3 });
  });

  it('refuses every action its status does not allow, with the allowed ones', () => {
    for (const status of TENANT_STATUSES) {
      const tenant = withStatus(status);
      if (!tenantActionsFor(tenant).includes('suspend')) expect(() => suspendTenant(tenant, 'x', by(T2))).toThrow(IllegalTransitionError);
      if (!tenantActionsFor(tenant).includes('resume')) expect(() => resumeTenant(tenant, by(T2))).toThrow(IllegalTransitionError);
    }
  });
});

describe('deletion', () => {
  const suspended = () => suspendTenant(fresh(), 'Contract ended', by(T1)).tenant;
  const exportAt = (requestedAt: string) => ({ exportId: 'E1', requestedAt, completedAt: requestedAt });

  it.each([
    ['no export', null],
    ['an export from before the suspension', exportAt(T0)],
  ])('is refused with %s (422 export-required)', (_, reference) => {
    const error = (() => {
      try {
        startDeletion(suspended(), reference, by(T2));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).extensions.reason).toBe('export-required');
  });

  it('is refused for an active tenant, even exported', () => {
    expect(() => startDeletion(fresh(), exportAt(T2), by(T2))).toThrow(IllegalTransitionError);
  });

  it('starts after a later export, and ends only when a count finds zero left', () => {
    const started = startDeletion(suspended(), exportAt(T2), by(T2)).tenant;
    expect(started).toMatchObject({ status: 'deleting', lastExport: { exportId: 'E1' }, deletion: { itemsDeleted: 0, itemsLeft: null } });
    const halfway = advanceDeletion(started, { shardsDone: 3, partitionsDeleted: 10, itemsDeleted: 5000, itemsLeft: null }, by(T2)).tenant;
    expect(halfway).toMatchObject({ status: 'deleting', deletion: { shardsDone: 3, itemsDeleted: 5000, invocations: 1 } });
    const recount = advanceDeletion(halfway, { shardsDone: 0, partitionsDeleted: 5, itemsDeleted: 10, itemsLeft: 2 }, by(T2)).tenant;
    expect(recount.status).toBe('deleting');
    const done = advanceDeletion(recount, { shardsDone: 8, partitionsDeleted: 1, itemsDeleted: 2, itemsLeft: 0 }, by(T2)).tenant;
    expect(done).toMatchObject({ status: 'deleted', deletion: { itemsDeleted: 5012, partitionsDeleted: 16, itemsLeft: 0, invocations: 3, completedAt: T2 } });
    expect(() => advanceDeletion(done, { shardsDone: 8, partitionsDeleted: 0, itemsDeleted: 0, itemsLeft: 0 }, by(T2))).toThrow(IllegalTransitionError);
  });

  it('sums the batches, whatever they were', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 20 }), (batches) => {
        let tenant = startDeletion(suspended(), exportAt(T2), by(T2)).tenant;
        for (const items of batches)
          tenant = advanceDeletion(tenant, { shardsDone: 1, partitionsDeleted: 1, itemsDeleted: items, itemsLeft: null }, by(T2)).tenant;
        return tenant.deletion?.itemsDeleted === batches.reduce((sum, items) => sum + items, 0) && tenant.status === 'deleting';
      }),
    );
  });
});
