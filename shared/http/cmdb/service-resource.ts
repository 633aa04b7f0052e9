/**
 * A business service as the catalogue publishes it.
 * @module
 */
import type * as z from 'zod';
import { type Ci, serviceCodeOf } from '#shared/domain/cmdb/ci.js';
import type { ServiceResource } from './schemas.js';

export function serviceResource(ci: Ci): z.infer<typeof ServiceResource> {
  const text = (name: string) => (typeof ci.attributes[name] === 'string' ? (ci.attributes[name] as string) : null);
  return {
    id: ci.id,
    serviceCode: serviceCodeOf(ci) ?? '',
    name: ci.name,
    category: text('category'),
    description: ci.description,
    ownerGroup: ci.ownerGroup,
    supportHours: text('supportHours'),
    slaTier: text('slaTier'),
    catalogueStatus: (text('catalogueStatus') ?? 'pipeline') as z.infer<typeof ServiceResource>['catalogueStatus'],
    status: ci.status,
    criticality: ci.criticality,
    version: ci.version,
  };
}

/** Published: live in the catalogue and not retired as a CI. */
export function isPublished(ci: Ci): boolean {
  return ci.attributes.catalogueStatus === 'live' && ci.status !== 'retired';
}
