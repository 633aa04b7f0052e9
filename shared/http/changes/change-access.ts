/**
 * What every change handler does the same way: find the change in the
 * caller's tenant, present it, and apply a rule to it under optimistic
 * concurrency.
 * @module
 */
import type * as z from 'zod';
import { now } from '#shared/clock.js';
import { getChange, getChangeByNumber, readCiLocks, saveChange } from '#shared/data/changes/change-repository.js';
import { CHANGE_APPROVAL_SETTING } from '#shared/data/changes/change-settings-repository.js';
import type { RelatedUpdate } from '#shared/data/commit-mutation.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { getSetting } from '#shared/data/settings-repository.js';
import { type Change, type ChangeMutation, changeActionsFor } from '#shared/domain/changes/change.js';
import { approvalsRequired, type Delegation, levelOutcome } from '#shared/domain/changes/change-approval.js';
import { NotFoundError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import type { ApiResult } from '#shared/http/http-handler.js';
import { ChangeResource } from './schemas.js';

/** The change named by `idOrNumber` in the actor's tenant; another tenant's is simply not found. */
export async function findChange(actor: Pick<Actor, 'tenantId'>, idOrNumber: string): Promise<Change> {
  const change = idOrNumber.startsWith('CHG') ? await getChangeByNumber(actor.tenantId, idOrNumber) : await getChange(actor.tenantId, idOrNumber);
  if (!change) throw new NotFoundError(`Change ${idOrNumber} was not found.`);
  return change;
}

function inSchemaOrder<T>(shape: Record<string, unknown>, value: Record<string, unknown>): T {
  return Object.fromEntries(Object.keys(shape).map((field) => [field, value[field]])) as T;
}

/**
 * The API form for `actor`: the task token never leaves the service; levels
 * carry their quorum and outcome; `allowedActions` are what this caller may
 * do now (`changeActionsFor`), delegations counting for approve/reject.
 */
export function changeResource(change: Change, actor: Actor, delegations: readonly Delegation[]): z.infer<typeof ChangeResource> {
  const approval = change.approval && {
    status: change.approval.status,
    currentLevel: change.approval.currentLevel + 1,
    freezeOverride: change.approval.freezeOverride,
    timeoutHours: change.approval.timeoutHours,
    onTimeout: change.approval.onTimeout,
    escalations: change.approval.escalations,
    levels: change.approval.levels.map((level, index) => ({
      name: level.name,
      approvers: level.approvers,
      rule: level.rule,
      required: approvalsRequired(level),
      outcome: levelOutcome(level, change.approval?.decisions.filter((decision) => decision.level === index) ?? []),
    })),
    decisions: change.approval.decisions.map((decision) => ({ ...decision, level: decision.level + 1 })),
  };
  const awaiting = change.pendingTask && {
    kind: change.pendingTask.kind,
    level: change.pendingTask.level === null ? null : change.pendingTask.level + 1,
    since: change.pendingTask.since,
    answered: change.pendingTask.answer !== null,
  };
  return inSchemaOrder(ChangeResource.shape, {
    ...change,
    approval,
    awaiting,
    allowedActions: changeActionsFor(change, { actor, now: now().toISOString() }, delegations),
  });
}

/**
 * The change as `actor` sees it. The tenant's delegations matter only to a
 * change awaiting approval, so only then are they read (unless given).
 */
export async function changeResult(
  change: Change,
  actor: Actor,
  options: { statusCode?: number; headers?: Record<string, string>; delegations?: readonly Delegation[] } = {},
): Promise<ApiResult> {
  const delegations =
    options.delegations ?? (change.status === 'authorise' ? (await getSetting(CHANGE_APPROVAL_SETTING, actor.tenantId)).value.delegations : []);
  return {
    statusCode: options.statusCode ?? 200,
    body: changeResource(change, actor, delegations),
    version: change.version,
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

/**
 * Read, check `If-Match`, apply `rule`, write conditionally on the version
 * read. Without If-Match a lost race is retried on a fresh read (two
 * approvers voting at once both count); with it, the caller gets 412.
 * `lockCis` serialises submissions that name the same CI (conflict checks).
 */
export async function changeChange(
  actor: Actor,
  idOrNumber: string,
  ifMatch: number | undefined,
  rule: (change: Change) => ChangeMutation | Promise<ChangeMutation>,
  options: { readonly lockCis?: boolean } = {},
): Promise<Change> {
  let locks: RelatedUpdate[] = [];
  const { mutation } = await mutateRecord({
    load: () => findChange(actor, idOrNumber),
    expectedVersion: ifMatch,
    apply: async (change) => {
      // Locks first, then the rule's reads: whatever commits in between has moved a lock.
      locks = options.lockCis ? await readCiLocks(actor.tenantId, change.ciIds) : [];
      return rule(change);
    },
    save: (result, change, named) => saveChange(result, actor, change.version, named, locks),
    retry: true,
  });
  return mutation.change;
}
