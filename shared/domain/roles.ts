/**
 * Roles and what each may do. Roles come from the verified token only
 * (Cognito groups); the hierarchy means a manager can do what an agent can.
 * @module
 */

/** The roles inside a tenant: what a tenant admin may grant (Cognito groups of the tenant's users). */
export const ROLES = ['requester', 'agent', 'manager', 'tenant-admin'] as const;
export type TenantRole = (typeof ROLES)[number];

/**
 * The platform operator: onboards, suspends, exports and deletes tenants,
 * and belongs to none. Its token carries no `custom:tenantId`; the
 * authorizer gives it the reserved {@link PLATFORM_SCOPE} as its tenant and
 * only this role, so no tenant route admits it and its data calls reach only
 * platform keys. It is not in {@link ROLES}: no tenant admin can grant it.
 */
export const PLATFORM_OPERATOR = 'platform-operator';
export type Role = TenantRole | typeof PLATFORM_OPERATOR;

/**
 * The tenant id of the platform's own records (the tenant register): a
 * reserved id no tenant may take, so platform keys start with
 * `TENANT#platform#` and the tenant wall (scope guard, IAM LeadingKeys)
 * confines the operator's calls exactly as it confines a tenant's.
 */
export const PLATFORM_SCOPE = 'platform';

/** Roles implied by each role: a tenant admin is also a manager and an agent; the operator implies no tenant role. */
const IMPLIED: Record<Role, readonly Role[]> = {
  requester: ['requester'],
  agent: ['agent'],
  manager: ['manager', 'agent'],
  'tenant-admin': ['tenant-admin', 'manager', 'agent'],
  [PLATFORM_OPERATOR]: [PLATFORM_OPERATOR],
};

/** Who is calling, as established by the authorizer. */
export interface Actor {
  readonly tenantId: string;
  readonly userId: string;
  readonly roles: readonly Role[];
}

/** A tenant role (never the operator's). */
export function isRole(value: string): value is TenantRole {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether the actor is the platform operator (outside every tenant). */
export function isPlatformOperator(actor: Pick<Actor, 'tenantId' | 'roles'>): boolean {
  return actor.tenantId === PLATFORM_SCOPE && actor.roles.includes(PLATFORM_OPERATOR);
}

/** Whether the actor holds `role`, directly or through the hierarchy. */
export function hasRole(actor: Pick<Actor, 'roles'>, role: Role): boolean {
  return actor.roles.some((held) => IMPLIED[held].includes(role));
}

/** Agents and above work the tenant's whole queue; requesters only their own tickets. */
export function isStaff(actor: Pick<Actor, 'roles'>): boolean {
  return hasRole(actor, 'agent');
}
