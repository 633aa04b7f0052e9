/**
 * Roles and what each may do. Roles come from the verified token only
 * (Cognito groups); the hierarchy means a manager can do what an agent can.
 * @module
 */

export const ROLES = ['requester', 'agent', 'manager', 'tenant-admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles implied by each role: a tenant admin is also a manager and an agent. */
const IMPLIED: Record<Role, readonly Role[]> = {
  requester: ['requester'],
  agent: ['agent'],
  manager: ['manager', 'agent'],
  'tenant-admin': ['tenant-admin', 'manager', 'agent'],
};

/** Who is calling, as established by the authorizer. */
export interface Actor {
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: readonly Role[];
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether the actor holds `role`, directly or through the hierarchy. */
export function hasRole(actor: Pick<Actor, 'roles'>, role: Role): boolean {
  return actor.roles.some((held) => IMPLIED[held].includes(role));
}

/** Agents and above work the tenant's whole queue; requesters only their own tickets. */
export function isStaff(actor: Pick<Actor, 'roles'>): boolean {
  return hasRole(actor, 'agent');
}
