/**
 * What the tenants handlers share: presenting tenants, people and export
 * jobs, and finding an export of the caller's tenant.
 * @module
 */
import { getExport } from '#shared/data/tenants/export-repository.js';
import { NotFoundError } from '#shared/domain/errors.js';
import type { ExportJob } from '#shared/domain/tenants/export-job.js';
import type { Person } from '#shared/domain/tenants/person.js';
import { type Tenant, tenantActionsFor } from '#shared/domain/tenants/tenant.js';

export function tenantResource(tenant: Tenant) {
  return { ...tenant, allowedActions: tenantActionsFor(tenant) };
}

export function userResource(person: Person) {
  const { tenantId: _tenant, ...rest } = person;
  return { ...rest, managerId: person.managerId ?? null };
}

/** The job without its internals (the walk's cursor, the tenant). */
export function exportResource(job: ExportJob) {
  const { cursor: _cursor, tenantId: _tenant, updatedBy: _by, ...rest } = job;
  return rest;
}

export async function findExport(tenantId: string, exportId: string): Promise<ExportJob> {
  const job = await getExport(tenantId, exportId);
  if (!job) throw new NotFoundError(`Export ${exportId} was not found.`);
  return job;
}
