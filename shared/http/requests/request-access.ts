/**
 * What every request and catalogue handler does the same way: find the
 * record in the caller's tenant (another tenant's, or one the caller may not
 * see, is simply not found), present it, and apply a rule to it under
 * optimistic concurrency on the one mutation path.
 * @module
 */
import type * as z from 'zod';
import { now } from '#shared/clock.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { getCatalogueItem, getCatalogueItemByCode, saveCatalogueItem } from '#shared/data/requests/catalogue-item-repository.js';
import { getRequest, getRequestByNumber, saveRequest } from '#shared/data/requests/request-repository.js';
import { approvalsRequired, type Delegation, levelOutcome } from '#shared/domain/approvals/approval-rules.js';
import { ForbiddenError, NotFoundError } from '#shared/domain/errors.js';
import { type CatalogueItem, type ItemMutation, itemVisibleTo } from '#shared/domain/requests/catalogue-item.js';
import { type RequestMutation, requestActionsFor, requestVisibleTo, type ServiceRequest } from '#shared/domain/requests/service-request.js';
import { type Actor, hasRole, isStaff } from '#shared/domain/roles.js';
import type { ApiResult } from '#shared/http/http-handler.js';
import type { CatalogueItemResource, RequestResource } from './schemas.js';

/** The item named by `idOrCode` if the actor may see it (requesters: published and visible to them). */
export async function findCatalogueItem(actor: Pick<Actor, 'tenantId' | 'userId' | 'roles'>, idOrCode: string): Promise<CatalogueItem> {
  const item = idOrCode.startsWith('SRV-') ? await getCatalogueItemByCode(actor.tenantId, idOrCode) : await getCatalogueItem(actor.tenantId, idOrCode);
  if (!item || !itemVisibleTo(item, actor)) throw new NotFoundError(`Catalogue item ${idOrCode} was not found.`);
  return item;
}

/** Requesters see what they may request (the published version), never the draft being edited. */
export function catalogueItemResult(item: CatalogueItem, actor: Actor, options: { statusCode?: number; headers?: Record<string, string> } = {}): ApiResult {
  const body: z.infer<typeof CatalogueItemResource> = {
    id: item.id,
    code: item.code,
    status: item.status,
    visibility: isStaff(actor) ? item.visibility : { audience: item.visibility.audience },
    draft: isStaff(actor) ? item.draft : null,
    published: item.published,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
  return { statusCode: options.statusCode ?? 200, body, version: item.version, ...(options.headers ? { headers: options.headers } : {}) };
}

export async function changeCatalogueItem(
  actor: Actor,
  idOrCode: string,
  ifMatch: number | undefined,
  rule: (item: CatalogueItem) => ItemMutation | Promise<ItemMutation>,
): Promise<CatalogueItem> {
  const { mutation } = await mutateRecord({
    load: async () => {
      const item = await findCatalogueItem(actor, idOrCode);
      // Requesters who may see the item get 403 rather than 404: curating it is a manager's.
      if (!hasRole(actor, 'manager')) throw new ForbiddenError('Only managers curate the catalogue.');
      return item;
    },
    expectedVersion: ifMatch,
    apply: rule,
    save: (result, item, named) => saveCatalogueItem(result, actor, item.version, named),
  });
  return mutation.item;
}

/** The request named by `idOrNumber` if the actor may see it (staff, its requester, a named approver). */
export async function findRequest(actor: Pick<Actor, 'tenantId' | 'userId' | 'roles'>, idOrNumber: string): Promise<ServiceRequest> {
  const request = idOrNumber.startsWith('REQ') ? await getRequestByNumber(actor.tenantId, idOrNumber) : await getRequest(actor.tenantId, idOrNumber);
  if (!request || !requestVisibleTo(request, actor)) throw new NotFoundError(`Request ${idOrNumber} was not found.`);
  return request;
}

/**
 * The API form for `actor`: stages and levels 1-based, the frozen item
 * definition left out (it is the item version's), and the actions this
 * caller may take now.
 */
export function requestResource(request: ServiceRequest, actor: Actor, delegations: readonly Delegation[] = []): z.infer<typeof RequestResource> {
  const approval = request.approval && {
    status: request.approval.status,
    currentLevel: request.approval.currentLevel + 1,
    levels: request.approval.levels.map((level, index) => ({
      name: level.name,
      required: approvalsRequired(level),
      outcome: levelOutcome(level, request.approval?.decisions.filter((decision) => decision.level === index) ?? []),
    })),
    decisions: request.approval.decisions.map((decision) => ({ ...decision, level: decision.level + 1 })),
  };
  return {
    id: request.id,
    number: request.number,
    itemId: request.itemId,
    itemCode: request.itemCode,
    itemVersion: request.itemVersion,
    title: request.title,
    category: request.category,
    answers: request.answers,
    requesterId: request.requesterId,
    status: request.status,
    approval,
    stage: request.stage === null ? null : request.stage + 1,
    stages: request.definition.plan.stages.length,
    tasks: request.tasks.map((task) => ({ ...task, stage: task.stage + 1, notes: [...task.notes] })),
    responseDueAt: request.responseDueAt,
    respondedAt: request.respondedAt,
    fulfilmentDueAt: request.fulfilmentDueAt,
    pausedAt: request.pausedAt,
    question: request.question,
    fulfilledAt: request.fulfilledAt,
    autoCloseAt: request.autoCloseAt,
    closure: request.closure,
    failure: request.failure,
    cancellation: request.cancellation,
    callback: request.callback,
    cost: request.definition.cost,
    reopenCount: request.reopenCount,
    statusChangedAt: request.statusChangedAt,
    allowedActions: requestActionsFor(request, actor, now().toISOString(), delegations),
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    version: request.version,
  } as z.infer<typeof RequestResource>;
}

export function requestResult(
  request: ServiceRequest,
  actor: Actor,
  options: { statusCode?: number; headers?: Record<string, string>; delegations?: readonly Delegation[] } = {},
): ApiResult {
  return {
    statusCode: options.statusCode ?? 200,
    body: requestResource(request, actor, options.delegations),
    version: request.version,
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

/**
 * Read, check `If-Match`, apply `rule`, write conditionally on the version
 * read. Without If-Match a lost race is retried on a fresh read (two groups
 * completing their tasks of one stage at once both count); with it, 412.
 */
export async function changeRequest(
  actor: Actor,
  idOrNumber: string,
  ifMatch: number | undefined,
  rule: (request: ServiceRequest) => RequestMutation | Promise<RequestMutation>,
): Promise<ServiceRequest> {
  const { mutation } = await mutateRecord({
    load: () => findRequest(actor, idOrNumber),
    expectedVersion: ifMatch,
    apply: rule,
    save: (result, request, named) => saveRequest(result, actor, request.version, named),
    retry: true,
  });
  return mutation.request;
}
