/**
 * Key builders of the knowledge practice: the only place that knows how
 * its keys are spelt. Every key starts with the tenant prefix.
 * @module
 */
import { numberLookupKey, type PrimaryKey, segment, tenantPrefix } from '#shared/data/keys.js';

/** An article's partition: the record, each published revision, its stats, votes and audit trail. */
export function articleKey(tenantId: string, articleId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}ARTICLE#${segment(articleId)}`, SK: 'ARTICLE' };
}
export const REVISION_PREFIX = 'REV#';
export function articleRevisionKey(tenantId: string, articleId: string, revision: number): PrimaryKey {
  return { PK: articleKey(tenantId, articleId).PK, SK: `${REVISION_PREFIX}${String(revision).padStart(6, '0')}` };
}
export function articleStatsKey(tenantId: string, articleId: string): PrimaryKey {
  return { PK: articleKey(tenantId, articleId).PK, SK: 'STATS' };
}
export function articleVoteKey(tenantId: string, articleId: string, userId: string): PrimaryKey {
  return { PK: articleKey(tenantId, articleId).PK, SK: `VOTE#${segment(userId)}` };
}

/** GSI1: every article, soonest review due first (drafts last); GSI2: by status in the same order (overdue = published up to now). */
export function articleListKey(tenantId: string, status?: string): { indexName: string; partitionKey: string } {
  return status === undefined
    ? { indexName: 'GSI1', partitionKey: `${tenantPrefix(tenantId)}ARTICLES` }
    : { indexName: 'GSI2', partitionKey: `${tenantPrefix(tenantId)}ARTICLES#STATUS#${segment(status)}` };
}

/** Sort key of drafts and retired articles, which have no review date: after every date. */
export const NO_REVIEW_DATE = '9999-12-31T00:00:00.000Z';

export function articleIndexKeys(article: {
  tenantId: string;
  id: string;
  number: string;
  status: string;
  reviewDueAt: string | null;
}): Record<string, string> {
  return {
    QSK: `${article.reviewDueAt ?? NO_REVIEW_DATE}#${article.id}`,
    GSI1PK: articleListKey(article.tenantId).partitionKey,
    GSI2PK: articleListKey(article.tenantId, article.status).partitionKey,
    GSI7PK: numberLookupKey(article.tenantId, article.number).partitionKey,
  };
}

/** Who may find a document: `all` is what agents search; `req` holds only what requesters may see. */
export type SearchScope = 'all' | 'req';

/** A term's postings in one scope, best impact first (sort key from `impactSortKey`). Terms never contain `#` (the tokeniser drops them). */
export function postingPartition(tenantId: string, scope: SearchScope, term: string): string {
  if (term.includes('#') || term.length === 0) throw new Error(`Unsafe search term: ${JSON.stringify(term)}`);
  return `${tenantPrefix(tenantId)}KB_TERM#${scope}#${term}`;
}

/**
 * The sort key of a term partition's statistics item (its document
 * frequency): `#` sorts before the digits every posting sort key starts
 * with, so the Query that reads the best postings reads it first.
 */
export const TERM_STATS_SK = '#DF';

/** The head of an indexed document (article or known error): what a result shows, and the postings it owns. */
export function documentHeadKey(tenantId: string, docKey: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}KB_DOC#${segment(docKey)}`, SK: 'DOC' };
}

/** The tenant's knowledge counters: totals, and one item per calendar month. */
export function knowledgeTotalsKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}KB_METRICS`, SK: 'TOTAL' };
}
export function knowledgePeriodKey(tenantId: string, month: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}KB_METRICS`, SK: `PERIOD#${segment(month)}` };
}
/** Marks an event as counted, so a redelivered event does not count twice. */
export function countedEventKey(tenantId: string, eventId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}KB_COUNTED#${segment(eventId)}`, SK: 'COUNTED' };
}

/** Knowledge settings (review interval). */
export function knowledgeSettingsKey(tenantId: string): PrimaryKey {
  return { PK: `${tenantPrefix(tenantId)}SETTINGS`, SK: 'KNOWLEDGE' };
}
