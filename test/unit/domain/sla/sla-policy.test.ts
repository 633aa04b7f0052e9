/** Which SLA of a policy applies to an incident, and whose calendar counts. */
import { describe, expect, it } from 'vitest';
import { businessCalendarSchema } from '#shared/domain/sla/business-calendar.js';
import { defaultSlaDefinition } from '#shared/domain/sla/sla-definition.js';
import { defaultSlaPolicy, type SlaPolicy, type SlaSubject, selectSla, slaPolicySchema } from '#shared/domain/sla/sla-policy.js';

const calendar = (timeZone: string) => businessCalendarSchema.parse({ timeZone, alwaysOpen: true });
const named = (name: string, appliesTo?: SlaPolicy['definitions'][number]['appliesTo']) => ({
  ...defaultSlaDefinition(calendar('UTC')),
  name,
  ...(appliesTo ? { appliesTo } : {}),
});
const policy: SlaPolicy = {
  definitions: [
    named('erp', { serviceIds: ['erp'] }),
    named('vip urgent', { customerIds: ['vip'], priorities: [1, 2] }),
    named('hardware', { categories: ['hardware'], priorities: [3, 4, 5] }),
    named('rest'),
  ],
  calendarOverrides: [
    { serviceId: 'erp', calendar: calendar('Europe/Berlin') },
    { customerId: 'vip', calendar: calendar('Asia/Tokyo') },
  ],
};
const subject = (overrides: Partial<SlaSubject> = {}): SlaSubject => ({ priority: 3, serviceId: null, category: 'network', customerId: null, ...overrides });

describe('selectSla', () => {
  it.each([
    { name: 'service match', subject: subject({ serviceId: 'erp' }), sla: 'erp', zone: 'Europe/Berlin', source: 'service' },
    {
      name: 'service match, customer calendar wins',
      subject: subject({ serviceId: 'erp', customerId: 'vip' }),
      sla: 'erp',
      zone: 'Asia/Tokyo',
      source: 'customer',
    },
    {
      name: 'customer and priority both hold',
      subject: subject({ customerId: 'vip', priority: 2 }),
      sla: 'vip urgent',
      zone: 'Asia/Tokyo',
      source: 'customer',
    },
    {
      name: 'customer holds, priority does not (AND)',
      subject: subject({ customerId: 'vip', priority: 3 }),
      sla: 'rest',
      zone: 'Asia/Tokyo',
      source: 'customer',
    },
    { name: 'category and priority', subject: subject({ category: 'hardware', priority: 4 }), sla: 'hardware', zone: 'UTC', source: 'sla' },
    { name: 'category, wrong priority', subject: subject({ category: 'hardware', priority: 1 }), sla: 'rest', zone: 'UTC', source: 'sla' },
    { name: 'a condition on a missing attribute does not hold', subject: subject({ serviceId: null }), sla: 'rest', zone: 'UTC', source: 'sla' },
  ])('$name → $sla in $zone ($source)', ({ subject: s, sla, zone, source }) => {
    const applied = selectSla(policy, s);
    expect(applied?.definition.name).toBe(sla);
    expect(applied?.definition.calendar.timeZone).toBe(zone);
    expect(applied?.calendarSource.kind).toBe(source);
  });

  it('none applies: no SLA', () => {
    expect(selectSla({ definitions: [named('erp', { serviceIds: ['erp'] })], calendarOverrides: [] }, subject())).toBeNull();
  });

  it('the default policy applies the standard SLA to everything', () => {
    expect(selectSla(defaultSlaPolicy(), subject({ priority: 5 }))).toMatchObject({ index: 0, definition: { name: 'Standard incident SLA' } });
  });

  it('validates: unique names, one override per service or customer, exactly one of serviceId and customerId', () => {
    expect(slaPolicySchema.safeParse(policy).success).toBe(true);
    expect(slaPolicySchema.safeParse({ definitions: [named('a'), named('a')] }).success).toBe(false);
    expect(slaPolicySchema.safeParse({ definitions: [named('a')], calendarOverrides: [{ calendar: calendar('UTC') }] }).success).toBe(false);
    expect(
      slaPolicySchema.safeParse({ definitions: [named('a')], calendarOverrides: [{ serviceId: 's', customerId: 'c', calendar: calendar('UTC') }] }).success,
    ).toBe(false);
    expect(slaPolicySchema.safeParse({ definitions: [] }).success).toBe(false);
  });
});
