/**
 * Request and response schemas of the service-request API (catalogue
 * items, requests, fulfilment tasks); they validate requests and generate
 * the OpenAPI document.
 * @module
 */
import * as z from 'zod';
import { APPROVAL_DECISIONS } from '#shared/domain/approvals/approval-rules.js';
import { ITEM_STATUSES, itemDefinitionSchema, itemVisibilitySchema } from '#shared/domain/requests/catalogue-item.js';
import { REQUEST_ACTIONS, REQUEST_STATUSES, TASK_STATUSES } from '#shared/domain/requests/service-request.js';
import { Identifier, PageCursor, PageLimit, pageOf } from '#shared/http/common-schemas.js';
import { SuggestionsResource } from '#shared/http/knowledge/schemas.js';

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
const Timestamp = z.string().meta({ example: '2026-11-22T09:30:00.000Z' });

/** A catalogue item is addressed by its ULID or its code. */
export const CatalogueItemIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^([0-9A-HJKMNP-TV-Z]{26}|SRV-\d{7,})$/)
    .meta({ description: 'ULID or code (SRV-0001001)', example: 'SRV-0001001' }),
});

const RequestId = z
  .string()
  .regex(/^([0-9A-HJKMNP-TV-Z]{26}|REQ\d{7,})$/)
  .meta({ description: 'ULID or number (REQ0001001)', example: 'REQ0001001' });

export const RequestIdParams = z.strictObject({ id: RequestId });
export const RequestTaskParams = z.strictObject({
  id: RequestId,
  taskId: z
    .string()
    .regex(/^TASK\d{7,}-\d{1,3}(R\d{1,3})?$/)
    .meta({ description: 'Task number (TASK0001001-1)', example: 'TASK0001001-1' }),
});

export const CatalogueItemBody = z
  .strictObject({ definition: itemDefinitionSchema, visibility: itemVisibilitySchema.default({ audience: 'all' }) })
  .meta({ id: 'CatalogueItemInput' });

export const ListCatalogueQuery = z.strictObject({ limit: PageLimit, cursor: PageCursor });

const ItemVersionResource = z.object({
  version: z.number().int(),
  definition: z.record(z.string(), z.unknown()),
  calendar: z.record(z.string(), z.unknown()),
  publishedAt: Timestamp,
  publishedBy: z.string(),
});

export const CatalogueItemResource = z
  .object({
    id: z.string(),
    code: z.string(),
    status: z.enum(ITEM_STATUSES),
    visibility: z.record(z.string(), z.unknown()),
    draft: z.record(z.string(), z.unknown()).nullable().meta({ description: 'The draft being edited (staff only; null for requesters)' }),
    published: ItemVersionResource.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'CatalogueItem' });

export const CatalogueItemPage = pageOf(
  z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    category: z.string(),
    description: z.string(),
    status: z.enum(ITEM_STATUSES),
    publishedVersion: z.number().int().nullable(),
    cost: z.object({ amount: z.number(), currency: z.string() }).nullable(),
  }),
  'CatalogueItemPage',
);

export const SubmitRequestBody = z
  .strictObject({
    itemId: z
      .string()
      .regex(/^([0-9A-HJKMNP-TV-Z]{26}|SRV-\d{7,})$/)
      .meta({ description: 'The catalogue item, by ULID or code' }),
    answers: z
      .record(z.string().max(40), z.unknown())
      .default({})
      .meta({ description: 'Field key → answer, checked against the published form (422 lists every field at fault)' }),
  })
  .meta({ id: 'SubmitRequest' });

export const ListRequestsQuery = z
  .strictObject({
    queue: z
      .enum(['mine', 'all', 'awaiting-my-approval'])
      .default('mine')
      .meta({ description: '`mine` (my requests), `all` (staff; or one `status`), `awaiting-my-approval` (what waits for my vote)' }),
    status: z.enum(REQUEST_STATUSES).optional(),
    limit: PageLimit,
    cursor: PageCursor,
  })
  .meta({ id: 'ListRequestsQuery' });

export const TaskQueueQuery = z.strictObject({ group: Identifier, limit: PageLimit, cursor: PageCursor }).meta({ id: 'TaskQueueQuery' });

export const ApprovalBody = z
  .strictObject({ decision: z.enum(APPROVAL_DECISIONS), comment: text(2_000).nullable().optional() })
  .meta({ id: 'RequestApprovalDecision' });
export const ReasonBody = z.strictObject({ reason: text(2_000) }).meta({ id: 'RequestReason' });
export const QuestionBody = z.strictObject({ question: text(2_000) }).meta({ id: 'RequestQuestion' });
export const ReplyBody = z.strictObject({ answer: text(4_000) }).meta({ id: 'RequestReply' });
export const CallbackBody = z.strictObject({ satisfied: z.boolean(), comment: text(2_000).nullable().optional() }).meta({ id: 'RequestCallback' });
/** Assign as incidents do: the group must be an active group of the tenant (422 otherwise). */
export const AssignTaskBody = z.strictObject({ group: Identifier, assigneeId: Identifier.nullable().optional() }).meta({ id: 'AssignRequestTask' });
export const TaskNoteBody = z.strictObject({ body: text(4_000) }).meta({ id: 'RequestTaskNote' });
export const CompleteTaskBody = z.strictObject({ outcome: text(4_000) }).meta({ id: 'CompleteRequestTask' });

const TaskResource = z.object({
  number: z.string(),
  key: z.string(),
  name: z.string(),
  stage: z.number().int().meta({ description: '1-based' }),
  group: z.string(),
  assigneeId: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  deliveryMode: z.string(),
  instructions: z.string(),
  openedAt: Timestamp,
  dueAt: Timestamp,
  dispatch: z.object({ count: z.number().int(), returned: z.number().int() }),
  notes: z.array(z.object({ by: z.string(), at: Timestamp, body: z.string() })),
  completedAt: Timestamp.nullable(),
  completedBy: z.string().nullable(),
  outcome: z.string().nullable(),
});

export const RequestResource = z
  .object({
    id: z.string(),
    number: z.string(),
    itemId: z.string(),
    itemCode: z.string(),
    itemVersion: z.number().int(),
    title: z.string(),
    category: z.string(),
    answers: z.record(z.string(), z.unknown()),
    requesterId: z.string(),
    status: z.enum(REQUEST_STATUSES),
    approval: z
      .object({
        status: z.string(),
        currentLevel: z.number().int(),
        levels: z.array(z.object({ name: z.string(), required: z.number().int(), outcome: z.string() })),
        decisions: z.array(z.record(z.string(), z.unknown())),
      })
      .nullable(),
    stage: z.number().int().nullable().meta({ description: '1-based stage being fulfilled' }),
    stages: z.number().int(),
    tasks: z.array(TaskResource),
    responseDueAt: Timestamp,
    respondedAt: Timestamp.nullable(),
    fulfilmentDueAt: Timestamp.nullable(),
    pausedAt: Timestamp.nullable(),
    question: z.string().nullable(),
    fulfilledAt: Timestamp.nullable(),
    autoCloseAt: Timestamp.nullable(),
    closure: z.object({ by: z.string(), userId: z.string(), at: Timestamp }).nullable(),
    failure: z.object({ reason: z.string(), taskNumber: z.string(), at: Timestamp }).nullable(),
    cancellation: z.object({ reason: z.string(), cancelledBy: z.string() }).nullable(),
    callback: z
      .object({
        dueAt: Timestamp,
        reopenUntil: Timestamp,
        status: z.string(),
        dueAnnouncedAt: Timestamp.nullable(),
        comment: z.string().nullable(),
        recordedBy: z.string().nullable(),
        recordedAt: Timestamp.nullable(),
      })
      .nullable(),
    cost: z.object({ amount: z.number(), currency: z.string() }).nullable(),
    reopenCount: z.number().int(),
    statusChangedAt: z.record(z.string(), Timestamp),
    allowedActions: z.array(z.enum(REQUEST_ACTIONS)),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: z.number().int(),
  })
  .meta({ id: 'ServiceRequest' });

/** The answer to a submission: the request and what the knowledge base offers for it (the incident create's suggestions). */
export const CreatedRequestResource = RequestResource.extend({
  suggestions: SuggestionsResource.meta({
    description: 'Known errors on a CI it names (or what that depends on) and matching articles: offered, never applied',
  }),
}).meta({ id: 'CreatedServiceRequest' });

export const RequestPage = pageOf(
  z.object({
    id: z.string(),
    number: z.string(),
    title: z.string(),
    itemCode: z.string(),
    status: z.enum(REQUEST_STATUSES),
    requesterId: z.string(),
    createdAt: Timestamp,
  }),
  'ServiceRequestPage',
);

export const TaskQueuePage = pageOf(
  z.object({
    number: z.string(),
    name: z.string(),
    group: z.string(),
    assigneeId: z.string().nullable(),
    status: z.enum(TASK_STATUSES),
    dueAt: Timestamp,
    requestId: z.string(),
    requestNumber: z.string(),
    requestTitle: z.string(),
  }),
  'RequestTaskQueuePage',
);
