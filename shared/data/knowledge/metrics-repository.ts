/**
 * Knowledge metrics are counters, never scans: one item per calendar month
 * (`PERIOD#2026-12`) that events add to, read back for a range of months
 * with one BatchGetItem. An event counts once: its id is written with the
 * counters in one transaction, and a redelivery finds it there.
 * @module
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '#shared/data/batch-get.js';
import { db, tableName } from '#shared/data/client.js';
import type { PrimaryKey } from '#shared/data/keys.js';
import { translateStorageError } from '#shared/data/storage-errors.js';
import { articleStatsKey, countedEventKey, knowledgePeriodKey } from './keys.js';

/** Counters kept per month. */
export const PERIOD_COUNTERS = [
  'published',
  'republished',
  'retired',
  'resolved',
  'resolvedWithKnowledge',
  'resolvedWithArticle',
  'resolvedWithKnownError',
  'views',
  'helpful',
  'notHelpful',
] as const;
export type PeriodCounter = (typeof PERIOD_COUNTERS)[number];
export type PeriodCounts = Readonly<Record<PeriodCounter, number>>;

/** Counted-event markers expire after a week: longer than any redelivery. */
const COUNTED_TTL_SECONDS = 7 * 86_400;

/** The transaction item that adds `adds` to the counters of `key` (created at zero if absent); zero adds are left out. */
export function counterUpdate(TableName: string, key: PrimaryKey, adds: Readonly<Record<string, number>>) {
  const entries = Object.entries(adds).filter(([, value]) => value !== 0);
  return {
    Update: {
      TableName,
      Key: key,
      UpdateExpression: `ADD ${entries.map((_, i) => `#f${i} :v${i}`).join(', ')} SET entity = if_not_exists(entity, :entity)`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
      ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])), ':entity': 'KnowledgeCounter' },
    },
  };
}

/**
 * Adds `adds` to the month of `at` (and `articleAdds` to an article's
 * stats) unless event `eventId` was counted already. Returns whether it counted.
 */
export async function countEventOnce(
  tenantId: string,
  eventId: string,
  at: string,
  adds: Partial<Record<PeriodCounter, number>>,
  article?: { readonly id: string; readonly adds: Readonly<Record<string, number>> },
): Promise<boolean> {
  const TableName = tableName();
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName,
              Item: { ...countedEventKey(tenantId, eventId), entity: 'CountedEvent', expiresAt: Math.floor(Date.parse(at) / 1000) + COUNTED_TTL_SECONDS },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          counterUpdate(TableName, knowledgePeriodKey(tenantId, at.slice(0, 7)), adds),
          ...(article ? [counterUpdate(TableName, articleStatsKey(tenantId, article.id), article.adds)] : []),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw translateStorageError(error);
  }
}

/** The counters of each month in `months` (YYYY-MM), zero where nothing was counted: one BatchGetItem. */
export async function getPeriods(tenantId: string, months: readonly string[]): Promise<Map<string, PeriodCounts>> {
  const items = await batchGetItems(months.map((month) => knowledgePeriodKey(tenantId, month)));
  const byMonth = new Map(items.map((item) => [(item.SK as string).slice('PERIOD#'.length), item]));
  return new Map(
    months.map((month) => {
      const item = byMonth.get(month) ?? {};
      return [month, Object.fromEntries(PERIOD_COUNTERS.map((counter) => [counter, Number(item[counter] ?? 0)])) as PeriodCounts];
    }),
  );
}
