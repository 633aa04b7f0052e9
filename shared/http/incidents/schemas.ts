/**
 * Request and response schemas of the incident API. They validate requests
 * in the handlers and generate the OpenAPI document, so the two agree.
 * @module
 */
import * as z from 'zod';
import { CHANNELS, INCIDENT_TYPES, NOTE_VISIBILITIES, RESOLUTION_CODES } from '#shared/domain/incidents/incident.js';
import { HOLD_REASONS, INCIDENT_ACTIONS, INCIDENT_STATUSES } from '#shared/domain/incidents/incident-lifecycle.js';
import { CLOCK_CALENDARS } from '#shared/domain/sla/sla-definition.js';
import { Identifier, PageCursor, PageLimit, pageOf } from '#shared/http/common-schemas.js';
import { SuggestionsResource } from '#shared/http/knowledge/schemas.js';

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
const Level = z.union([z.literal(1), z.literal(2), z.literal(3)]).meta({ description: '1 = high, 3 = low' });

/** An incident is addressed by its ULID or by its number. */
export const IncidentIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^([0-9A-HJKMNP-TV-Z]{26}|INC\d{7,})$/)
    .meta({ description: 'ULID or number (INC0001001)', example: 'INC0001001' }),
});

export const CreateIncidentBody = z
  .strictObject({
    title: text(200),
    description: text(10_000),
    category: text(100).meta({ example: 'email' }),
    subcategory: text(100).nullable().optional(),
    type: z.enum(INCIDENT_TYPES),
    impact: Level,
    urgency: Level,
    majorIncident: z.boolean().optional(),
    channel: z.enum(CHANNELS).default('portal'),
    requesterId: Identifier.optional().meta({ description: 'Staff only: the user the incident is logged for' }),
    serviceId: Identifier.nullable().optional(),
    customerId: Identifier.nullable()
      .optional()
      .meta({ description: 'The customer (client organisation or department) served; chooses the SLA and its calendar' }),
    ciId: Identifier.nullable().optional(),
    assignmentGroup: Identifier.nullable()
      .optional()
      .meta({ description: 'Staff only: dispatch at once to this active assignment group (GET /groups); 422 naming the field otherwise' }),
  })
  .meta({ id: 'CreateIncident' });

export const UpdateIncidentBody = z
  .strictObject({
    title: text(200).optional(),
    description: text(10_000).optional(),
    category: text(100).optional(),
    subcategory: text(100).nullable().optional(),
    type: z.enum(INCIDENT_TYPES).optional(),
    impact: Level.optional(),
    urgency: Level.optional(),
    majorIncident: z.boolean().optional(),
    serviceId: Identifier.nullable().optional(),
    customerId: Identifier.nullable()
      .optional()
      .meta({ description: 'The customer (client organisation or department) served; chooses the SLA and its calendar' }),
    ciId: Identifier.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'Send at least one field to change')
  .meta({ id: 'UpdateIncident' });

export const AssignBody = z.strictObject({ assignmentGroup: Identifier, assigneeId: Identifier.nullable().optional() }).meta({ id: 'AssignIncident' });
export const HoldBody = z.strictObject({ reason: z.enum(HOLD_REASONS) }).meta({ id: 'HoldIncident' });
const KnowledgeUsed = z.strictObject({
  kind: z.enum(['article', 'known_error']),
  id: z
    .string()
    .regex(/^([0-9A-HJKMNP-TV-Z]{26}(-PRB)?|KB\d{7,}|PRB\d{7,})$/)
    .meta({ description: 'Article (ULID or KB…) or the known error’s problem (ULID or PRB…)' }),
});
export const ResolveBody = z
  .strictObject({
    code: z.enum(RESOLUTION_CODES),
    notes: text(10_000),
    knowledge: KnowledgeUsed.optional().meta({ description: 'The published article or known error that resolved it (counts towards knowledge utilisation)' }),
  })
  .meta({ id: 'ResolveIncident' });
export const CloseBody = z.strictObject({ note: text(2_000).optional() }).meta({ id: 'CloseIncident' });
export const ReasonBody = z.strictObject({ reason: text(2_000) }).meta({ id: 'Reason' });
export const NoteBody = z.strictObject({ visibility: z.enum(NOTE_VISIBILITIES), body: text(10_000) }).meta({ id: 'AddNote' });

export const ListIncidentsQuery = z
  .strictObject({
    status: z.enum(INCIDENT_STATUSES).optional(),
    group: Identifier.optional(),
    assignee: Identifier.optional(),
    requester: Identifier.optional(),
    ci: Identifier.optional(),
    priority: z.coerce.number().int().min(1).max(5).optional(),
    limit: PageLimit,
    cursor: PageCursor,
  })
  .refine((query) => ['status', 'group', 'assignee', 'requester', 'ci'].filter((name) => query[name as keyof typeof query] !== undefined).length <= 1, {
    message: 'Choose one queue: status, group, assignee, requester or ci (priority combines with any)',
  });

const Timestamp = z.string().meta({ example: '2026-11-22T09:30:00.000Z' });

export const IncidentResource = z
  .object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.string(),
    subcategory: z.string().nullable(),
    type: z.enum(INCIDENT_TYPES),
    impact: Level,
    urgency: Level,
    priority: z.number().int().min(1).max(5),
    majorIncident: z.boolean(),
    channel: z.enum(CHANNELS),
    requesterId: z.string(),
    assignmentGroup: z.string().nullable(),
    assigneeId: z.string().nullable(),
    serviceId: z.string().nullable(),
    customerId: z.string().nullable(),
    ciId: z.string().nullable(),
    status: z.enum(INCIDENT_STATUSES),
    holdReason: z.enum(HOLD_REASONS).nullable(),
    resolution: z
      .object({
        code: z.enum(RESOLUTION_CODES),
        notes: z.string(),
        resolvedBy: z.string(),
        knowledge: z
          .object({ kind: z.enum(['article', 'known_error']), id: z.string(), number: z.string() })
          .nullable()
          .optional(),
      })
      .nullable(),
    closure: z.object({ confirmedBy: z.string(), confirmation: z.enum(['requester', 'agent']), note: z.string().nullable() }).nullable(),
    cancellation: z.object({ reason: z.string(), cancelledBy: z.string() }).nullable(),
    dispatch: z.object({ count: z.number().int(), returned: z.number().int() }),
    reopenCount: z.number().int(),
    statusChangedAt: z.record(z.string(), Timestamp),
    allowedActions: z.array(z.enum(INCIDENT_ACTIONS)).meta({ description: 'Life-cycle actions the status allows next' }),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp,
    updatedBy: z.string(),
    version: z.number().int().meta({ description: 'Also sent as the ETag; send it back in If-Match' }),
  })
  .meta({ id: 'Incident' });

/** The answer to a create: the incident and what the knowledge base offers for it. */
export const CreatedIncidentResource = IncidentResource.extend({
  suggestions: SuggestionsResource.meta({ description: 'Known errors on its CI (or what it depends on) and matching articles: offered, never applied' }),
}).meta({ id: 'CreatedIncident' });

/** A queue row: the incident without its long texts; read the incident for the rest. */
export const IncidentSummaryResource = IncidentResource.pick({
  id: true,
  number: true,
  title: true,
  category: true,
  type: true,
  impact: true,
  urgency: true,
  priority: true,
  majorIncident: true,
  status: true,
  holdReason: true,
  requesterId: true,
  assignmentGroup: true,
  assigneeId: true,
  serviceId: true,
  ciId: true,
  allowedActions: true,
  createdAt: true,
  updatedAt: true,
  version: true,
}).meta({ id: 'IncidentSummary' });

export const IncidentPage = pageOf(IncidentSummaryResource, 'IncidentPage');

export const NoteResource = z
  .object({ id: z.string(), incidentId: z.string(), visibility: z.enum(NOTE_VISIBILITIES), body: z.string(), authorId: z.string(), createdAt: Timestamp })
  .meta({ id: 'IncidentNote' });
export const NotePage = pageOf(NoteResource, 'IncidentNotePage');

/** The audit-trail schemas are shared by every practice's history route. */
export { AuditEntryResource, HistoryPage } from '#shared/http/common-schemas.js';

const SlaClockResource = z.object({
  metric: z.enum(['response', 'resolution']),
  priority: z.number().int(),
  targetMs: z.number(),
  calendar: z
    .enum(CLOCK_CALENDARS)
    .meta({ description: "How the priority's time counts: `24x7` around the clock, `business` in the calendar in force (the SLA's `calendarByPriority`)" }),
  startedAt: z.string(),
  stoppedAt: z.string().nullable(),
  dueAt: z.string().nullable().meta({ description: 'Null while paused before a breach: unknown until the clock resumes' }),
  elapsedBusinessMs: z.number(),
  pausedMs: z.number(),
  remainingMs: z.number().meta({ description: 'Negative once breached' }),
  percent: z.number(),
  state: z.enum(['running', 'paused', 'met', 'breached', 'cancelled']),
  mode: z.enum(['running', 'paused', 'stopped', 'cancelled']),
  breachedAt: z.string().nullable(),
  thresholdsAt: z.array(z.record(z.string(), z.unknown())),
  timeline: z
    .array(z.record(z.string(), z.unknown()))
    .meta({ description: 'Why the due time is what it is: started, paused, resumed, priority changed, closed hours skipped, thresholds' }),
});

export const IncidentSlaResource = z
  .object({
    incidentId: z.string(),
    number: z.string(),
    sla: z.string().nullable().meta({ description: 'The name of the definition that applies; null when none of the policy does (no clocks)' }),
    slaIndex: z.number().int().nullable().meta({ description: 'Its position in the policy' }),
    calendar: z.record(z.string(), z.unknown()).nullable(),
    calendarSource: z
      .object({ kind: z.enum(['sla', 'service', 'customer']), id: z.string().optional() })
      .nullable()
      .meta({ description: "Whose calendar counts: the customer's override, the service's, or the SLA's own" }),
    computedAt: z.string(),
    clocks: z.object({ response: SlaClockResource.optional(), resolution: SlaClockResource.optional() }),
  })
  .meta({ id: 'IncidentSla' });

const Cell = z.number().int().min(1).max(5);

export const PriorityMatrixBody = z
  .strictObject({
    matrix: z
      .array(z.array(Cell).length(3))
      .length(3)
      .meta({
        description: 'matrix[impact - 1][urgency - 1] = priority (1 = critical … 5 = planning)',
        example: [
          [1, 2, 3],
          [2, 3, 4],
          [3, 4, 5],
        ],
      }),
  })
  .meta({ id: 'PriorityMatrixUpdate' });

export const PriorityMatrixResource = z
  .object({
    matrix: z.array(z.array(Cell)),
    labels: z.record(z.string(), z.string()),
    version: z.number().int().meta({ description: '0 while the default applies; also the ETag' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'PriorityMatrix' });
