/**
 * Bulk import, the writing half. After every line is validated
 * (`parseImport`), the lines are checked against what is stored (one
 * BatchGetItem per 100 CIs, claims and relationships), and only the lines
 * that change something are written, in transactions of up to 100 items:
 * each CI with its own audit entry (attribute by attribute) and service
 * code claim, each relationship as both its edges. A line never writes
 * half of itself. A transaction that fails (a CI edited meanwhile) is
 * retried line by line, so only the line at fault is reported as a
 * conflict. Last, the import itself is recorded through `commitMutation`:
 * its record, an audit entry and one `CisImported` event.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { batchGetItems } from '#shared/data/batch-get.js';
import { db, tableName } from '#shared/data/client.js';
import { commitMutation } from '#shared/data/commit-mutation.js';
import { auditKey, type PrimaryKey } from '#shared/data/keys.js';
import { CONFLICT_RETRY } from '#shared/data/retry.js';
import { isThrottledCancellation, storageThrottled } from '#shared/data/storage-errors.js';
import { quotaClaim, quotaCounterKey, quotaUsage } from '#shared/data/tenant-limits.js';
import { type Ci, type CiChange, type CiRules, createCi, replaceCi, serviceCodeOf } from '#shared/domain/cmdb/ci.js';
import { countOutcomes, type LineOutcome, type LineStatus, type ParsedImport } from '#shared/domain/cmdb/ci-import.js';
import { DomainError, type FieldError, ValidationError } from '#shared/domain/errors.js';
import type { Actor } from '#shared/domain/roles.js';
import { QuotaExceededError } from '#shared/domain/tenant-limits.js';
import { buildEvent, eventEnvelope } from '#shared/events/outbox-event.js';
import { ciItem, getCis, relationshipItems, serviceCodeClaim } from './ci-repository.js';
import { ciImportKey, relationshipEdgeKeys, serviceCodeKey } from './keys.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of items per transaction. */
const TRANSACTION_ITEMS = 100;
/** Transactions in flight at once. */
const WRITE_CONCURRENCY = 8;

/** The items one line writes, all or none. */
interface LineWrite {
  readonly line: number;
  readonly status: LineStatus;
  readonly ciId?: string;
  readonly items: TransactItem[];
}

export interface ImportResult {
  readonly importId: string;
  readonly dryRun: boolean;
  readonly counts: Record<LineStatus, number> & { readonly lines: number };
  readonly lines: readonly LineOutcome[];
}

export interface ImportOptions {
  readonly dryRun: boolean;
  readonly now: string;
  readonly rules: CiRules;
}

/** Checks the parsed lines against the store, writes those that change something, and records the import. */
export async function applyImport(actor: Actor, parsed: ParsedImport, options: ImportOptions): Promise<ImportResult> {
  const importId = ulid();
  const TableName = tableName();
  const tenantId = actor.tenantId;
  const outcomes: LineOutcome[] = [...parsed.invalid];
  const writes: LineWrite[] = [];
  const reject = (line: number, kind: 'ci' | 'relationship', errors: FieldError[]) => outcomes.push({ line, kind, status: 'invalid', errors });

  // CIs: create, replace or leave alone, judged against the stored version.
  const stored = await getCis(
    tenantId,
    parsed.cis.map((entry) => entry.ciId),
  );
  const changes: { line: number; change: CiChange; previous: Ci | undefined }[] = [];
  for (const entry of parsed.cis) {
    const current = stored.get(entry.ciId);
    if (!current && entry.mustExist) {
      reject(entry.line, 'ci', [{ field: 'line.id', message: `No CI ${entry.ciId}; new CIs need an externalId` }]);
      continue;
    }
    const ctx = { actor, now: options.now, rules: options.rules, importedFrom: { importId, line: entry.line } };
    try {
      const change = current ? replaceCi(current, entry.input, ctx, 'line') : createCi(entry.input, entry.ciId, ctx, 'line');
      if (change === null) outcomes.push({ line: entry.line, kind: 'ci', status: 'unchanged', ciId: entry.ciId });
      else changes.push({ line: entry.line, change, previous: current });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      reject(entry.line, 'ci', error instanceof ValidationError ? [...error.errors] : [{ field: 'line', message: error.message }]);
    }
  }

  // Service codes stay unique: within the file and against the claims of other CIs.
  const codes = new Map<string, number>();
  const claimed = await claimsOf(
    tenantId,
    changes.map(({ change }) => serviceCodeOf(change.ci)).filter((code): code is string => code !== null),
  );
  for (const { line, change, previous } of changes) {
    const code = serviceCodeOf(change.ci);
    const holder = code === null ? undefined : claimed.get(code);
    if (code !== null && codes.has(code)) {
      reject(line, 'ci', [{ field: 'line.attributes.serviceCode', message: `Service code ${code} is also on line ${codes.get(code)}` }]);
      continue;
    }
    if (holder !== undefined && holder !== change.ci.id) {
      reject(line, 'ci', [{ field: 'line.attributes.serviceCode', message: `Service code ${code} belongs to CI ${holder}` }]);
      continue;
    }
    if (code !== null) codes.set(code, line);
    writes.push({ line, status: previous ? 'updated' : 'created', ciId: change.ci.id, items: ciWrite(TableName, actor, change, previous, importId, line) });
  }

  // Relationships: both ends must exist (stored, or written by this import); existing ones are left alone.
  const written = new Set(writes.map((write) => write.ciId));
  const endIds = parsed.relationships
    .flatMap(({ relationship }) => [relationship.dependentId, relationship.dependencyId])
    .filter((id) => !written.has(id) && !stored.has(id));
  const ends = await getCis(tenantId, endIds);
  const exists = (id: string) => written.has(id) || stored.has(id) || ends.has(id);
  const existingEdges = await existingOutboundEdges(
    tenantId,
    parsed.relationships.map(({ relationship }) => relationship),
  );
  for (const { line, relationship } of parsed.relationships) {
    const missing = [relationship.dependentId, relationship.dependencyId].filter((id) => !exists(id));
    if (missing.length > 0) {
      reject(line, 'relationship', [{ field: 'line', message: `No CI ${missing.join(' or ')} (neither stored nor valid in this import)` }]);
      continue;
    }
    if (existingEdges.has(relationshipEdgeKeys(tenantId, relationship).outbound.SK + relationship.dependentId)) {
      outcomes.push({ line, kind: 'relationship', status: 'unchanged' });
      continue;
    }
    const { outbound, inbound } = relationshipItems(tenantId, relationship, { createdAt: options.now, createdBy: actor.userId, importId });
    writes.push({
      line,
      status: 'added',
      items: [outbound, inbound].map((Item) => ({ Put: { TableName, Item, ConditionExpression: 'attribute_not_exists(PK)' } })),
    });
  }

  // The tenant's CI quota, checked up front for the whole file (a dry run too): past it, nothing is written.
  const creating = writes.filter((write) => write.status === 'created').length;
  if (creating > 0) await checkImportQuota(tenantId, creating);

  if (!options.dryRun) {
    // CIs first: relationships of this import may point at them.
    const ciWrites = writes.filter((write) => write.status !== 'added');
    const relationshipWrites = writes.filter((write) => write.status === 'added');
    for (const group of [ciWrites, relationshipWrites]) outcomes.push(...(await writeInTransactions(group)));
    await countCreated(tenantId, outcomes.filter((outcome) => outcome.kind === 'ci' && outcome.status === 'created').length);
  } else {
    outcomes.push(...writes.map((write) => outcomeOf(write, write.status)));
  }

  outcomes.sort((a, b) => a.line - b.line);
  const counts = { lines: parsed.total, ...countOutcomes(outcomes) };
  if (!options.dryRun) await recordImport(actor, importId, counts, options.now);
  return { importId, dryRun: options.dryRun, counts, lines: outcomes };
}

/**
 * 422 naming the CI quota when `creating` new CIs would take the tenant
 * past it (one GetItem for the count). An import is many transactions, not
 * one, so it is checked before and counted after (`countCreated`): imports
 * racing creates may pass the limit by their overlap, never more.
 */
async function checkImportQuota(tenantId: string, creating: number): Promise<void> {
  const [claim, used] = await Promise.all([quotaClaim(tenantId, 'cis'), quotaUsage(tenantId, 'cis')]);
  if (used + creating > claim.limit) throw new QuotaExceededError('cis', claim.limit);
}

/** Adds the CIs the import created to the tenant's CI count. */
async function countCreated(tenantId: string, created: number): Promise<void> {
  if (created === 0) return;
  await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: quotaCounterKey(tenantId, 'cis'),
      UpdateExpression: 'ADD #count :created SET entity = :entity, #quota = :quota',
      ExpressionAttributeNames: { '#count': 'count', '#quota': 'quota' },
      ExpressionAttributeValues: { ':created': created, ':entity': 'QuotaCounter', ':quota': 'cis' },
    }),
  );
}

function outcomeOf(write: LineWrite, status: LineStatus): LineOutcome {
  const kind = write.status === 'added' ? 'relationship' : 'ci';
  return { line: write.line, kind, status, ...(write.ciId ? { ciId: write.ciId } : {}) };
}

/** A CI's items: the record (conditional on the version judged), its audit entry, and its service code claim if the code moved. */
function ciWrite(TableName: string, actor: Actor, change: CiChange, previous: Ci | undefined, importId: string, line: number): TransactItem[] {
  const item = ciItem(change.ci);
  const items: TransactItem[] = [
    previous
      ? {
          Put: {
            TableName,
            Item: item,
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': previous.version },
          },
        }
      : { Put: { TableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
  ];
  const auditId = ulid();
  items.push({
    Put: {
      TableName,
      Item: {
        ...auditKey(item.PK, auditId),
        entity: 'AuditEntry',
        auditId,
        recordType: 'Ci',
        recordId: change.ci.id,
        action: 'import',
        version: change.ci.version,
        actorId: actor.userId,
        actorRoles: [...actor.roles],
        at: change.ci.updatedAt,
        changes: change.changes,
        facts: { importId, line },
        eventId: null,
      },
    },
  });
  const before = previous ? serviceCodeOf(previous) : null;
  const claim = serviceCodeClaim(change.ci);
  if (before !== serviceCodeOf(change.ci)) {
    if (claim)
      items.push({
        Put: { TableName, Item: claim, ConditionExpression: 'attribute_not_exists(PK) OR ciId = :ci', ExpressionAttributeValues: { ':ci': change.ci.id } },
      });
    if (before !== null) items.push({ Delete: { TableName, Key: serviceCodeKey(change.ci.tenantId, before) } });
  }
  return items;
}

/** Which of `codes` are claimed, and by which CI. */
async function claimsOf(tenantId: string, codes: readonly string[]): Promise<Map<string, string>> {
  const items = await batchGetItems([...new Set(codes)].map((code) => serviceCodeKey(tenantId, code)));
  return new Map(items.map((item) => [(item.PK as string).split('#').at(-1) as string, item.ciId as string]));
}

/** The outbound edges among `relationships` that are stored, as `SK + PK-id` strings. */
async function existingOutboundEdges(
  tenantId: string,
  relationships: readonly { type: string; dependentId: string; dependencyId: string }[],
): Promise<Set<string>> {
  const keys: PrimaryKey[] = relationships.map((relationship) => relationshipEdgeKeys(tenantId, relationship).outbound);
  const items = await batchGetItems(keys, { expression: 'PK, SK' });
  return new Set(items.map((item) => `${item.SK as string}${(item.PK as string).split('#').at(-1) as string}`));
}

/** Packs whole lines into transactions of at most 100 items and writes them, a few at a time. */
async function writeInTransactions(writes: readonly LineWrite[]): Promise<LineOutcome[]> {
  const batches: LineWrite[][] = [];
  let batch: LineWrite[] = [];
  let size = 0;
  for (const write of writes) {
    if (size + write.items.length > TRANSACTION_ITEMS) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(write);
    size += write.items.length;
  }
  if (batch.length > 0) batches.push(batch);
  const outcomes: LineOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const current = batches[next++] as LineWrite[];
      if (await transact(current.flatMap((write) => write.items))) {
        outcomes.push(...current.map((write) => outcomeOf(write, write.status)));
        continue;
      }
      // Something in the batch changed meanwhile: line by line, so only the line at fault fails.
      for (const write of current) outcomes.push(outcomeOf(write, (await transact(write.items)) ? write.status : 'conflict'));
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, batches.length) }, worker));
  return outcomes;
}

/** One transaction; `false` when a condition failed or other writers kept conflicting with it. */
async function transact(items: TransactItem[]): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
      if (codes.includes('ConditionalCheckFailed')) return false;
      const throttled = isThrottledCancellation(codes);
      if (attempt >= CONFLICT_RETRY.attempts) {
        // Whole lines are written so far; the same request again finishes the rest (it is idempotent).
        if (throttled) throw storageThrottled();
        return false;
      }
      // A conflicting transaction or throttling: conditions are re-evaluated, so retrying is safe.
      await sleep(CONFLICT_RETRY.delayMs(attempt));
    }
  }
}

/** The import's own record, audit entry and event, in one transaction. */
async function recordImport(actor: Actor, importId: string, counts: ImportResult['counts'], now: string): Promise<void> {
  const summary = {
    lines: counts.lines,
    created: counts.created,
    updated: counts.updated,
    unchanged: counts.unchanged,
    invalid: counts.invalid + counts.conflict,
    relationshipsAdded: counts.added,
  };
  await commitMutation({
    actor,
    recordType: 'CiImport',
    recordId: importId,
    write: {
      kind: 'create',
      item: { ...ciImportKey(actor.tenantId, importId), entity: 'CiImport', importId, ...counts, createdAt: now, createdBy: actor.userId, version: 1 },
    },
    audit: { action: 'import', version: 1, changes: [], facts: { ...counts } },
    event: buildEvent('CisImported', {
      ...eventEnvelope(actor.tenantId, now, actor),
      importId,
      version: 1,
      ...summary,
    }),
  });
}
