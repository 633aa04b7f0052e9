/**
 * Change approval (CAB): the tenant's approval settings, a policy per change
 * type that needs approval, on the shared approval rules
 * (`#shared/domain/approvals/approval-rules`: levels, quorum, delegation,
 * votes, timeouts), which this module re-exports for the change practice.
 * @module
 */
import * as z from 'zod';
import { approvalLevelSchema, approvalPolicySchema, delegationSchema } from '#shared/domain/approvals/approval-rules.js';

export * from '#shared/domain/approvals/approval-rules.js';

/** A tenant's approval settings: a policy per change type that needs approval, plus delegations. */
export const approvalSettingsSchema = z.strictObject({
  normal: approvalPolicySchema,
  emergency: approvalPolicySchema,
  /** The extra level an emergency change needs to override a freeze (blackout). */
  freezeOverride: approvalLevelSchema,
  delegations: z.array(delegationSchema).max(200).default([]),
});
export type ApprovalSettings = z.output<typeof approvalSettingsSchema>;

/** The default: a CAB of managers (2 of them) after a technical review; emergencies need one manager (ECAB). */
export function defaultApprovalSettings(): ApprovalSettings {
  return {
    normal: {
      levels: [
        { name: 'Technical review', approvers: { users: [], roles: ['agent'] }, rule: { kind: 'count', required: 1 } },
        { name: 'Change advisory board', approvers: { users: [], roles: ['manager'] }, rule: { kind: 'count', required: 2 } },
      ],
      timeoutHours: 72,
      onTimeout: 'escalate',
      escalateTo: { users: [], roles: ['tenant-admin'] },
    },
    emergency: {
      levels: [{ name: 'Emergency CAB', approvers: { users: [], roles: ['manager'] }, rule: { kind: 'count', required: 1 } }],
      timeoutHours: 4,
      onTimeout: 'escalate',
      escalateTo: { users: [], roles: ['tenant-admin'] },
    },
    freezeOverride: { name: 'Freeze override', approvers: { users: [], roles: ['tenant-admin'] }, rule: { kind: 'count', required: 1 } },
    delegations: [],
  };
}
