/**
 * Request and response schemas of the problem API (validation and the
 * OpenAPI document from the same source).
 * @module
 */
import * as z from 'zod';
import { PROBLEM_ACTIONS, PROBLEM_STATUSES, RCA_METHODS } from '#shared/domain/problems/problem.js';
import { ProblemSettings } from '#shared/domain/problems/problem-settings.js';
import { Identifier, PageCursor, PageLimit, pageOf } from '#shared/http/common-schemas.js';

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
const Impact = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).meta({ description: '1 = whole business … 4 = one user' });
const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);
const Timestamp = z.string().meta({ example: '2026-11-22T09:30:00.000Z' });

/** A problem is addressed by its id (a ULID, or `<testId>-PRB` for one a continuity test opened) or its number. */
export const ProblemIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^([0-9A-HJKMNP-TV-Z]{26}(-PRB)?|PRB\d{7,})$/)
    .meta({ description: 'Id or number (PRB0001001)', example: 'PRB0001001' }),
});
export const IncidentIdOnlyParams = z.strictObject({ id: Ulid.meta({ description: 'Incident id (ULID)' }) });

export const CreateProblemBody = z
  .strictObject({
    title: text(200),
    description: text(10_000),
    category: text(100).nullable().optional(),
    serviceId: Identifier.nullable().optional(),
    ciIds: z.array(Identifier).max(20).optional(),
    impact: Impact.optional().meta({ description: 'Given at once, the problem starts assessed' }),
    incidentIds: z.array(Ulid).max(50).optional().meta({ description: 'Incidents to link (raised from incidents)' }),
  })
  .meta({ id: 'CreateProblem' });

export const ListProblemsQuery = z.strictObject({ status: z.enum(PROBLEM_STATUSES).optional(), limit: PageLimit, cursor: PageCursor });
export const HistoryQuery = z.strictObject({ limit: PageLimit, cursor: PageCursor });

export const ReasonBody = z.strictObject({ reason: text(2_000) }).meta({ id: 'ProblemReason' });
export const AssessBody = z.strictObject({ impact: Impact }).meta({ id: 'AssessProblem' });
export const RootCauseBody = z
  .strictObject({
    method: z.enum(RCA_METHODS),
    summary: text(2_000),
    findings: z.array(text(2_000)).min(1).max(20).meta({ description: 'The steps of the analysis (each why, each bone …)' }),
    contributingCiIds: z.array(Identifier).max(20).optional(),
  })
  .meta({ id: 'RecordRootCause' });
export const KnownErrorBody = z
  .strictObject({ symptoms: text(4_000), workaround: text(10_000), cause: text(4_000).optional().meta({ description: 'Defaults to the root cause summary' }) })
  .meta({ id: 'PublishKnownError' });
export const ResolveProblemBody = z
  .strictObject({ changeId: Ulid.meta({ description: 'The change that carries the permanent fix' }), notes: text(4_000) })
  .meta({ id: 'ResolveProblem' });
export const CloseProblemBody = z.strictObject({ note: text(2_000).optional() }).meta({ id: 'CloseProblem' });
export const EmptyBody = z.strictObject({}).optional();
export const LinkIncidentsBody = z.strictObject({ incidentIds: z.array(Ulid).min(1).max(50) }).meta({ id: 'LinkIncidents' });

const LinkedIncident = z.object({ id: z.string(), number: z.string(), ciId: z.string().nullable(), linkedAt: Timestamp });

export const ProblemResource = z
  .object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.string().nullable(),
    status: z.enum(PROBLEM_STATUSES),
    impact: z.number().int().nullable(),
    frequencyBand: z.number().int().nullable().meta({ description: '1 = ≥ 10 linked incidents in 90 days, 2 = ≥ 5, 3 = ≥ 2, 4 = fewer' }),
    priority: z.number().int().nullable().meta({ description: 'ceil((impact + frequency band) / 2); null until assessed' }),
    serviceId: z.string().nullable(),
    ciIds: z.array(z.string()),
    source: z.object({ kind: z.enum(['agent', 'incidents', 'trend', 'continuity_test']) }).loose(),
    incidents: z.array(LinkedIncident),
    changeIds: z.array(z.string()),
    rootCause: z
      .object({
        method: z.enum(RCA_METHODS),
        summary: z.string(),
        findings: z.array(z.string()),
        contributingCiIds: z.array(z.string()),
        identifiedAt: Timestamp,
        identifiedBy: z.string(),
      })
      .nullable(),
    knownError: z
      .object({
        symptoms: z.string(),
        cause: z.string(),
        workaround: z.string(),
        status: z.enum(['active', 'fixed']),
        publishedAt: Timestamp,
        publishedBy: z.string(),
        revision: z.number().int(),
      })
      .nullable(),
    fix: z.object({ changeId: z.string(), notes: z.string(), resolvedAt: Timestamp, verifyUntil: Timestamp }).nullable(),
    closure: z.object({ note: z.string().nullable(), closedAt: Timestamp, closedBy: z.string() }).nullable(),
    cancellation: z.object({ reason: z.string(), by: z.string() }).nullable(),
    allowedActions: z.array(z.enum(PROBLEM_ACTIONS)),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp,
    updatedBy: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'Problem' });

export const ProblemSummaryResource = z
  .object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    status: z.enum(PROBLEM_STATUSES),
    priority: z.number().int().nullable().optional(),
    serviceId: z.string().nullable().optional(),
    category: z.string().nullable().optional(),
    createdAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'ProblemSummary' });
export const ProblemPage = pageOf(ProblemSummaryResource, 'ProblemPage');
export const ProblemLinkPage = pageOf(z.object({ problemId: z.string(), problemNumber: z.string(), linkedAt: Timestamp }), 'ProblemLinkPage');

export const ProblemSettingsResource = ProblemSettings.extend({
  version: z.number().int(),
  updatedAt: Timestamp.nullable(),
  updatedBy: z.string().nullable(),
}).meta({
  id: 'ProblemSettingsResource',
});
