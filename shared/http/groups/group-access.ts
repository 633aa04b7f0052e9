/**
 * What the group handlers share: presenting a group.
 * @module
 */
import type { AssignmentGroup } from '#shared/domain/groups/group.js';

/** The API representation: everything but the tenant. */
export function groupResource(group: AssignmentGroup) {
  const { tenantId: _tenant, ...rest } = group;
  return rest;
}
