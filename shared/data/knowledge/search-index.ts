/**
 * The knowledge search index: an inverted index in the table. Each term
 * has a partition per scope (`all`: what agents search; `req`: only what
 * requesters may see) whose items are postings sorted by the term's BM25
 * impact in the document, best first, after one statistics item holding
 * the term's document frequency (sort key {@link TERM_STATS_SK}); a query
 * reads a bounded number of postings per term (one Query each, in
 * parallel), and the heads of its candidate documents (one BatchGetItem),
 * whose postings map gives every query term's impact in them. Indexing a
 * document rewrites only the postings that changed, moves the document
 * frequency of the terms it gained or lost, and keeps the list of
 * postings it owns on its head, so a new revision or a retirement removes
 * the old.
 * @module
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '#shared/data/batch-get.js';
import { type BatchWriteRequest, batchWriteItems } from '#shared/data/batch-write.js';
import { db, tableName } from '#shared/data/client.js';
import type { PrimaryKey } from '#shared/data/keys.js';
import { queryPage } from '#shared/data/query-page.js';
import { impactSortKey, type Posting } from '#shared/domain/knowledge/ranking.js';
import { documentHeadKey, knowledgeTotalsKey, postingPartition, type SearchScope, TERM_STATS_SK } from './keys.js';

/** What a search result shows of a document, and what the index needs to remove it later. */
export interface DocumentHead {
  readonly docKey: string;
  readonly kind: 'article' | 'known_error';
  readonly id: string;
  readonly number: string;
  readonly title: string;
  /** Plain text, cut to {@link HEAD_TEXT_CHARS}: enough for a snippet. */
  readonly text: string;
  readonly category: string | null;
  readonly scopes: readonly SearchScope[];
  readonly complete: boolean;
  readonly updatedAt: string;
  /** term → its posting's sort key, per scope (the same in each). */
  readonly postings: Readonly<Record<string, string>>;
}

export const HEAD_TEXT_CHARS = 2_000;

export async function getDocumentHead(tenantId: string, docKey: string): Promise<DocumentHead | null> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: documentHeadKey(tenantId, docKey), ConsistentRead: true }));
  return (result.Item as DocumentHead | undefined) ?? null;
}

export interface IndexWrite {
  readonly head: DocumentHead | null;
  readonly previous: DocumentHead | null;
  /** BatchWriteItem calls and postings written / deleted: the write cost of this indexing. */
  readonly calls: number;
  readonly written: number;
  readonly deleted: number;
}

/** A document as the index takes it: its head without the postings it owns, and term → impact. */
export interface IndexedDocument {
  readonly head: Omit<DocumentHead, 'postings'>;
  readonly impacts: ReadonlyMap<string, number>;
}

type TableItem = Record<string, unknown> & PrimaryKey;

/** term → the sort key of its posting for the document `docKey` (the same in every scope). */
function postingSortKeys(docKey: string, impacts: ReadonlyMap<string, number>): Record<string, string> {
  return Object.fromEntries([...impacts].map(([term, impact]) => [term, impactSortKey(impact, docKey)]));
}

function postingItem(tenantId: string, scope: SearchScope, term: string, sk: string, document: IndexedDocument): TableItem {
  return {
    PK: postingPartition(tenantId, scope, term),
    SK: sk,
    entity: 'SearchPosting',
    doc: document.head.docKey,
    imp: document.impacts.get(term) ?? 0,
    cat: document.head.category,
  };
}

function headItem(tenantId: string, head: DocumentHead): TableItem {
  return { ...documentHeadKey(tenantId, head.docKey), entity: 'SearchDocument', ...head };
}

/**
 * Every item the index holds for `document`: one posting per term and
 * scope, and its head. What {@link writeDocument} puts for a document not
 * indexed before; a bulk load (the search benchmark) writes these same
 * items straight into the table.
 */
export function documentItems(tenantId: string, document: IndexedDocument): { postings: TableItem[]; head: TableItem } {
  const sortKeys = postingSortKeys(document.head.docKey, document.impacts);
  return {
    postings: document.head.scopes.flatMap((scope) => Object.entries(sortKeys).map(([term, sk]) => postingItem(tenantId, scope, term, sk, document))),
    head: headItem(tenantId, { ...document.head, postings: sortKeys }),
  };
}

/**
 * Replaces the document `docKey` in the index with `next`, or removes it
 * (`null`).
 */
export async function writeDocument(tenantId: string, docKey: string, next: IndexedDocument | null): Promise<IndexWrite> {
  const previous = await getDocumentHead(tenantId, docKey);
  const sortKeys: Record<string, string> = next ? postingSortKeys(docKey, next.impacts) : {};
  const requests: BatchWriteRequest[] = [];
  for (const scope of ['all', 'req'] as const) {
    const before = previous?.scopes.includes(scope) ? previous.postings : {};
    const after = next?.head.scopes.includes(scope) ? sortKeys : {};
    for (const [term, sk] of Object.entries(before)) {
      if (after[term] !== sk) requests.push({ delete: { PK: postingPartition(tenantId, scope, term), SK: sk } });
    }
    for (const [term, sk] of Object.entries(after)) {
      if (next && before[term] !== sk) requests.push({ put: postingItem(tenantId, scope, term, sk, next) });
    }
  }
  // Deletes first in the list; BatchWriteItem refuses two requests for one key, which a changed sort key never makes.
  const calls = await batchWriteItems(requests);
  const frequencyCalls = await adjustDocumentFrequencies(tenantId, frequencyDeltas(previous, next ? { scopes: next.head.scopes, postings: sortKeys } : null));
  const head: DocumentHead | null = next ? { ...next.head, postings: sortKeys } : null;
  if (head) await db.send(new PutCommand({ TableName: tableName(), Item: headItem(tenantId, head) }));
  else if (previous) await db.send(new DeleteCommand({ TableName: tableName(), Key: documentHeadKey(tenantId, docKey) }));
  return {
    head,
    previous,
    calls: calls + frequencyCalls + 2,
    written: requests.filter((request) => 'put' in request).length,
    deleted: requests.filter((request) => 'delete' in request).length,
  };
}

/** Terms a document gained (+1) or lost (−1) per scope between two heads: what moves their document frequencies. */
export function frequencyDeltas(
  before: Pick<DocumentHead, 'scopes' | 'postings'> | null,
  after: Pick<DocumentHead, 'scopes' | 'postings'> | null,
): { scope: SearchScope; term: string; delta: 1 | -1 }[] {
  const deltas: { scope: SearchScope; term: string; delta: 1 | -1 }[] = [];
  for (const scope of ['all', 'req'] as const) {
    const had = new Set(before?.scopes.includes(scope) ? Object.keys(before.postings) : []);
    const has = new Set(after?.scopes.includes(scope) ? Object.keys(after.postings) : []);
    for (const term of has) if (!had.has(term)) deltas.push({ scope, term, delta: 1 });
    for (const term of had) if (!has.has(term)) deltas.push({ scope, term, delta: -1 });
  }
  return deltas;
}

/** The statistics item of a term in one scope: its document frequency (`df`). */
export function termStatsItem(tenantId: string, scope: SearchScope, term: string, df: number): TableItem {
  return { PK: postingPartition(tenantId, scope, term), SK: TERM_STATS_SK, entity: 'SearchTermStats', df };
}

const FREQUENCY_UPDATES_IN_FLIGHT = 8;

/**
 * Applies document-frequency deltas, one UpdateItem (ADD) per term and
 * scope, a few in flight; returns the calls made. Not transactional with
 * the postings: a run that fails between the two and is retried counts a
 * term twice, which moves its idf by a fraction of a percent at any df
 * where idf matters.
 */
async function adjustDocumentFrequencies(tenantId: string, deltas: readonly { scope: SearchScope; term: string; delta: number }[]): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < deltas.length) {
      const { scope, term, delta } = deltas[next++] as (typeof deltas)[number];
      await db.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { PK: postingPartition(tenantId, scope, term), SK: TERM_STATS_SK },
          UpdateExpression: 'ADD df :delta SET entity = :entity',
          ExpressionAttributeValues: { ':delta': delta, ':entity': 'SearchTermStats' },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(FREQUENCY_UPDATES_IN_FLIGHT, deltas.length) }, worker));
  return deltas.length;
}

/** A term's best postings in `scope`, at most `limit`, optionally only one category, and its document frequency: one Query. */
export async function readPostings(
  tenantId: string,
  scope: SearchScope,
  term: string,
  limit: number,
  category?: string,
): Promise<{ postings: Posting[]; df: number | undefined; complete: boolean }> {
  const PK = postingPartition(tenantId, scope, term);
  const page = await queryPage({
    KeyConditionExpression: 'PK = :pk',
    ...(category ? { FilterExpression: 'cat = :cat OR attribute_exists(df)' } : {}),
    ExpressionAttributeValues: { ':pk': PK, ...(category ? { ':cat': category } : {}) },
    ProjectionExpression: 'doc, imp, df',
    // One more than the postings wanted: the statistics item comes first.
    Limit: limit + 1,
    partition: { attribute: 'PK', value: PK },
  });
  const stats = page.items.find((item) => item.df !== undefined);
  return {
    postings: page.items.filter((item) => item.doc !== undefined).map((item) => ({ doc: item.doc as string, impact: Number(item.imp) })),
    df: stats ? Number(stats.df) : undefined,
    complete: page.nextCursor === null,
  };
}

/**
 * The heads of `docKeys` (one BatchGetItem per 100), by doc key, with the
 * sort keys of their postings of `terms` only (a head owns hundreds).
 */
export async function getDocumentHeads(tenantId: string, docKeys: readonly string[], terms: readonly string[] = []): Promise<Map<string, DocumentHead>> {
  if (docKeys.length === 0) return new Map();
  const termNames = Object.fromEntries(terms.map((term, i) => [`#t${i}`, term]));
  const items = await batchGetItems(
    docKeys.map((docKey) => documentHeadKey(tenantId, docKey)),
    {
      expression: ['docKey, kind, id, #number, title, #text, category, scopes, updatedAt', ...terms.map((_, i) => `#postings.#t${i}`)].join(', '),
      names: { '#number': 'number', '#text': 'text', ...(terms.length > 0 ? { '#postings': 'postings' } : {}), ...termNames },
    },
  );
  return new Map(items.map((item) => [item.docKey as string, { postings: {}, ...item } as unknown as DocumentHead]));
}

export interface KnowledgeTotals {
  /** Searchable documents per scope: the N of idf. */
  readonly docsAll: number;
  readonly docsReq: number;
  /** Published, not retired articles; and those of them with every required section. */
  readonly articlesLive: number;
  readonly articlesComplete: number;
}

export async function getKnowledgeTotals(tenantId: string): Promise<KnowledgeTotals> {
  const result = await db.send(new GetCommand({ TableName: tableName(), Key: knowledgeTotalsKey(tenantId) }));
  const item = result.Item ?? {};
  return {
    docsAll: Number(item.docsAll ?? 0),
    docsReq: Number(item.docsReq ?? 0),
    articlesLive: Number(item.articlesLive ?? 0),
    articlesComplete: Number(item.articlesComplete ?? 0),
  };
}

/** Adds `deltas` to the totals (one UpdateItem; nothing when all are 0). */
export async function adjustTotals(tenantId: string, deltas: Partial<Record<keyof KnowledgeTotals, number>>): Promise<void> {
  const entries = Object.entries(deltas).filter(([, value]) => value !== 0);
  if (entries.length === 0) return;
  await db.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: knowledgeTotalsKey(tenantId),
      UpdateExpression: `ADD ${entries.map((_, i) => `#f${i} :v${i}`).join(', ')} SET entity = :entity`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
      ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])), ':entity': 'KnowledgeCounter' },
    }),
  );
}
