/**
 * The request catalogue (seed 002 §1.2: list, classify and code, describe,
 * review and publish): items coded `SRV-…`, edited as a draft and published
 * as numbered versions. A published version is frozen: its form, approval
 * policy, fulfilment plan, targets, cost and the business calendar in force
 * when it was published travel with every request raised against it, so
 * editing the item never changes a request already raised.
 * @module
 */
import * as z from 'zod';
import { type ApprovalPolicy, approvalPolicySchema, ON_TIMEOUT } from '#shared/domain/approvals/approval-rules.js';
import { ConflictError, NotFoundError, UnprocessableError } from '#shared/domain/errors.js';
import { SAFE_ID } from '#shared/domain/identifiers.js';
import type { FieldChange } from '#shared/domain/incidents/incident.js';
import type { RecordChange } from '#shared/domain/record-change.js';
import { type Actor, isStaff } from '#shared/domain/roles.js';
import type { BusinessCalendarConfig } from '#shared/domain/sla/business-calendar.js';
import { requestFormSchema } from './request-form.js';

/** A group's code: free text in form; dispatching to it (publish, task assignment) requires an active group record (`requireActiveGroup`). */
const GroupName = z.string().regex(SAFE_ID, 'Use 1–128 letters, digits or . _ @ : -');
const Identifier = GroupName;

/**
 * Who approves a request for the item. `manager`: the requester's line
 * manager; until people records name each person's manager, any manager of
 * the tenant stands for them (one approval). `group`: named members of a
 * group, M of them. `levels`: the change practice's M-of-N levels as they
 * are. Every kind becomes an {@link ApprovalPolicy} of the shared rules.
 */
/** How long a level may wait (at most 24 days, as the change practice's), and what its timeout does. */
const WAIT = {
  timeoutHours: z
    .number()
    .gt(0)
    .max(24 * 24)
    .default(72),
  onTimeout: z.enum(ON_TIMEOUT).default('escalate'),
};

export const itemApprovalSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('manager'),
    ...WAIT,
  }),
  z
    .strictObject({
      kind: z.literal('group'),
      group: GroupName,
      members: z.array(Identifier).min(1).max(50),
      required: z.number().int().min(1).max(50).default(1),
      ...WAIT,
    })
    .refine((policy) => policy.required <= policy.members.length, { message: 'Requires more approvals than the group has members.', path: ['required'] }),
  z.strictObject({ kind: z.literal('levels'), policy: approvalPolicySchema }),
]);
export type ItemApproval = z.output<typeof itemApprovalSchema>;

/**
 * The requester's manager as the tenant's people records say: their user
 * id; `null` when the requester's record names none; `undefined` when the
 * requester has no people record (a user the tenant's identity provider
 * signs in without one), where any manager of the tenant stands in.
 */
export type RequesterManager = string | null | undefined;

/** The approval policy of the shared rules for an item's approval, or null when none is needed. */
export function approvalPolicyOf(approval: ItemApproval, requesterManager?: RequesterManager): ApprovalPolicy | null {
  const escalateTo = { users: [], roles: ['tenant-admin' as const] };
  switch (approval.kind) {
    case 'none':
      return null;
    case 'manager':
      if (requesterManager === null) {
        throw new UnprocessableError(
          "This item needs the approval of the requester's manager, and the requester's profile names no manager: a tenant admin sets it (PATCH /users/{id}, managerId).",
          { errors: [{ field: 'requesterId', message: 'The requester has no manager on their profile.' }] },
        );
      }
      return {
        levels: [
          {
            name: "Requester's manager",
            // Only that manager decides; without a people record, any manager of the tenant (one approval).
            approvers: requesterManager ? { users: [requesterManager], roles: [] } : { users: [], roles: ['manager'] },
            rule: { kind: 'count', required: 1 },
          },
        ],
        timeoutHours: approval.timeoutHours,
        onTimeout: approval.onTimeout,
        escalateTo,
      };
    case 'group':
      return {
        levels: [{ name: approval.group, approvers: { users: [...approval.members], roles: [] }, rule: { kind: 'count', required: approval.required } }],
        timeoutHours: approval.timeoutHours,
        onTimeout: approval.onTimeout,
        escalateTo,
      };
    case 'levels':
      return approval.policy;
  }
}

/** How a task is delivered (seed 002 §1.4). */
export const DELIVERY_MODES = ['remote', 'on_site_visit', 'on_site_resident', 'central_monitoring'] as const;

export const planTaskSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'Use a lowercase letter then up to 39 lowercase letters, digits or -.'),
  name: z.string().trim().min(1).max(200),
  group: GroupName,
  instructions: z.string().max(4000).default(''),
  deliveryMode: z.enum(DELIVERY_MODES).default('remote'),
  /** The task's own target, in business hours of the item's calendar. */
  targetHours: z.number().gt(0).max(2000).default(8),
});
export type PlanTask = z.output<typeof planTaskSchema>;

/** Stages run in order; the tasks of one stage run in parallel. */
export const fulfilmentPlanSchema = z
  .strictObject({
    stages: z
      .array(z.strictObject({ name: z.string().trim().min(1).max(100), tasks: z.array(planTaskSchema).min(1).max(10) }))
      .min(1)
      .max(5),
  })
  .superRefine((plan, ctx) => {
    const keys = new Set<string>();
    for (const [s, stage] of plan.stages.entries()) {
      for (const [t, task] of stage.tasks.entries()) {
        if (keys.has(task.key)) ctx.addIssue({ code: 'custom', message: `Duplicate task key '${task.key}'.`, path: ['stages', s, 'tasks', t, 'key'] });
        keys.add(task.key);
      }
    }
  });
export type FulfilmentPlan = z.output<typeof fulfilmentPlanSchema>;

export const itemTargetsSchema = z.strictObject({
  /** First human response (seed 000 §3.1: 15 minutes; §5.1 says 30 as an average: per item). */
  responseMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(15),
  /** Approval to fulfilment, counted in business hours of the calendar (approval waits do not count). */
  fulfilmentHours: z.number().gt(0).max(2000).default(40),
  /** A fulfilled request the requester does not confirm closes by itself after this many days. */
  autoCloseDays: z.number().int().min(1).max(30).default(5),
  /** The callback (回访) falls due this many business days after closure. */
  callbackAfterDays: z.number().int().min(0).max(30).default(2),
  /** A "not satisfied" answer within this many days of closure reopens the request. */
  reopenWindowDays: z.number().int().min(1).max(90).default(14),
});
export type ItemTargets = z.output<typeof itemTargetsSchema>;

export const itemDefinitionSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  category: z.string().trim().min(1).max(100),
  description: z.string().max(8000).default(''),
  form: requestFormSchema.default({ fields: [] }),
  approval: itemApprovalSchema.default({ kind: 'none' }),
  plan: fulfilmentPlanSchema,
  targets: itemTargetsSchema.default(itemTargetsSchema.parse({})),
  cost: z
    .strictObject({ amount: z.number().min(0).max(1e9), currency: z.string().regex(/^[A-Z]{3}$/) })
    .nullable()
    .default(null),
});
export type ItemDefinition = z.output<typeof itemDefinitionSchema>;

/** Visible to every requester of the tenant, or only to the named customers (user ids). */
export const itemVisibilitySchema = z.discriminatedUnion('audience', [
  z.strictObject({ audience: z.literal('all') }),
  z.strictObject({ audience: z.literal('named'), customers: z.array(Identifier).min(1).max(500) }),
]);
export type ItemVisibility = z.output<typeof itemVisibilitySchema>;

/** A frozen version: what a request is raised against. */
export interface ItemVersion {
  readonly version: number;
  readonly definition: ItemDefinition;
  /** The business calendar the targets are counted in, as it was when the version was published. */
  readonly calendar: BusinessCalendarConfig;
  readonly publishedAt: string;
  readonly publishedBy: string;
}

export const ITEM_STATUSES = ['draft', 'published', 'retired'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface CatalogueItem {
  readonly id: string;
  /** `SRV-0001001`. */
  readonly code: string;
  readonly tenantId: string;
  readonly status: ItemStatus;
  readonly visibility: ItemVisibility;
  /** The definition being edited; publishing freezes it as the next version. */
  readonly draft: ItemDefinition;
  readonly published: ItemVersion | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export type ItemEventType = 'CatalogueItemCreated' | 'CatalogueItemUpdated' | 'CatalogueItemPublished' | 'CatalogueItemRetired';

export interface ItemMutation extends RecordChange<ItemEventType, 'create' | 'update' | 'publish' | 'retire'> {
  readonly item: CatalogueItem;
  /** Set by publish: the frozen version, kept on its own as well for the item's history. */
  readonly publishedVersion?: ItemVersion;
}

interface ItemContext {
  readonly actor: Actor;
  readonly now: string;
}

const AUDITED = ['status', 'visibility', 'draft', 'published'] as const satisfies readonly (keyof CatalogueItem)[];

function diff(before: CatalogueItem | null, after: CatalogueItem): FieldChange[] {
  return AUDITED.flatMap((field) => {
    const from = before ? before[field] : null;
    const to = after[field];
    return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ field, from, to }];
  });
}

function touched(item: CatalogueItem, ctx: ItemContext, patch: Partial<CatalogueItem>): CatalogueItem {
  return { ...item, ...patch, updatedAt: ctx.now, updatedBy: ctx.actor.userId, version: item.version + 1 };
}

export function createItem(
  input: { definition: ItemDefinition; visibility: ItemVisibility },
  identity: { id: string; code: string },
  ctx: ItemContext,
): ItemMutation {
  const item: CatalogueItem = {
    id: identity.id,
    code: identity.code,
    tenantId: ctx.actor.tenantId,
    status: 'draft',
    visibility: input.visibility,
    draft: input.definition,
    published: null,
    createdAt: ctx.now,
    createdBy: ctx.actor.userId,
    updatedAt: ctx.now,
    updatedBy: ctx.actor.userId,
    version: 1,
  };
  return { item, action: 'create', eventType: 'CatalogueItemCreated', changes: diff(null, item), facts: { name: item.draft.name } };
}

/** Replaces the draft and the visibility; the published version stays as it is until the next publish. */
export function updateItem(item: CatalogueItem, ctx: ItemContext, input: { definition: ItemDefinition; visibility: ItemVisibility }): ItemMutation {
  if (item.status === 'retired') throw new ConflictError(`Catalogue item ${item.code} is retired.`);
  const after = touched(item, ctx, { draft: input.definition, visibility: input.visibility });
  return { item: after, action: 'update', eventType: 'CatalogueItemUpdated', changes: diff(item, after), facts: {} };
}

/** Freezes the draft as the next version, counted in `calendar` (the tenant's business calendar now). */
export function publishItem(item: CatalogueItem, ctx: ItemContext, calendar: BusinessCalendarConfig): ItemMutation {
  const version: ItemVersion = {
    version: (item.published?.version ?? 0) + 1,
    definition: item.draft,
    calendar,
    publishedAt: ctx.now,
    publishedBy: ctx.actor.userId,
  };
  const after = touched(item, ctx, { status: 'published', published: version });
  return {
    item: after,
    action: 'publish',
    eventType: 'CatalogueItemPublished',
    changes: diff(item, after),
    facts: { itemVersion: version.version, name: item.draft.name },
    publishedVersion: version,
  };
}

/** No new requests; requests already raised go on under their version. */
export function retireItem(item: CatalogueItem, ctx: ItemContext): ItemMutation {
  if (item.status === 'retired') throw new ConflictError(`Catalogue item ${item.code} is already retired.`);
  const after = touched(item, ctx, { status: 'retired' });
  return { item: after, action: 'retire', eventType: 'CatalogueItemRetired', changes: diff(item, after), facts: {} };
}

/**
 * Whether `actor` sees the item: staff see every item, drafts included;
 * requesters see published items whose audience includes them.
 */
export function itemVisibleTo(item: Pick<CatalogueItem, 'status' | 'visibility'>, actor: Pick<Actor, 'userId' | 'roles'>): boolean {
  if (isStaff(actor)) return true;
  if (item.status !== 'published') return false;
  return item.visibility.audience === 'all' || item.visibility.customers.includes(actor.userId);
}

/** The version a request is raised against: the published one, if `actor` may request the item. */
export function requestableVersion(item: CatalogueItem, actor: Pick<Actor, 'userId' | 'roles'>): ItemVersion {
  // Staff raise requests on behalf of anyone; they too need a published version.
  if (!itemVisibleTo(item, actor)) throw new NotFoundError(`Catalogue item ${item.code} was not found.`);
  if (item.status !== 'published' || !item.published) throw new ConflictError(`Catalogue item ${item.code} is not published.`, { itemStatus: item.status });
  return item.published;
}
