/**
 * Samples of the tenants practice's events for the published catalogue
 * (`../catalogue-document.ts`), kept beside the practice's schemas.
 * @module
 */
import type * as z from 'zod';
import type { EventType } from '../catalogue.js';
import { ExportEventDetail, TenantEventDetail, UserEventDetail } from './tenants.js';

type Envelope = { eventId: string; tenantId: string; occurredAt: string; actor: { userId: string; roles: string[] } };

export function tenantEventSamples(envelope: Envelope): [z.ZodType, (type: EventType) => Record<string, unknown>][] {
  const operator = { userId: 'platform-operator', roles: ['platform-operator'] };
  return [
    [
      TenantEventDetail,
      (type) => {
        const status =
          (
            { TenantSuspended: 'suspended', TenantDeletionStarted: 'deleting', TenantDeletionProgressed: 'deleting', TenantDeleted: 'deleted' } as Record<
              string,
              string
            >
          )[type] ?? 'active';
        const worker = type === 'TenantDeletionProgressed' || type === 'TenantDeleted';
        return {
          ...envelope,
          tenantId: 'initech',
          actor: worker ? { userId: 'system:tenant-deletion', roles: [] } : operator,
          name: 'Initech',
          tier: 'standard',
          status,
          version: type === 'TenantCreated' ? 1 : 4,
          changes: type === 'TenantCreated' ? [{ field: 'name', from: null, to: 'Initech' }] : [{ field: 'status', from: 'suspended', to: status }],
          ...(type === 'TenantSuspended' ? { reason: 'Contract ended' } : {}),
          ...(worker ? { itemsDeleted: 12_480, itemsLeft: type === 'TenantDeleted' ? 0 : null } : {}),
        };
      },
    ],
    [
      UserEventDetail,
      (type) => ({
        ...envelope,
        actor: { userId: 'acme-admin', roles: ['tenant-admin'] },
        userId: '5f0c2d1e-8a9b-4c3d-9e7f-1a2b3c4d5e6f',
        email: 'milton@acme.example',
        roles: type === 'UserRolesChanged' ? ['agent', 'manager'] : ['agent'],
        status: type === 'UserDisabled' ? 'disabled' : 'active',
        version: type === 'UserInvited' ? 1 : 2,
        changes: type === 'UserRolesChanged' ? [{ field: 'roles', from: ['agent'], to: ['agent', 'manager'] }] : [],
      }),
    ],
    [
      ExportEventDetail,
      (type) => ({
        ...envelope,
        actor: type === 'TenantExportRequested' ? { userId: 'acme-admin', roles: ['tenant-admin'] } : { userId: 'system:tenant-export', roles: [] },
        exportId: '01KAZD5F8G2H4J6K8M0N2P4Q6R',
        status: type === 'TenantExportCompleted' ? 'completed' : type === 'TenantExportFailed' ? 'failed' : 'running',
        itemsWritten: type === 'TenantExportRequested' ? 0 : 4_000,
        batches: type === 'TenantExportRequested' ? 0 : 2,
        version: type === 'TenantExportRequested' ? 1 : 3,
      }),
    ],
  ];
}
