/**
 * Request and response schemas of the change and release API; they validate
 * requests and generate the OpenAPI document.
 * @module
 */
import * as z from 'zod';
import { APPROVAL_DECISIONS, APPROVAL_STATUSES, approvalSettingsSchema } from '#shared/domain/changes/change-approval.js';
import { changeCalendarSettingsSchema } from '#shared/domain/changes/change-calendar.js';
import { CHANGE_ACTIONS, CHANGE_STATUSES, CHANGE_TYPES } from '#shared/domain/changes/change-lifecycle.js';
import { changeModelSchema } from '#shared/domain/changes/change-model.js';
import { RISK_LEVELS } from '#shared/domain/changes/change-risk.js';
import { RELEASE_STATUSES } from '#shared/domain/changes/release.js';
import { Identifier, PageCursor, PageLimit, pageOf } from '#shared/http/common-schemas.js';

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
const Instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .meta({ example: '2030-11-28T22:00:00Z' });
const Timestamp = z.string().meta({ example: '2026-11-22T09:30:00.000Z' });
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A change is addressed by its ULID or its number. */
export const ChangeIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^([0-9A-HJKMNP-TV-Z]{26}|CHG\d{7,})$/)
    .meta({ description: 'ULID or number (CHG0001001)', example: 'CHG0001001' }),
});

export const CreateChangeBody = z
  .strictObject({
    type: z.enum(CHANGE_TYPES),
    title: text(200),
    description: text(10_000),
    justification: text(5_000),
    category: text(100).optional().meta({ description: 'From the template for standard changes' }),
    templateId: Identifier.optional().meta({ description: 'Standard changes: the pre-approved template (GET /settings/change-model)' }),
    implementationPlan: text(10_000).optional(),
    testPlan: text(10_000).optional(),
    backoutPlan: text(10_000).optional(),
    ciIds: z.array(Identifier).max(100).default([]).meta({ description: 'Affected configuration items (CMDB CI ids)' }),
    serviceIds: z.array(Identifier).max(50).default([]),
    plannedStart: Instant.meta({ description: 'Must not be in the past (a minute of grace), unless `retrospective`' }),
    plannedEnd: Instant.meta({ description: 'After plannedStart' }),
    retrospective: z.boolean().default(false).meta({
      description:
        'Emergency changes only: a record of a change already made (retrospective approval), so the window has begun and may lie wholly in the past. Audited and shown on the record.',
    }),
  })
  .meta({ id: 'CreateChange' });

export const AssessChangeBody = z
  .strictObject({
    impact: text(5_000),
    resources: text(5_000),
    riskAnswers: z.record(Identifier, Identifier).meta({ description: 'Question id → option id, for every question of the risk questionnaire' }),
    continuityImpact: z.boolean().meta({ description: 'Does the change affect a continuity plan?' }),
    continuityPlanIds: z.array(Identifier).max(50).optional(),
    notes: text(5_000).nullable().optional(),
  })
  .meta({ id: 'AssessChange' });

export const ApprovalBody = z
  .strictObject({ decision: z.enum(APPROVAL_DECISIONS), comment: text(2_000).nullable().optional() })
  .meta({ id: 'ApprovalDecision' });
export const ImplementationBody = z.strictObject({ result: z.enum(['success', 'failed']), notes: text(10_000) }).meta({ id: 'ImplementationReport' });
export const CloseChangeBody = z.strictObject({ notes: text(10_000).meta({ description: 'The post-implementation review' }) }).meta({ id: 'CloseChange' });
export const CancelChangeBody = z.strictObject({ reason: text(2_000) }).meta({ id: 'CancelChange' });

export const ListChangesQuery = z
  .strictObject({
    status: z.enum(CHANGE_STATUSES).optional(),
    requester: Identifier.optional(),
    from: Instant.optional().meta({ description: 'Planned start at or after' }),
    to: Instant.optional().meta({ description: 'Planned start before' }),
    limit: PageLimit,
    cursor: PageCursor,
  })
  .refine((query) => !(query.status && query.requester), { message: 'Choose one list: status or requester' });

const Conflict = z.record(z.string(), z.unknown()).meta({ description: 'kind (ci_overlap, blackout, outside_maintenance_window), message and details' });

const ApprovalResource = z.object({
  status: z.enum(APPROVAL_STATUSES),
  currentLevel: z.number().int().meta({ description: '1-based level being decided (levels + 1 once approved)' }),
  freezeOverride: z.boolean(),
  timeoutHours: z.number(),
  onTimeout: z.enum(['escalate', 'expire']),
  escalations: z.number().int(),
  levels: z.array(
    z.object({
      name: z.string(),
      approvers: z.object({ users: z.array(z.string()), roles: z.array(z.string()) }),
      rule: z.record(z.string(), z.unknown()),
      required: z.number().int(),
      outcome: z.enum(['pending', 'approved', 'rejected']),
    }),
  ),
  decisions: z.array(
    z.object({
      level: z.number().int(),
      approverId: z.string(),
      actorId: z.string(),
      decision: z.enum(APPROVAL_DECISIONS),
      comment: z.string().nullable(),
      at: Timestamp,
    }),
  ),
});

export const ChangeResource = z
  .object({
    id: z.string(),
    number: z.string(),
    type: z.enum(CHANGE_TYPES),
    category: z.string(),
    title: z.string(),
    description: z.string(),
    justification: z.string(),
    implementationPlan: z.string(),
    testPlan: z.string(),
    backoutPlan: z.string(),
    templateId: z.string().nullable(),
    ciIds: z.array(z.string()),
    serviceIds: z.array(z.string()),
    plannedStart: Timestamp,
    plannedEnd: Timestamp,
    retrospective: z.boolean().meta({ description: 'A record of an emergency change made before it was raised: its window was accepted in the past' }),
    requesterId: z.string(),
    status: z.enum(CHANGE_STATUSES),
    risk: z.enum(RISK_LEVELS).nullable(),
    riskScore: z.number().nullable(),
    assessment: z.record(z.string(), z.unknown()).nullable(),
    continuityImpact: z.boolean(),
    approval: ApprovalResource.nullable(),
    overriddenConflicts: z.array(Conflict),
    scheduledAt: Timestamp.nullable(),
    implementation: z.object({ result: z.enum(['success', 'failed']), notes: z.string(), reportedBy: z.string(), at: Timestamp }).nullable(),
    rolledBack: z.boolean(),
    review: z.object({ notes: z.string(), reviewedBy: z.string(), at: Timestamp }).nullable(),
    cancellation: z.object({ reason: z.string(), cancelledBy: z.string() }).nullable(),
    awaiting: z
      .object({ kind: z.enum(['approval', 'implementation']), level: z.number().int().nullable(), since: Timestamp, answered: z.boolean() })
      .nullable()
      .meta({ description: 'The workflow step waiting for a person, if any' }),
    releaseId: z.string().nullable(),
    allowedActions: z.array(z.enum(CHANGE_ACTIONS)),
    statusChangedAt: z.record(z.string(), Timestamp),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp,
    updatedBy: z.string(),
    version: z.number().int().meta({ description: 'Also sent as the ETag; send it back in If-Match' }),
  })
  .meta({ id: 'Change' });

export const ChangeSummaryResource = ChangeResource.pick({
  id: true,
  number: true,
  title: true,
  type: true,
  category: true,
  status: true,
  risk: true,
  continuityImpact: true,
  ciIds: true,
  serviceIds: true,
  plannedStart: true,
  plannedEnd: true,
  requesterId: true,
  rolledBack: true,
  releaseId: true,
  createdAt: true,
  updatedAt: true,
  version: true,
}).meta({ id: 'ChangeSummary' });

export const ChangePage = pageOf(ChangeSummaryResource, 'ChangePage');

export const CalendarQuery = z
  .strictObject({
    from: Instant,
    to: Instant,
    ci: Identifier.optional().meta({ description: 'Only entries touching this CI (and unscoped freezes)' }),
    format: z.enum(['json', 'ics']).default('json').meta({ description: 'ics: an iCalendar feed (text/calendar)' }),
  })
  .refine((query) => query.to > query.from, { message: 'to must be after from', path: ['to'] })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= 92 * 86_400_000, { message: 'At most 92 days at once', path: ['to'] });

const CalendarEntryResource = z.object({
  kind: z.enum(['change', 'blackout', 'maintenance_window']),
  id: z.string(),
  title: z.string(),
  start: Timestamp,
  end: Timestamp,
  ciIds: z.array(z.string()),
  serviceIds: z.array(z.string()),
  status: z.enum(CHANGE_STATUSES).optional(),
  type: z.enum(CHANGE_TYPES).optional(),
});
export const CalendarResource = z.object({ from: Timestamp, to: Timestamp, entries: z.array(CalendarEntryResource) }).meta({ id: 'ChangeCalendar' });

export const CanDeployQuery = z.strictObject({
  ci: Identifier,
  at: Instant.optional().meta({ description: 'Default: now' }),
  service: z
    .union([Identifier, z.array(Identifier)])
    .optional()
    .meta({ description: 'Services the CI belongs to (their freezes and windows count too)' }),
  change: z.string().regex(ULID).optional().meta({ description: "The pipeline's own change (ignored as a conflict)" }),
});
export const CanDeployResource = z
  .object({ ci: z.string(), at: Timestamp, allowed: z.boolean(), answer: z.enum(['yes', 'no']), reasons: z.array(Conflict) })
  .meta({ id: 'CanDeploy' });

export const ApprovalSettingsBody = z.strictObject({ settings: approvalSettingsSchema }).meta({ id: 'ChangeApprovalSettingsUpdate' });
export const CalendarSettingsBody = z.strictObject({ settings: changeCalendarSettingsSchema }).meta({ id: 'ChangeCalendarSettingsUpdate' });
export const ChangeModelBody = z.strictObject({ settings: changeModelSchema }).meta({ id: 'ChangeModelUpdate' });
export const SettingResource = z
  .object({
    settings: z.record(z.string(), z.unknown()).meta({ description: 'As sent in PUT, with defaults filled in' }),
    version: z.number().int().meta({ description: '0 while the default applies; also the ETag' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'ChangeSetting' });

export const MetricsQuery = z
  .strictObject({ from: Instant, to: Instant })
  .refine((query) => query.to > query.from, { message: 'to must be after from', path: ['to'] })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= 400 * 86_400_000, { message: 'At most 400 days at once', path: ['to'] });
const Rate = z.object({
  total: z.number().int().meta({ description: 'Finished in the period: implemented (reviewed or closed) or rolled back' }),
  rolledBack: z.number().int(),
  successRate: z.number().nullable().meta({ description: '1 − rolledBack / total; null without any' }),
});
export const MetricsResource = z.object({ from: Timestamp, to: Timestamp, changes: Rate, releases: Rate }).meta({ id: 'ChangeMetrics' });

/** A release is addressed by its ULID or its number. */
export const ReleaseIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^([0-9A-HJKMNP-TV-Z]{26}|REL\d{7,})$/)
    .meta({ description: 'ULID or number (REL0001001)', example: 'REL0001001' }),
});

const Stage = z.strictObject({ name: z.enum(['pilot', 'full']), ciIds: z.array(Identifier).max(200).default([]), notes: text(2_000).optional() });

export const CreateReleaseBody = z
  .strictObject({
    title: text(200),
    description: text(10_000),
    softwareVersion: text(64).meta({ description: 'The version this release deploys; written to the CIs on success', example: '2.4.0' }),
    changeIds: z.array(z.string().regex(ULID)).min(1).max(50).meta({ description: 'Approved changes (scheduled or later) the release groups' }),
    deploymentPlan: z.array(Stage).min(1).max(2).meta({ description: 'Pilot, then full' }),
    rollbackPlan: text(10_000),
    plannedStart: Instant,
    plannedEnd: Instant,
  })
  .meta({ id: 'CreateRelease' });
export const DeployReleaseBody = z.strictObject({ stage: z.enum(['pilot', 'full']), notes: text(2_000).optional() }).meta({ id: 'DeployRelease' });
export const CompleteReleaseBody = z.strictObject({ result: z.enum(['success', 'rolled_back']), report: text(10_000) }).meta({ id: 'CompleteRelease' });

export const ReleaseResource = z
  .object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    description: z.string(),
    softwareVersion: z.string(),
    changeIds: z.array(z.string()),
    deploymentPlan: z.array(z.object({ name: z.enum(['pilot', 'full']), ciIds: z.array(z.string()), notes: z.string().optional() })),
    rollbackPlan: z.string(),
    plannedStart: Timestamp,
    plannedEnd: Timestamp,
    status: z.enum(RELEASE_STATUSES),
    stagesDone: z.array(z.object({ stage: z.enum(['pilot', 'full']), at: Timestamp, by: z.string(), notes: z.string().nullable() })),
    result: z.enum(['success', 'rolled_back']).nullable(),
    report: z.string().nullable(),
    ciIds: z.array(z.string()),
    allowedActions: z.array(z.enum(['deploy', 'complete'])),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp,
    updatedBy: z.string(),
    version: z.number().int().meta({ description: 'Record version; also the ETag' }),
  })
  .meta({ id: 'Release' });
export const ReleasePage = pageOf(ReleaseResource, 'ReleasePage');
