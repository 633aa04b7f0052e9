/**
 * Knowledge articles in the single table. A publish writes the record and
 * an immutable copy of the published revision in one transaction, so every
 * published version is kept; lists are Queries on GSI1/GSI2.
 * @module
 */

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '#shared/data/client.js';
import type { IdempotencyClaim, IdempotentReplay } from '#shared/data/commit-mutation.js';
import type { Page } from '#shared/data/cursor.js';
import type { AuditEntry } from '#shared/data/incidents/incident-repository.js';
import type { PrimaryKey } from '#shared/data/keys.js';
import { allocateNumber } from '#shared/data/number-sequence.js';
import { auditTrailPage, queryPage, queryPrefixPage } from '#shared/data/query-page.js';
import { recordStore } from '#shared/data/record-store.js';
import { translateStorageError } from '#shared/data/storage-errors.js';
import { SUMMARY_ATTRIBUTE, withoutStorageAttributes } from '#shared/data/table-definition.js';
import { ConflictError } from '#shared/domain/errors.js';
import type { Article, ArticleChange, PublishedRevision } from '#shared/domain/knowledge/article.js';
import type { Actor } from '#shared/domain/roles.js';
import {
  articleIndexKeys,
  articleKey,
  articleListKey,
  articleRevisionKey,
  articleStatsKey,
  articleVoteKey,
  knowledgePeriodKey,
  REVISION_PREFIX,
} from './keys.js';
import { counterUpdate } from './metrics-repository.js';

export interface ArticleSummary {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly status: Article['status'];
  readonly category: string;
  readonly language: string;
  readonly revision: number;
  readonly publishedRevision: number | null;
  readonly reviewDueAt: string | null;
  readonly updatedAt: string;
  readonly version: number;
}

function summarise(article: Article): ArticleSummary {
  return {
    id: article.id,
    number: article.number,
    title: article.content.title,
    status: article.status,
    category: article.content.category,
    language: article.content.language,
    revision: article.revision,
    publishedRevision: article.published?.revision ?? null,
    reviewDueAt: article.reviewDueAt,
    updatedAt: article.updatedAt,
    version: article.version,
  };
}

function toItem(article: Article): Record<string, unknown> & PrimaryKey {
  return { ...articleKey(article.tenantId, article.id), entity: 'Article', ...articleIndexKeys(article), [SUMMARY_ATTRIBUTE]: summarise(article), ...article };
}

export function allocateArticleNumber(tenantId: string): Promise<string> {
  return allocateNumber(tenantId, 'KB');
}

/** The immutable copy of a revision a publish writes. */
function revisionItem(article: Article, published: PublishedRevision): Record<string, unknown> & PrimaryKey {
  return { ...articleRevisionKey(article.tenantId, article.id, published.revision), entity: 'ArticleRevision', articleId: article.id, ...published };
}

const articles = recordStore<Article, ArticleChange>({
  recordType: 'Article',
  idMember: 'articleId',
  key: articleKey,
  toItem,
  fromItem: (item) => withoutStorageAttributes<Article>(item),
  recordOf: (change) => change.article,
  eventDetail: ({ article }) => ({ title: article.content.title, audience: [...(article.published?.content.audience ?? article.content.audience)] }),
});

export function insertArticle(change: ArticleChange, actor: Actor, idempotency?: IdempotencyClaim): Promise<IdempotentReplay | null> {
  return articles.insert(change, actor, { idempotency });
}

/** Writes a changed article if `previous` is still the stored version; a publish also keeps the published revision beside it. */
export async function saveArticle(change: ArticleChange, previous: Article, actor: Actor, ifMatch: boolean): Promise<void> {
  const { article } = change;
  const published = change.eventType === 'ArticlePublished' && article.published ? article.published : null;
  await articles.save(change, actor, previous.version, ifMatch, published ? { extraItems: [revisionItem(article, published)] } : {});
}

export const getArticle = articles.get;
export const getArticleByNumber = articles.getByNumber;

/** A page of articles, soonest review first; by status; `dueBy` narrows published ones to those due for review by then. */
export async function listArticles(
  tenantId: string,
  request: { status?: string | undefined; dueBy?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<ArticleSummary>> {
  const status = request.dueBy ? 'published' : request.status;
  const { indexName, partitionKey } = articleListKey(tenantId, status);
  const attribute = `${indexName}PK`;
  const page = await queryPage(
    {
      IndexName: indexName,
      KeyConditionExpression: request.dueBy ? `${attribute} = :pk AND QSK <= :due` : `${attribute} = :pk`,
      ExpressionAttributeValues: { ':pk': partitionKey, ...(request.dueBy ? { ':due': `${request.dueBy}#~` } : {}) },
      Limit: request.limit,
      partition: { attribute, value: partitionKey },
    },
    request.cursor,
  );
  return { items: page.items.map((item) => item[SUMMARY_ATTRIBUTE] as ArticleSummary), nextCursor: page.nextCursor };
}

/** The published revisions of an article, oldest first: each one kept as it was published. */
export async function listArticleRevisions(tenantId: string, articleId: string, limit: number, cursor?: string): Promise<Page<PublishedRevision>> {
  const page = await queryPrefixPage(articleKey(tenantId, articleId).PK, REVISION_PREFIX, { limit, cursor });
  return {
    items: page.items.map((item) => withoutStorageAttributes<PublishedRevision & { articleId?: string }>(item)).map(({ articleId: _a, ...rest }) => rest),
    nextCursor: page.nextCursor,
  };
}

export async function listArticleHistory(tenantId: string, articleId: string, limit: number, cursor?: string): Promise<Page<AuditEntry>> {
  return auditTrailPage<AuditEntry>(articleKey(tenantId, articleId).PK, { limit, cursor });
}

export interface ArticleStats {
  readonly views: number;
  readonly helpful: number;
  readonly notHelpful: number;
  readonly uses: number;
}

export async function getArticleStats(tenantId: string, articleId: string): Promise<ArticleStats> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: articleStatsKey(tenantId, articleId) }));
  const item = result.Item ?? {};
  return { views: Number(item.views ?? 0), helpful: Number(item.helpful ?? 0), notHelpful: Number(item.notHelpful ?? 0), uses: Number(item.uses ?? 0) };
}

const month = (iso: string) => iso.slice(0, 7);

/**
 * Counts a view on the article and in the month: two counter updates, no
 * audit (a view changes no record). Counters are metrics, not records: a
 * lost update under a storage fault is tolerated, so they run outside any
 * transaction and never slow the read down with a conflict.
 */
export async function countView(tenantId: string, articleId: string, now: string): Promise<void> {
  const TableName = tableName();
  await Promise.all(
    [articleStatsKey(tenantId, articleId), knowledgePeriodKey(tenantId, month(now))].map((key) =>
      db.send(new UpdateCommand(counterUpdate(TableName, key, { views: 1 }).Update)),
    ),
  );
}

/** Records one user's helpful / not-helpful vote: once per user and article (409 on a second vote). */
export async function recordVote(tenantId: string, articleId: string, userId: string, helpful: boolean, now: string): Promise<void> {
  const TableName = tableName();
  const adds = { [helpful ? 'helpful' : 'notHelpful']: 1 };
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName,
              Item: { ...articleVoteKey(tenantId, articleId, userId), entity: 'ArticleVote', helpful, at: now },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          counterUpdate(TableName, articleStatsKey(tenantId, articleId), adds),
          counterUpdate(TableName, knowledgePeriodKey(tenantId, month(now)), adds),
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      throw new ConflictError('You already rated this article.');
    }
    throw translateStorageError(error);
  }
}
