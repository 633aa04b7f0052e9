/**
 * Request and response schemas of the availability and continuity API,
 * and of the improvement items and problem records failed tests open.
 * @module
 */

import * as z from 'zod';
import { DEFAULT_AVAILABILITY_TARGET } from '#shared/domain/continuity/availability.js';
import {
  MAX_TEST_FREQUENCY_MONTHS,
  PLAN_STATUSES,
  RECOVERY_FUNCTION_NAME,
  STEP_OUTCOMES,
  TEST_KINDS,
  TEST_STATUSES,
} from '#shared/domain/continuity/continuity-plan.js';
import { Identifier, PageCursor, PageLimit, PageQuery, pageOf } from '#shared/http/common-schemas.js';

const Timestamp = z.iso.datetime({ offset: true }).meta({ example: '2026-11-22T09:30:00.000Z' });
const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);

export const PlanIdParams = z.strictObject({ id: Ulid.meta({ description: 'Continuity plan id' }) });
export const TestIdParams = z.strictObject({ id: Ulid.meta({ description: 'Continuity test id' }) });
export const StepParams = z.strictObject({ id: Ulid, stepId: Identifier });
export const ServiceIdParams = z.strictObject({ id: Ulid.meta({ description: 'The business service (CI id)' }) });
/** Improvement items and problems opened by a test are named after it (`<testId>-IMP`). */
export const ActionRecordParams = z.strictObject({ id: Identifier });

const Contact = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.string().trim().min(1).max(200),
  phone: z.string().trim().max(50).nullable().default(null),
  email: z.email().nullable().default(null),
  escalationLevel: z.number().int().min(1).max(10).meta({ description: '1 is called first' }),
});

const ProbeStepInput = z.strictObject({
  id: Identifier,
  name: z.string().trim().min(1).max(200),
  kind: z.literal('probe'),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .meta({ description: 'https, no credentials, reaching public addresses only (checked when saved and at each run; 422 otherwise)' }),
  expectedStatus: z.number().int().min(100).max(599).default(200),
  timeoutSeconds: z.number().int().min(1).max(60).default(10),
  recoveryPointField: Identifier.nullable()
    .default(null)
    .meta({ description: 'A top-level member of the JSON answer holding the newest recovered data time: data loss is measured from it' }),
});

const FunctionStepInput = z.strictObject({
  id: Identifier,
  name: z.string().trim().min(1).max(200),
  kind: z.literal('function'),
  functionName: z
    .string()
    .regex(RECOVERY_FUNCTION_NAME, 'Use a recovery function of this account: itsm-recovery-<name>')
    .meta({ description: 'A Lambda function of the deploying account named itsm-recovery-…: a recovery runbook' }),
  payload: z
    .record(z.string(), z.unknown())
    .default({})
    .refine((payload) => JSON.stringify(payload).length <= 4096, 'At most 4 KB.')
    .meta({ description: 'Sent to the function, with tenantId, testId and stepId added' }),
  expect: z
    .record(z.string(), z.unknown())
    .default({})
    .meta({ description: 'Members the JSON answer must hold with these values for the step to pass (empty: every answer without a function error passes)' }),
  timeoutSeconds: z.number().int().min(1).max(60).default(30),
  recoveryPointField: Identifier.nullable().default(null),
});

const ManualStepInput = z.strictObject({
  id: Identifier,
  name: z.string().trim().min(1).max(200),
  kind: z.literal('manual'),
  instructions: z.string().trim().min(1).max(4000),
});

const StepInput = z.discriminatedUnion('kind', [ProbeStepInput, FunctionStepInput, ManualStepInput]);

export const CreatePlanBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    serviceId: Ulid.meta({ description: 'A CI of class business_service' }),
    rtoMinutes: z.number().int().min(1).max(525_600).meta({ description: 'Recovery time objective' }),
    rpoMinutes: z.number().int().min(0).max(525_600).meta({ description: 'Recovery point objective' }),
    availabilityTarget: z.number().gt(0).lt(100).default(DEFAULT_AVAILABILITY_TARGET),
    testFrequencyMonths: z.number().int().min(1).max(MAX_TEST_FREQUENCY_MONTHS).default(MAX_TEST_FREQUENCY_MONTHS),
    contacts: z.array(Contact).min(1).max(50),
    steps: z
      .array(StepInput)
      .min(1)
      .max(40)
      .refine((steps) => new Set(steps.map((step) => step.id)).size === steps.length, { message: 'Step ids must be unique' }),
  })
  .meta({ id: 'CreateContinuityPlan' });

const TestSummaryResource = z.object({
  id: z.string(),
  planId: z.string(),
  kind: z.enum(TEST_KINDS),
  trigger: z.enum(['on_demand', 'schedule']),
  status: z.enum(TEST_STATUSES),
  requestedAt: z.string(),
  completedAt: z.string().nullable(),
  recoveryMinutes: z.number().nullable(),
  dataLossMinutes: z.number().nullable(),
  version: z.number().int(),
});

export const PlanResource = z
  .object({
    id: z.string(),
    name: z.string(),
    serviceId: z.string(),
    rtoMinutes: z.number(),
    rpoMinutes: z.number(),
    availabilityTarget: z.number(),
    testFrequencyMonths: z.number(),
    contacts: z.array(Contact),
    steps: z.array(StepInput),
    status: z.enum(PLAN_STATUSES).meta({ description: 'test_overdue: current, but the next test is due' }),
    retestReason: z.string().nullable(),
    lastTestAt: z.string().nullable(),
    lastTestId: z.string().nullable(),
    lastTestOutcome: z.enum(['passed', 'failed']).nullable(),
    nextTestDue: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'ContinuityPlan' });

export const PlanDetailResource = PlanResource.extend({
  latestTests: z.array(TestSummaryResource).meta({ description: 'The latest tests (up to 20), newest first' }),
}).meta({ id: 'ContinuityPlanDetail' });

const PlanSummaryResource = z.object({
  id: z.string(),
  name: z.string(),
  serviceId: z.string(),
  status: z.enum(PLAN_STATUSES),
  rtoMinutes: z.number(),
  rpoMinutes: z.number(),
  lastTestAt: z.string().nullable(),
  lastTestOutcome: z.enum(['passed', 'failed']).nullable(),
  nextTestDue: z.string(),
  version: z.number().int(),
});

export const PlanPage = pageOf(PlanSummaryResource, 'ContinuityPlanPage');
export const PlanListQuery = z
  .strictObject({
    overdue: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true')
      .meta({ description: 'Only plans whose next test is due by `at`' }),
    at: Timestamp.optional().meta({ description: 'With overdue=true: due by this time; default now' }),
    limit: PageLimit,
    cursor: PageCursor,
  })
  .refine((query) => query.overdue || query.at === undefined, { message: '`at` needs overdue=true' });

export const ExportQuery = z.strictObject({ format: z.enum(['json', 'html']).default('json') });

export const ExportResource = z
  .object({
    exportedAt: z.string(),
    plan: PlanResource,
    service: z.object({ id: z.string(), name: z.string(), status: z.string() }).nullable(),
    impactedCis: z.array(z.object({ id: z.string(), name: z.string(), class: z.string(), depth: z.number().int() })),
  })
  .meta({ id: 'ContinuityPlanExport' });

export const RequestTestBody = z.strictObject({ kind: z.enum(TEST_KINDS).default('live') }).meta({ id: 'RequestContinuityTest' });

const StepResultResource = z.object({
  stepId: z.string(),
  outcome: z.enum(STEP_OUTCOMES),
  detail: z.string(),
  confirmedBy: z.string().nullable(),
  recoveryPoint: z.string().nullable(),
  finishedAt: z.string(),
});

export const TestResource = z
  .object({
    id: z.string(),
    planId: z.string(),
    serviceId: z.string(),
    kind: z.enum(TEST_KINDS),
    trigger: z.enum(['on_demand', 'schedule']),
    status: z.enum(TEST_STATUSES),
    rtoMinutes: z.number(),
    rpoMinutes: z.number(),
    steps: z.array(StepInput),
    requestedAt: z.string(),
    requestedBy: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    results: z.array(StepResultResource),
    recoveryMinutes: z.number().nullable(),
    dataLossMinutes: z.number().nullable(),
    failureReasons: z.array(z.string()),
    awaitingConfirmation: z.array(z.string()).meta({ description: 'Manual steps waiting for a person to confirm them' }),
    improvementItemId: z.string().nullable(),
    problemId: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'ContinuityTest' });

export const ConfirmStepBody = z
  .strictObject({
    outcome: z.enum(['passed', 'failed']),
    evidence: z.string().trim().min(1).max(4000).meta({ description: 'What shows the step was done (or why it failed)' }),
    recoveryPoint: Timestamp.nullable().default(null).meta({ description: 'For a restore: the time of the newest data recovered' }),
  })
  .meta({ id: 'ConfirmContinuityStep' });

export const ConfirmResource = z.object({ testId: z.string(), stepId: z.string(), outcome: z.enum(['passed', 'failed']), confirmedBy: z.string() });

export const AvailabilityQuery = z
  .strictObject({
    from: Timestamp,
    to: Timestamp,
    target: z.coerce.number().gt(0).lt(100).optional().meta({ description: "Default: the target of the service's continuity plan, else 99.9" }),
  })
  .refine((query) => Date.parse(query.to) > Date.parse(query.from), { message: '`to` must be after `from`' })
  .refine((query) => Date.parse(query.to) - Date.parse(query.from) <= 366 * 86_400_000, { message: 'At most 366 days' });

export const AvailabilityResource = z
  .object({
    serviceId: z.string(),
    from: z.string(),
    to: z.string(),
    periodMinutes: z.number(),
    downtimeMinutes: z.number(),
    availabilityPercent: z.number(),
    targetPercent: z.number(),
    targetMet: z.boolean(),
    outages: z.number().int(),
    mttrMinutes: z.number().nullable(),
    mtbfMinutes: z.number().nullable(),
    majorIncidents: z.array(z.object({ id: z.string(), number: z.string(), start: z.string(), restoredAt: z.string().nullable() })),
  })
  .meta({ id: 'ServiceAvailability' });

const ActionRecordSummary = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  serviceId: z.string(),
  createdAt: z.string(),
  version: z.number().int(),
});
export const ActionRecordPage = pageOf(ActionRecordSummary, 'ActionRecordPage');
export const ActionRecordListQuery = PageQuery;

export const ImprovementItemResource = ActionRecordSummary.extend({
  owner: z.string(),
  goal: z.string(),
  deadline: z.string(),
  expectedResult: z.string(),
  source: z.object({ kind: z.literal('continuity_test'), testId: z.string(), planId: z.string() }),
  problemId: z.string().nullable(),
  createdBy: z.string(),
}).meta({ id: 'ImprovementItem' });
