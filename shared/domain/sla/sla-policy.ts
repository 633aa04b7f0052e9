/**
 * A tenant's service-level policy: its SLA definitions, in order, each
 * saying which incidents it applies to (priority, service, category,
 * customer), and calendar overrides per service or customer. The first
 * definition that applies to an incident is its SLA; its calendar is the
 * customer's override if there is one, else the service's, else the SLA's
 * own (a customer's contract hours are the most specific promise).
 *
 * The incident's current attributes choose, and its clocks are replayed
 * from its whole history under the chosen definition, so moving an incident
 * to another service or priority swaps its SLA without losing paused time.
 * @module
 */
import * as z from 'zod';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import type { Priority } from '#shared/domain/incidents/priority-matrix.js';
import { type BusinessCalendarConfig, businessCalendarSchema } from './business-calendar.js';
import { defaultSlaDefinition, type SlaDefinition, slaDefinitionSchema } from './sla-definition.js';

const safeId = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -');

const calendarOverrideSchema = z
  .strictObject({ serviceId: safeId.optional(), customerId: safeId.optional(), calendar: businessCalendarSchema })
  .refine((override) => (override.serviceId === undefined) !== (override.customerId === undefined), 'Give exactly one of serviceId and customerId.');

/** The policy as a tenant admin saves it. */
export const slaPolicySchema = z
  .strictObject({
    definitions: z.array(slaDefinitionSchema).min(1).max(50),
    calendarOverrides: z.array(calendarOverrideSchema).max(500).default([]),
  })
  .refine((policy) => new Set(policy.definitions.map((definition) => definition.name)).size === policy.definitions.length, {
    message: 'Definition names must be unique.',
    path: ['definitions'],
  })
  .refine(
    (policy) =>
      new Set(policy.calendarOverrides.map((override) => `${override.serviceId ? 's' : 'c'}:${override.serviceId ?? override.customerId}`)).size ===
      policy.calendarOverrides.length,
    { message: 'One override per service and per customer.', path: ['calendarOverrides'] },
  );

export type SlaPolicy = z.output<typeof slaPolicySchema>;
export type CalendarOverride = SlaPolicy['calendarOverrides'][number];

/** The seed policy of a new tenant: the standard SLA for every incident. */
export function defaultSlaPolicy(calendar?: BusinessCalendarConfig): SlaPolicy {
  return { definitions: [defaultSlaDefinition(calendar)], calendarOverrides: [] };
}

/** The incident attributes an SLA is chosen by. */
export interface SlaSubject {
  readonly priority: Priority;
  readonly serviceId: string | null;
  readonly category: string;
  readonly customerId: string | null;
}

/** Where the calendar in force came from. */
export type CalendarSource = { readonly kind: 'sla' } | { readonly kind: 'customer' | 'service'; readonly id: string };

/** The SLA of an incident: the definition (with the calendar in force) and why. */
export interface AppliedSla {
  readonly definition: SlaDefinition;
  /** Its position in the policy. */
  readonly index: number;
  readonly calendarSource: CalendarSource;
}

/** Whether `definition` applies to `subject`. */
export function appliesTo(definition: SlaDefinition, subject: SlaSubject): boolean {
  const conditions = definition.appliesTo;
  if (!conditions) return true;
  const matches = <T>(values: readonly T[] | undefined, value: T | null) => values === undefined || (value !== null && values.includes(value));
  return (
    matches(conditions.priorities, subject.priority) &&
    matches(conditions.serviceIds, subject.serviceId) &&
    matches(conditions.categories, subject.category) &&
    matches(conditions.customerIds, subject.customerId)
  );
}

/** The first definition of `policy` that applies to `subject`, with its calendar in force; null when none does (no SLA). */
export function selectSla(policy: SlaPolicy, subject: SlaSubject): AppliedSla | null {
  const index = policy.definitions.findIndex((definition) => appliesTo(definition, subject));
  const definition = policy.definitions[index];
  if (!definition) return null;
  const byCustomer = subject.customerId !== null ? policy.calendarOverrides.find((override) => override.customerId === subject.customerId) : undefined;
  const byService = subject.serviceId !== null ? policy.calendarOverrides.find((override) => override.serviceId === subject.serviceId) : undefined;
  if (byCustomer)
    return { definition: { ...definition, calendar: byCustomer.calendar }, index, calendarSource: { kind: 'customer', id: byCustomer.customerId as string } };
  if (byService)
    return { definition: { ...definition, calendar: byService.calendar }, index, calendarSource: { kind: 'service', id: byService.serviceId as string } };
  return { definition, index, calendarSource: { kind: 'sla' } };
}
