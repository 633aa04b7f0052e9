/**
 * Trend detection's storage: the incidents seen per CI (one small item per
 * incident and cluster CI, expiring after the longest window) and each
 * cluster's proposal claim, in one partition per CI, so reading a cluster
 * within a window (and its claim) is one Query.
 * @module
 */

import { batchWriteItems } from '#shared/data/batch-write.js';
import type { RelatedUpdate } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import { queryPage } from '#shared/data/query-page.js';
import { TTL_ATTRIBUTE } from '#shared/data/table-definition.js';
import type { Cluster, ClusterClaim, ClusterState, Occurrence } from '#shared/domain/problems/trend.js';
import { MAX_OCCURRENCES_READ } from '#shared/domain/problems/trend.js';
import { TREND_CLAIM_SK, trendPartition } from './keys.js';

/** Occurrences outlive the longest window a tenant may set (720 h) by a day. */
const OCCURRENCE_TTL_SECONDS = 31 * 86_400;

/** Records `occurrence` in each cluster's partition (one BatchWriteItem for up to 25 clusters); returns the calls made. */
export function recordOccurrence(tenantId: string, clusters: readonly Cluster[], occurrence: Occurrence): Promise<number> {
  const expiresAt = Math.floor(Date.parse(occurrence.createdAt) / 1000) + OCCURRENCE_TTL_SECONDS;
  return batchWriteItems(
    clusters.map((cluster) => ({
      put: {
        PK: trendPartition(tenantId, cluster.ciId),
        SK: `${occurrence.createdAt}#${occurrence.incidentId}`,
        entity: 'TrendOccurrence',
        ...occurrence,
        [TTL_ATTRIBUTE]: expiresAt,
      },
    })),
  );
}

/**
 * Each cluster's occurrences since `from` and its claim: one Query per
 * cluster, newest first, so the claim (sort key `CLAIM`, after every
 * timestamp) comes first and at most {@link MAX_OCCURRENCES_READ} follow.
 */
export async function readClusters(tenantId: string, clusters: readonly Cluster[], from: string): Promise<ClusterState[]> {
  return Promise.all(
    clusters.map(async (cluster) => {
      const PK = trendPartition(tenantId, cluster.ciId);
      const page: Page<Record<string, unknown>> = await queryPage({
        KeyConditionExpression: 'PK = :pk AND SK >= :from',
        ExpressionAttributeValues: { ':pk': PK, ':from': from },
        ScanIndexForward: false,
        Limit: MAX_OCCURRENCES_READ + 1,
        partition: { attribute: 'PK', value: PK },
      });
      const claimItem = page.items.find((item) => item.SK === TREND_CLAIM_SK);
      const claim: ClusterClaim | null = claimItem ? { problemId: claimItem.problemId as string, until: claimItem.until as string } : null;
      const occurrences: Occurrence[] = page.items
        .filter((item) => item.SK !== TREND_CLAIM_SK)
        .map((item) => ({
          incidentId: item.incidentId as string,
          number: item.number as string,
          ciId: item.ciId as string,
          createdAt: item.createdAt as string,
        }));
      return { cluster, occurrences, claim };
    }),
  );
}

/**
 * The claim a proposal writes with its problem, in the same transaction:
 * only if the cluster is unclaimed or its claim has lapsed (a concurrent
 * proposal for the same cluster then fails with 409 and joins instead).
 */
export function claimCluster(tenantId: string, ciId: string, claim: ClusterClaim, now: string): RelatedUpdate {
  return {
    key: { PK: trendPartition(tenantId, ciId), SK: TREND_CLAIM_SK },
    update: {
      UpdateExpression: 'SET entity = :entity, problemId = :problemId, #until = :until',
      ConditionExpression: 'attribute_not_exists(PK) OR #until <= :now',
      ExpressionAttributeNames: { '#until': 'until' },
      ExpressionAttributeValues: { ':entity': 'TrendClaim', ':problemId': claim.problemId, ':until': claim.until, ':now': now },
    },
  };
}
