/**
 * Schemas of the tenants API: tenants (operator), people and exports
 * (tenant admins).
 * @module
 */
import * as z from 'zod';
import { EXPORT_STATUSES } from '#shared/domain/tenants/export-job.js';
import { profilePatchSchema, profileSchema, Roles, USER_STATUSES } from '#shared/domain/tenants/person.js';
import { newTenantSchema, TENANT_STATUSES, TENANT_TIERS } from '#shared/domain/tenants/tenant.js';
import { Identifier, pageOf } from '#shared/http/common-schemas.js';

const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);

export const TenantIdParams = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,64}$/) });
export const TenantExportParams = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,64}$/), exportId: Ulid });
export const UserIdParams = z.strictObject({ id: Identifier });
export const ExportIdParams = z.strictObject({ id: Ulid });

export const CreateTenantBody = newTenantSchema
  .extend({ admin: profileSchema.meta({ description: 'The first tenant admin: invited (Cognito AdminCreateUser) with the tenant-admin role' }) })
  .meta({
    id: 'CreateTenant',
    example: {
      id: 'initech',
      name: 'Initech',
      tier: 'standard',
      timeZone: 'America/Chicago',
      locale: 'en-US',
      admin: { name: 'Bill Lumbergh', email: 'bill@initech.example' },
    },
  });

export const ChangeTierBody = z
  .strictObject({ tier: z.enum(TENANT_TIERS).meta({ description: 'The commercial tier: request rate, burst and quotas (docs/throttling.md)' }) })
  .meta({ id: 'ChangeTenantTier' });
export const SuspendTenantBody = z.strictObject({ reason: z.string().trim().min(1).max(500) }).meta({ id: 'SuspendTenant' });

const DeletionResource = z.object({
  startedAt: z.string(),
  shardsDone: z.number().int(),
  partitionsDeleted: z.number().int(),
  itemsDeleted: z.number().int(),
  invocations: z.number().int(),
  completedAt: z.string().nullable(),
  itemsLeft: z.number().int().nullable().meta({ description: 'Items found under the tenant keys after the deletion: 0 when complete' }),
});

export const TenantResource = z
  .object({
    id: z.string(),
    name: z.string(),
    tier: z.enum(TENANT_TIERS),
    timeZone: z.string(),
    locale: z.string(),
    status: z.enum(TENANT_STATUSES),
    suspendedAt: z.string().nullable(),
    suspendedReason: z.string().nullable(),
    firstAdminId: z.string().nullable(),
    lastExport: z.object({ exportId: z.string(), requestedAt: z.string(), completedAt: z.string() }).nullable(),
    deletion: DeletionResource.nullable(),
    allowedActions: z.array(z.string()),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Tenant' });

export const TenantPage = pageOf(z.object({ id: z.string(), name: z.string(), tier: z.string(), status: z.string(), createdAt: z.string() }), 'TenantPage');

export const InviteUserBody = profileSchema
  .extend({ roles: Roles })
  .meta({ id: 'InviteUser', example: { name: 'Milton Waddams', email: 'milton@initech.example', roles: ['agent'], timeZone: 'America/Chicago' } });

export const UpdateProfileBody = profilePatchSchema.meta({
  id: 'UpdateUserProfile',
  example: { phone: '+13125550199', timeZone: 'America/New_York', managerId: 'acme-manager' },
});

export const SetRolesBody = z.strictObject({ roles: Roles }).meta({ id: 'SetUserRoles' });

export const UserResource = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    phone: z.string().nullable(),
    locale: z.string().nullable(),
    timeZone: z.string().nullable(),
    roles: z.array(z.string()),
    status: z.enum(USER_STATUSES),
    invitedAt: z.string(),
    invitedBy: z.string(),
    disabledAt: z.string().nullable(),
    managerId: z.string().nullable(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'User' });

export const UserPage = pageOf(z.object({ id: z.string(), name: z.string(), email: z.string(), roles: z.array(z.string()), status: z.string() }), 'UserPage');

export const ExportResource = z
  .object({
    id: z.string(),
    status: z.enum(EXPORT_STATUSES),
    requestedAt: z.string(),
    requestedBy: z.string(),
    completedAt: z.string().nullable(),
    partitionsDone: z.number().int(),
    itemsWritten: z.number().int(),
    itemsByType: z.record(z.string(), z.number().int()),
    files: z.array(z.string()),
    location: z.string(),
    batches: z.number().int(),
    error: z.string().nullable(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'TenantExport' });
