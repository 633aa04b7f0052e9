/**
 * Schemas of the service-level settings: the SLA policy and the escalation policy.
 * @module
 */
import * as z from 'zod';
import { escalationPolicySchema } from '#shared/domain/sla/escalation-policy.js';
import { slaPolicySchema } from '#shared/domain/sla/sla-policy.js';
/** Body of `PUT /settings/sla`: the SLA definitions in order (the first that applies wins) and calendar overrides. */
export const SlaPolicyBody = slaPolicySchema.meta({ id: 'SlaPolicyUpdate' });

export const SlaPolicyResource = z
  .object({
    definitions: z.array(z.record(z.string(), z.unknown())).meta({ description: 'As sent in PUT, with defaults filled in' }),
    calendarOverrides: z.array(z.record(z.string(), z.unknown())),
    version: z.number().int().meta({ description: '0 while the standard SLA applies; also the ETag' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'SlaPolicy' });

/** Body of `PUT /settings/escalation`: the levels, in order. */
export const EscalationPolicyBody = escalationPolicySchema.meta({ id: 'EscalationPolicyUpdate' });

export const EscalationPolicyResource = z
  .object({
    levels: z.array(z.record(z.string(), z.unknown())).meta({ description: 'As sent in PUT, with defaults filled in' }),
    version: z.number().int().meta({ description: '0 while the seed policy applies; also the ETag' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'EscalationPolicy' });
