/**
 * Tenants: the client organisations one deployment serves, and their life
 * cycle as the platform operator drives it.
 *
 * ```
 * active ──suspend──▶ suspended ──delete (after an export)──▶ deleting ──▶ deleted
 *   ▲                     │
 *   └───────resume────────┘
 * ```
 *
 * A suspended tenant keeps its data; its users' calls are refused (403
 * `tenant-suspended`). Deletion needs the tenant suspended and an export
 * completed after the suspension, so the export holds the tenant's final
 * state; the record stays as a tombstone (`deleted`, with the count of
 * items removed and the zero left), which also keeps its id from reuse.
 * @module
 */
import * as z from 'zod';
import { IllegalTransitionError, UnprocessableError } from '#shared/domain/errors.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import { PLATFORM_SCOPE } from '#shared/domain/roles.js';
import { isValidTimeZone } from '#shared/domain/sla/business-calendar.js';

export const TENANT_STATUSES = ['active', 'suspended', 'deleting', 'deleted'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

// Commercial tiers: the throttling and quota tables' own list (each tier a request rate, burst and quotas).
import { TENANT_TIERS, type TenantTier } from '#shared/domain/tenant-limits.js';

export { TENANT_TIERS, type TenantTier };

/**
 * Tenant ids are chosen by the operator and end up in every key and in
 * the users' `custom:tenantId`: lowercase letters, digits and inner
 * hyphens, 3–32 long (no backtracking: a fixed-width class and a length).
 */
export const TENANT_ID = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
/** Ids no tenant may take: the platform's own scope, and names that would confuse operators. */
export const RESERVED_TENANT_IDS: ReadonlySet<string> = new Set([PLATFORM_SCOPE, 'admin', 'system', 'root', 'local']);

export function isTenantId(value: string): boolean {
  return TENANT_ID.test(value) && !RESERVED_TENANT_IDS.has(value);
}

/** What the operator gives to create a tenant. */
export const newTenantSchema = z.strictObject({
  id: z.string().refine(isTenantId, 'Use 3–32 lowercase letters, digits or inner hyphens, starting with a letter; not a reserved id.'),
  name: z.string().trim().min(1).max(200),
  tier: z.enum(TENANT_TIERS).default('standard'),
  timeZone: z.string().max(64).refine(isValidTimeZone, 'Unknown IANA time zone.').default('UTC'),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, 'A BCP 47 language tag, e.g. en-GB or zh-CN')
    .default('en-GB'),
});
export type NewTenant = z.output<typeof newTenantSchema>;

/** The latest export that counts for deletion. */
export interface ExportReference {
  readonly exportId: string;
  readonly requestedAt: string;
  readonly completedAt: string;
}

/** Progress of a deletion: how far the registry walk got and what it removed. */
export interface DeletionProgress {
  readonly startedAt: string;
  /** Registry shards finished, in order. */
  readonly shardsDone: number;
  readonly partitionsDeleted: number;
  readonly itemsDeleted: number;
  /** Invocations of the deletion worker so far. */
  readonly invocations: number;
  readonly completedAt: string | null;
  /** Items found under the tenant's keys after the deletion: zero, or the deletion is not complete. */
  readonly itemsLeft: number | null;
}

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly tier: TenantTier;
  readonly timeZone: string;
  readonly locale: string;
  readonly status: TenantStatus;
  readonly suspendedAt: string | null;
  readonly suspendedReason: string | null;
  /** The first tenant admin invited at creation. */
  readonly firstAdminId: string | null;
  /** The export the deletion relied on (set when the deletion starts). */
  readonly lastExport: ExportReference | null;
  readonly deletion: DeletionProgress | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export type TenantAction = 'suspend' | 'resume' | 'delete' | 'change-tier';

const ALLOWED: Readonly<Record<TenantStatus, readonly TenantAction[]>> = {
  active: ['suspend', 'change-tier'],
  suspended: ['resume', 'delete', 'change-tier'],
  deleting: [],
  deleted: [],
};

/** The actions the tenant's status allows now. */
export function tenantActionsFor(tenant: Pick<Tenant, 'status'>): TenantAction[] {
  return [...ALLOWED[tenant.status]];
}

function requireAction(tenant: Tenant, action: TenantAction): void {
  if (!ALLOWED[tenant.status].includes(action)) throw new IllegalTransitionError(action, tenant.status, ALLOWED[tenant.status]);
}

/** A change of a tenant record and what it changed. */
export interface TenantChange {
  readonly tenant: Tenant;
  readonly changes: FieldChange[];
}

interface By {
  readonly userId: string;
  readonly now: string;
}

function changed(before: Tenant, after: Tenant, fields: readonly (keyof Tenant)[]): FieldChange[] {
  return fields.flatMap((field) => (JSON.stringify(before[field]) === JSON.stringify(after[field]) ? [] : [{ field, from: before[field], to: after[field] }]));
}

export function createTenant(input: NewTenant, firstAdminId: string | null, by: By): Tenant {
  return {
    ...input,
    status: 'active',
    suspendedAt: null,
    suspendedReason: null,
    firstAdminId,
    lastExport: null,
    deletion: null,
    createdAt: by.now,
    createdBy: by.userId,
    updatedAt: by.now,
    updatedBy: by.userId,
    version: 1,
  };
}

function next(tenant: Tenant, patch: Partial<Tenant>, by: By): Tenant {
  return { ...tenant, ...patch, updatedAt: by.now, updatedBy: by.userId, version: tenant.version + 1 };
}

export function suspendTenant(tenant: Tenant, reason: string, by: By): TenantChange {
  requireAction(tenant, 'suspend');
  const after = next(tenant, { status: 'suspended', suspendedAt: by.now, suspendedReason: reason }, by);
  return { tenant: after, changes: changed(tenant, after, ['status', 'suspendedAt', 'suspendedReason']) };
}

export function resumeTenant(tenant: Tenant, by: By): TenantChange {
  requireAction(tenant, 'resume');
  const after = next(tenant, { status: 'active', suspendedAt: null, suspendedReason: null }, by);
  return { tenant: after, changes: changed(tenant, after, ['status', 'suspendedAt', 'suspendedReason']) };
}

/**
 * Moves the tenant to another commercial tier (its request rate, burst and
 * quotas): active or suspended tenants only. `null` when it is on `tier`
 * already, so a repeated request changes nothing and emits nothing.
 */
export function changeTenantTier(tenant: Tenant, tier: TenantTier, by: By): TenantChange | null {
  requireAction(tenant, 'change-tier');
  if (tenant.tier === tier) return null;
  const after = next(tenant, { tier }, by);
  return { tenant: after, changes: changed(tenant, after, ['tier']) };
}

/**
 * Starts the deletion: only a suspended tenant, and only with an export
 * requested after the suspension and completed (the export then holds
 * everything the tenant will ever have had; 422 `export-required` otherwise).
 */
export function startDeletion(tenant: Tenant, latestExport: ExportReference | null, by: By): TenantChange {
  requireAction(tenant, 'delete');
  const exported = latestExport;
  if (!exported || tenant.suspendedAt === null || exported.requestedAt < tenant.suspendedAt) {
    throw new UnprocessableError('Delete needs an export requested after the suspension and completed: POST /tenants/{id}/exports, then delete.', {
      reason: 'export-required',
      suspendedAt: tenant.suspendedAt,
      lastExport: exported,
    });
  }
  const deletion: DeletionProgress = {
    startedAt: by.now,
    shardsDone: 0,
    partitionsDeleted: 0,
    itemsDeleted: 0,
    invocations: 0,
    completedAt: null,
    itemsLeft: null,
  };
  const after = next(tenant, { status: 'deleting', deletion, lastExport: exported }, by);
  return { tenant: after, changes: changed(tenant, after, ['status', 'lastExport']) };
}

/** A batch of the deletion done: progress, or the end once every item is gone and counted. */
export function advanceDeletion(
  tenant: Tenant,
  step: { shardsDone: number; partitionsDeleted: number; itemsDeleted: number; itemsLeft: number | null },
  by: By,
): TenantChange {
  if (tenant.status !== 'deleting' || !tenant.deletion) throw new IllegalTransitionError('advance the deletion of', tenant.status, []);
  const done = step.itemsLeft === 0;
  const deletion: DeletionProgress = {
    ...tenant.deletion,
    shardsDone: step.shardsDone,
    partitionsDeleted: tenant.deletion.partitionsDeleted + step.partitionsDeleted,
    itemsDeleted: tenant.deletion.itemsDeleted + step.itemsDeleted,
    invocations: tenant.deletion.invocations + 1,
    completedAt: done ? by.now : null,
    itemsLeft: step.itemsLeft,
  };
  const after = next(tenant, { deletion, ...(done ? { status: 'deleted' as const } : {}) }, by);
  return { tenant: after, changes: changed(tenant, after, ['status', 'deletion']) };
}
