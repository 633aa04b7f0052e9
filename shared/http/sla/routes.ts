/**
 * Routes of service levels: the SLA and escalation policies. Handlers import their practice's routes
 * only, so a function loads the schemas it serves and no others.
 * @module
 */

import { ANY_ROLE, defineRoute, READ_PROBLEMS, WRITE_PROBLEMS } from '#shared/http/route.js';
import { EscalationPolicyBody, EscalationPolicyResource, SlaPolicyBody, SlaPolicyResource } from './schemas.js';

export const slaRoutes = {
  getSlaPolicy: defineRoute({
    operationId: 'getSlaPolicy',
    method: 'GET',
    path: '/settings/sla',
    summary: "The tenant's service-level policy",
    description:
      'The SLA definitions in order, each with the incidents it applies to (priority, service, category, customer), targets per priority for response and resolution, its business calendar, pause conditions and warning thresholds; and calendar overrides per service or customer. The standard SLA for every incident until a tenant admin saves a policy.',
    tag: 'Settings',
    roles: ANY_ROLE,
    response: { status: 200, description: 'The policy in force', schema: SlaPolicyResource },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'sla/get-sla-policy',
  }),
  putSlaPolicy: defineRoute({
    operationId: 'putSlaPolicy',
    method: 'PUT',
    path: '/settings/sla',
    summary: "Replace the tenant's service-level policy",
    description:
      "Tenant admins only. The first definition that applies to an incident is its SLA; a customer's calendar override wins over its service's, which wins over the SLA's own calendar. Clocks are derived from each incident's history, so every clock follows the new policy at once, with no pause time lost.",
    tag: 'Settings',
    roles: ['tenant-admin'],
    body: SlaPolicyBody,
    response: { status: 200, description: 'The policy now in force', schema: SlaPolicyResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'sla/put-sla-policy',
  }),
  getEscalationPolicy: defineRoute({
    operationId: 'getEscalationPolicy',
    method: 'GET',
    path: '/settings/escalation',
    summary: "The tenant's escalation policy",
    description:
      'Ordered levels: each follows the response or resolution clock and is reached at a fraction of its target or an elapsed business time; functional levels reassign the incident to a group, hierarchical ones notify roles or users (`IncidentEscalated`), optionally repeated and held to a calendar except for urgent priorities. The seed policy until a tenant admin saves one.',
    tag: 'Settings',
    roles: ANY_ROLE,
    response: { status: 200, description: 'The policy in force', schema: EscalationPolicyResource },
    problems: READ_PROBLEMS,
    access: 'read',
    handler: 'sla/get-escalation-policy',
  }),
  putEscalationPolicy: defineRoute({
    operationId: 'putEscalationPolicy',
    method: 'PUT',
    path: '/settings/escalation',
    summary: "Replace the tenant's escalation policy",
    description: 'Tenant admins only. Running escalation workflows apply the new levels at their next wake-up.',
    tag: 'Settings',
    roles: ['tenant-admin'],
    body: EscalationPolicyBody,
    response: { status: 200, description: 'The policy now in force', schema: EscalationPolicyResource },
    problems: WRITE_PROBLEMS,
    conditional: true,
    access: 'write',
    handler: 'sla/put-escalation-policy',
  }),
} as const;
