/**
 * The one check every practice makes before it dispatches work to a group
 * (an incident's assignment, an alert policy's default group, an escalation
 * level's target): the group must be an active group of the caller's
 * tenant. One consistent GetItem (1 RCU for a group item under 4 KB); 422 with
 * the field named otherwise, before anything is written.
 * @module
 */
import { getGroup } from '#shared/data/groups/group-repository.js';
import { UnprocessableError } from '#shared/domain/errors.js';
import type { AssignmentGroup } from '#shared/domain/groups/group.js';

/** The problem answered when `code` names no active group; `field` is the request member that named it. */
export class UnknownGroupError extends UnprocessableError {
  constructor(code: string, field: string, retired: boolean) {
    const message = retired ? `Group '${code}' is retired.` : `Group '${code}' does not exist.`;
    super(`${message} Dispatch only to an active assignment group (GET /groups).`, { group: code, errors: [{ field, message }] });
  }
}

/** The active group `code` of `tenantId`; {@link UnknownGroupError} (422) naming `field` otherwise. */
export async function requireActiveGroup(tenantId: string, code: string, field: string): Promise<AssignmentGroup> {
  const group = await getGroup(tenantId, code);
  if (group?.status !== 'active') throw new UnknownGroupError(code, field, group !== null);
  return group;
}

/**
 * The same check for several codes at once (a policy naming groups in many
 * levels): one GetItem per distinct code, in parallel. `named` pairs each
 * code with its field.
 */
export async function requireActiveGroups(tenantId: string, named: readonly { code: string; field: string }[]): Promise<void> {
  const firstField = new Map<string, string>();
  for (const { code, field } of named) if (!firstField.has(code)) firstField.set(code, field);
  await Promise.all([...firstField].map(([code, field]) => requireActiveGroup(tenantId, code, field)));
}
