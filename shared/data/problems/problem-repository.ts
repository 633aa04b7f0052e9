import { changeKey } from '#shared/data/changes/keys.js';
import type { IdempotencyClaim, IdempotentReplay, RelatedUpdate } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import type { AuditEntry } from '#shared/data/incidents/incident-repository.js';
import { incidentKey } from '#shared/data/incidents/keys.js';
import type { PrimaryKey } from '#shared/data/keys.js';
import { allocateNumber } from '#shared/data/number-sequence.js';
import { auditTrailPage, queryPage, queryPrefixPage, querySummaryPage } from '#shared/data/query-page.js';
import { getSetting, type Setting, type SettingKind, saveSetting } from '#shared/data/settings-repository.js';
import { SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import { isTerminalProblem, knownErrorCiIds, type Problem, type ProblemChange } from '#shared/domain/problems/problem.js';
import { defaultProblemSettings, type ProblemSettings } from '#shared/domain/problems/problem-settings.js';
import type { Actor } from '#shared/domain/roles.js';
import { knownErrorsOfCiKey, PROBLEM_LINK_PREFIX, problemIndexKeys, problemKey, problemLinkKey, problemListKey, problemSettingsKey } from './keys.js';

export const SUMMARY_FIELDS = ['id', 'number', 'title', 'status', 'priority', 'serviceId', 'category', 'createdAt', 'updatedAt', 'version'] as const;
export type ProblemSummary = Pick<Problem, (typeof SUMMARY_FIELDS)[number]>;

import { recordStore } from '#shared/data/record-store.js';
import { pick } from '#shared/domain/pick.js';

function toItem(problem: Problem): Record<string, unknown> & PrimaryKey {
  return {
    ...problemKey(problem.tenantId, problem.id),
    entity: 'Problem',
    ...problemIndexKeys(problem),
    [SUMMARY_ATTRIBUTE]: pick(problem, SUMMARY_FIELDS),
    ...problem,
  };
}

/**
 * The record as stored. Problems that continuity opened before this model
 * existed had status `open` and no links: they read as `new` problems.
 */
function fromItem(item: Record<string, unknown>): Problem {
  const stored = withoutStorageAttributes<Record<string, unknown>>(item);
  return {
    category: null,
    impact: null,
    frequencyBand: null,
    priority: null,
    ciIds: [],
    incidents: [],
    changeIds: [],
    rootCause: null,
    knownError: null,
    fix: null,
    closure: null,
    cancellation: null,
    updatedAt: stored.createdAt,
    updatedBy: stored.createdBy,
    ...stored,
    status: stored.status === 'open' ? 'new' : stored.status,
  } as unknown as Problem;
}

/** Takes the tenant's next problem number (`PRB0001001`; the sequence continuity's problems used). */
export function allocateProblemNumber(tenantId: string): Promise<string> {
  return allocateNumber(tenantId, 'PRB');
}

/**
 * What a change writes besides the record: back links into newly linked
 * incidents and the fix's change (conditional puts would fail on a repeat,
 * so they are upserts), and the known-error-by-CI entries while a known
 * error is active (removed once it is fixed, or the problem ends).
 */
function sideWrites(change: ProblemChange, previous: Problem | null): RelatedUpdate[] {
  const { problem } = change;
  const link = (recordPk: string, kind: string): RelatedUpdate => ({
    key: problemLinkKey(recordPk, problem.id),
    update: {
      UpdateExpression: 'SET entity = :entity, problemId = :id, problemNumber = :number, linkedAt = :at, linkedKind = :kind',
      ExpressionAttributeValues: { ':entity': 'ProblemLink', ':id': problem.id, ':number': problem.number, ':at': problem.updatedAt, ':kind': kind },
    },
  });
  const writes = change.newlyLinked.map((incident) => link(incidentKey(problem.tenantId, incident.id).PK, 'incident'));
  const newChanges = problem.changeIds.filter((id) => !previous?.changeIds.includes(id));
  writes.push(...newChanges.map((id) => link(changeKey(problem.tenantId, id).PK, 'change')));
  if (offersWorkaround(problem) && problem.knownError) {
    // Rewritten on every save while active: CIs linked since publishing get their entry too.
    for (const ciId of knownErrorCiIds(problem)) {
      writes.push({
        key: { PK: knownErrorsOfCiKey(problem.tenantId, ciId), SK: problem.id },
        update: {
          UpdateExpression:
            'SET entity = :entity, problemId = :id, #number = :number, title = :title, symptoms = :symptoms, workaround = :workaround, publishedAt = :at',
          ExpressionAttributeNames: { '#number': 'number' },
          ExpressionAttributeValues: {
            ':entity': 'KnownErrorByCi',
            ':id': problem.id,
            ':number': problem.number,
            ':title': problem.title,
            ':symptoms': problem.knownError.symptoms,
            ':workaround': problem.knownError.workaround,
            ':at': problem.knownError.publishedAt,
          },
        },
      });
    }
  }
  return writes;
}

function offersWorkaround(problem: Problem): boolean {
  return problem.knownError?.status === 'active' && !isTerminalProblem(problem.status);
}

/** Known-error-by-CI entries to drop: the known error no longer offers a workaround (each exists: every save while active wrote it). */
function sideDeletes(change: ProblemChange, previous: Problem): PrimaryKey[] {
  if (!offersWorkaround(previous) || offersWorkaround(change.problem)) return [];
  return knownErrorCiIds(previous).map((ciId) => ({ PK: knownErrorsOfCiKey(previous.tenantId, ciId), SK: previous.id }));
}

const problems = recordStore<Problem, ProblemChange>({
  recordType: 'Problem',
  idMember: 'problemId',
  key: problemKey,
  toItem,
  fromItem,
  recordOf: (change) => change.problem,
  eventDetail: (change) => ({ incidentIds: change.newlyLinked.map((incident) => incident.id) }),
});

/** Writes a new problem with its back links; a reused idempotency key yields the earlier response. */
export function insertProblem(
  change: ProblemChange,
  actor: Actor,
  idempotency?: IdempotencyClaim,
  extra: RelatedUpdate[] = [],
): Promise<IdempotentReplay | null> {
  return problems.insert(change, actor, { relatedUpdates: [...sideWrites(change, null), ...extra], idempotency });
}

/** Writes a changed problem if nobody changed it since `previous` was read (412 with If-Match, 409 otherwise). */
export async function saveProblem(change: ProblemChange, previous: Problem, actor: Actor, ifMatch: boolean): Promise<void> {
  await problems.save(change, actor, previous.version, ifMatch, {
    relatedUpdates: sideWrites(change, previous),
    relatedDeletes: sideDeletes(change, previous),
  });
}

/** One problem by id, strongly consistent. */
export const getProblem = problems.get;

/** One problem by its number (PRB0001001). */
export const getProblemByNumber = problems.getByNumber;

/** A page of problems, oldest first; by status on GSI2. */
export function listProblems(
  tenantId: string,
  request: { status?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<ProblemSummary>> {
  if (request.status === undefined) return querySummaryPage<ProblemSummary>(problemListKey(tenantId), request);
  const { indexName, partitionKey } = problemListKey(tenantId, request.status);
  return queryPage(
    {
      IndexName: indexName,
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': partitionKey },
      Limit: request.limit,
      partition: { attribute: 'GSI2PK', value: partitionKey },
    },
    request.cursor,
  ).then((page) => ({ items: page.items.map((item) => item[SUMMARY_ATTRIBUTE] as ProblemSummary), nextCursor: page.nextCursor }));
}

export async function listProblemHistory(tenantId: string, problemId: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  return auditTrailPage<AuditEntry>(problemKey(tenantId, problemId).PK, { limit, cursor });
}

export interface ProblemLink {
  readonly problemId: string;
  readonly problemNumber: string;
  readonly linkedAt: string;
}

/** The problems an incident is linked to (its back links): one Query on the incident's partition. */
export async function listProblemsOfIncident(tenantId: string, incidentId: string, limit: number, cursor?: string): Promise<Page<ProblemLink>> {
  const page = await queryPrefixPage(incidentKey(tenantId, incidentId).PK, PROBLEM_LINK_PREFIX, { limit, cursor });
  return {
    items: page.items.map((item) => ({ problemId: item.problemId as string, problemNumber: item.problemNumber as string, linkedAt: item.linkedAt as string })),
    nextCursor: page.nextCursor,
  };
}

/** A known error offered for a CI. */
export interface KnownErrorOnCi {
  readonly problemId: string;
  readonly number: string;
  readonly title: string;
  readonly symptoms: string;
  readonly workaround: string;
  readonly ciId: string;
}

/** Active known errors recorded against each of `ciIds` (one Query each, in parallel; at most `perCi` each). */
export async function knownErrorsOnCis(tenantId: string, ciIds: readonly string[], perCi = 5): Promise<KnownErrorOnCi[]> {
  const pages = await Promise.all(
    ciIds.map(async (ciId) => {
      const PK = knownErrorsOfCiKey(tenantId, ciId);
      const page = await queryPage({
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': PK },
        Limit: perCi,
        partition: { attribute: 'PK', value: PK },
      });
      return page.items.map((item) => ({
        problemId: item.problemId as string,
        number: item.number as string,
        title: item.title as string,
        symptoms: item.symptoms as string,
        workaround: item.workaround as string,
        ciId,
      }));
    }),
  );
  return pages.flat();
}

const PROBLEM_SETTINGS: SettingKind<ProblemSettings> = {
  name: 'problemSettings',
  key: problemSettingsKey,
  eventType: 'ProblemSettingsUpdated',
  complete: (stored) => ({ ...defaultProblemSettings(), ...stored }),
};

export function getProblemSettings(tenantId: string): Promise<Setting<ProblemSettings>> {
  return getSetting(PROBLEM_SETTINGS, tenantId);
}

export function saveProblemSettings(actor: Actor, current: Setting<ProblemSettings>, value: ProblemSettings, now: string, ifMatch: boolean) {
  return saveSetting(PROBLEM_SETTINGS, actor, current, value, now, ifMatch);
}
