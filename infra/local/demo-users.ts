/**
 * The demo tenants and their users, one per role.
 * @module
 */
import type { LocalUser } from './token-issuer.js';

export const DEMO_TENANTS = [
  { tenantId: 'acme', name: 'Acme Corp' },
  { tenantId: 'globex', name: 'Globex Inc' },
] as const;

const PEOPLE = [
  { suffix: 'requester', name: 'Rita Requester', roles: ['requester'] },
  { suffix: 'agent', name: 'Alex Agent', roles: ['agent'] },
  { suffix: 'manager', name: 'Morgan Manager', roles: ['manager'] },
  { suffix: 'admin', name: 'Ada Admin', roles: ['tenant-admin'] },
] as const;

/** Every demo user: `<tenant>-<role>`, e.g. `acme-agent`. */
export const DEMO_USERS: readonly LocalUser[] = DEMO_TENANTS.flatMap(({ tenantId }) =>
  PEOPLE.map((person) => ({
    userId: `${tenantId}-${person.suffix}`,
    tenantId,
    name: person.name,
    email: `${person.suffix}@${tenantId}.example`,
    roles: [...person.roles],
  })),
);

/** The platform operator (no tenant): `POST /tenants` and the rest of the tenant life cycle. */
export const DEMO_OPERATOR: LocalUser = { userId: 'platform-operator', name: 'Pat Operator', email: 'operator@platform.example', roles: ['platform-operator'] };

export function demoUser(userId: string): LocalUser {
  if (userId === DEMO_OPERATOR.userId) return DEMO_OPERATOR;
  const user = DEMO_USERS.find((candidate) => candidate.userId === userId);
  if (!user) throw new Error(`No demo user ${userId}`);
  return user;
}
