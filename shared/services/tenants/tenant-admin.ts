/**
 * The platform operator's use cases: create a tenant (its default settings
 * copied from templates, its first tenant admin invited), suspend, resume,
 * export and delete it. The operator works in the platform scope; what it
 * writes in a tenant's keys it writes in that tenant's scope
 * (`runAsTenantFromPlatform`), through the same wall as the tenant's users.
 * @module
 */
import { now } from '#shared/clock.js';
import { type IdempotencyClaim, type IdempotentReplay, priorIdempotentResponse } from '#shared/data/commit-mutation.js';
import { checkExpectedVersion } from '#shared/data/mutate.js';
import { getEscalationPolicy, getSlaPolicy, saveEscalationPolicy, saveSlaPolicy } from '#shared/data/sla/sla-settings-repository.js';
import { putTenantPlan, setTenantPlanTier } from '#shared/data/tenant-limits.js';
import { runAsTenantFromPlatform } from '#shared/data/tenant-scope.js';
import { latestExport } from '#shared/data/tenants/export-repository.js';
import { findPersonByEmail } from '#shared/data/tenants/person-repository.js';
import { getTenant, insertTenant, saveTenant } from '#shared/data/tenants/tenant-repository.js';
import { ConflictError, NotFoundError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import type { TenantTier } from '#shared/domain/tenant-limits.js';
import type { Profile } from '#shared/domain/tenants/person.js';
import { changeTenantTier, createTenant, type NewTenant, resumeTenant, startDeletion, suspendTenant, type Tenant } from '#shared/domain/tenants/tenant.js';
import { tenantTemplates } from '#shared/domain/tenants/tenant-templates.js';
import { invite } from './people.js';

/** The operator, as the author of what it writes inside `tenantId` (audit entries name the operator). */
export function operatorIn(operator: Actor, tenantId: string): Actor {
  return { tenantId, userId: operator.userId, roles: operator.roles };
}

/** A tenant in the register, or 404. */
export async function findTenant(tenantId: string): Promise<Tenant> {
  const tenant = await getTenant(tenantId);
  if (!tenant) throw new NotFoundError(`Tenant ${tenantId} was not found.`);
  return tenant;
}

/**
 * Creates the tenant. Its own keys are written first (templates, first
 * admin), the register entry last: a tenant exists once all of it does.
 * Each step is safe to repeat, so a create that failed half-way is simply
 * sent again: settings already copied are kept, an admin already invited
 * (same e-mail) is reused. An existing id (deleted tenants included) is 409.
 */
export async function onboardTenant(
  operator: Actor,
  input: NewTenant,
  admin: Profile,
  idempotency: Omit<IdempotencyClaim, 'response'> | undefined,
  response: (tenant: Tenant) => unknown,
): Promise<{ tenant: Tenant } | { replay: IdempotentReplay }> {
  if (idempotency) {
    const prior = await priorIdempotentResponse(operator, idempotency);
    if (prior) return { replay: prior };
  }
  if (await getTenant(input.id)) throw new ConflictError(`Tenant ${input.id} exists already (ids of deleted tenants are not reused).`, { field: 'id' });
  const at = now().toISOString();
  const firstAdminId = await runAsTenantFromPlatform(input.id, async () => {
    const actor = operatorIn(operator, input.id);
    const templates = tenantTemplates(input);
    const [sla, escalation] = await Promise.all([getSlaPolicy(input.id), getEscalationPolicy(input.id)]);
    if (sla.version === 0) await saveSlaPolicy(actor, sla, templates.slaPolicy, at, false);
    if (escalation.version === 0) await saveEscalationPolicy(actor, escalation, templates.escalationPolicy, at, false);
    // The tier's request rate, burst and quotas (the throttle and the quota claims read the plan, not the tenant record).
    await putTenantPlan(input.id, { tier: input.tier, quotaOverrides: {} });
    const existing = await findPersonByEmail(input.id, admin.email);
    if (existing) return existing.id;
    const invited = await invite(actor, { ...admin, roles: ['tenant-admin'] });
    return 'person' in invited ? invited.person.id : null;
  });
  const tenant = createTenant(input, firstAdminId, { userId: operator.userId, now: at });
  const changes = (['name', 'tier', 'timeZone', 'locale', 'status', 'firstAdminId'] as const).map((field) => ({ field, from: null, to: tenant[field] }));
  const replay = await insertTenant(tenant, operator, changes, idempotency && { ...idempotency, response: response(tenant) });
  return replay ? { replay } : { tenant };
}

export async function suspend(operator: Actor, tenantId: string, reason: string, ifMatch: number | undefined): Promise<Tenant> {
  const current = await findTenant(tenantId);
  checkExpectedVersion(ifMatch, current.version);
  const { tenant, changes } = suspendTenant(current, reason, { userId: operator.userId, now: now().toISOString() });
  await saveTenant(tenant, operator, { type: 'TenantSuspended', action: 'suspend', changes, facts: { reason } }, current.version, ifMatch !== undefined);
  return tenant;
}

export async function resume(operator: Actor, tenantId: string, ifMatch: number | undefined): Promise<Tenant> {
  const current = await findTenant(tenantId);
  checkExpectedVersion(ifMatch, current.version);
  const { tenant, changes } = resumeTenant(current, { userId: operator.userId, now: now().toISOString() });
  await saveTenant(tenant, operator, { type: 'TenantResumed', action: 'resume', changes }, current.version, ifMatch !== undefined);
  return tenant;
}

/**
 * Moves the tenant to `tier`: the record (the truth; its `TenantTierChanged`
 * moves the API key to the tier's usage plan, `syncUsageKey`), then the plan
 * item the throttle and the quotas read. The same tier again changes no
 * record but writes the plan item, so a change whose second write failed is
 * completed by sending it again.
 */
export async function changeTier(operator: Actor, tenantId: string, tier: TenantTier, ifMatch: number | undefined): Promise<Tenant> {
  const current = await findTenant(tenantId);
  checkExpectedVersion(ifMatch, current.version);
  const change = changeTenantTier(current, tier, { userId: operator.userId, now: now().toISOString() });
  if (change) {
    await saveTenant(
      change.tenant,
      operator,
      { type: 'TenantTierChanged', action: 'change-tier', changes: change.changes },
      current.version,
      ifMatch !== undefined,
    );
  }
  await runAsTenantFromPlatform(tenantId, () => setTenantPlanTier(tenantId, tier));
  return change?.tenant ?? current;
}

/** Starts the deletion (the worker does it, a batch at a time); refused without a suspension and a later completed export. */
export async function requestDeletion(operator: Actor, tenantId: string, ifMatch: number | undefined): Promise<Tenant> {
  const current = await findTenant(tenantId);
  checkExpectedVersion(ifMatch, current.version);
  const last = await runAsTenantFromPlatform(tenantId, () => latestExport(tenantId));
  const reference =
    last?.status === 'completed' && last.completedAt ? { exportId: last.id, requestedAt: last.requestedAt, completedAt: last.completedAt } : null;
  const { tenant, changes } = startDeletion(current, reference, { userId: operator.userId, now: now().toISOString() });
  await saveTenant(tenant, operator, { type: 'TenantDeletionStarted', action: 'delete', changes }, current.version, ifMatch !== undefined);
  return tenant;
}
