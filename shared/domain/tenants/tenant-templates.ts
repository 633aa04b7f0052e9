/**
 * What a new tenant starts with, copied from templates when the operator
 * creates it: the SLA policy on a business calendar in the tenant's own
 * time zone (office hours; 24×7 for the premium tier, which buys round-the
 * clock cover) and the default escalation policy. Each is written as a
 * real setting (version 1, audited, with its event), so the tenant admin
 * sees and edits it like any other and later changes of the code defaults
 * do not move a tenant's agreed terms under it.
 * @module
 */

import { officeHoursCalendar } from '#shared/domain/sla/business-calendar.js';
import { defaultEscalationPolicy, type EscalationPolicy } from '#shared/domain/sla/escalation-policy.js';
import { defaultSlaPolicy, type SlaPolicy } from '#shared/domain/sla/sla-policy.js';
import type { Tenant } from './tenant.js';

export interface TenantTemplates {
  readonly slaPolicy: SlaPolicy;
  readonly escalationPolicy: EscalationPolicy;
}

export function tenantTemplates(tenant: Pick<Tenant, 'tier' | 'timeZone'>): TenantTemplates {
  const calendar = tenant.tier === 'premium' ? { ...officeHoursCalendar(tenant.timeZone), alwaysOpen: true } : officeHoursCalendar(tenant.timeZone);
  return { slaPolicy: defaultSlaPolicy(calendar), escalationPolicy: defaultEscalationPolicy() };
}
