/**
 * Knowledge search and suggestions. A query is tokenised like the
 * documents (Chinese and English), each of its terms (at most
 * {@link MAX_QUERY_TERMS}) reads its document frequency and its best
 * postings ({@link postingsToRead}) (one Query each, in parallel, with
 * the document count from one GetItem); the {@link MAX_CANDIDATES}
 * documents that could score highest have their heads read with one
 * BatchGetItem, which gives every query term's impact in them, and are
 * ranked by their full BM25 score: at most 10 calls and a bounded read
 * whatever the size of the tenant's knowledge base. Requesters search the
 * `req` scope, which holds only published requester articles.
 * @module
 */
import { neighbourReader } from '#shared/data/cmdb/ci-repository.js';
import type { SearchScope } from '#shared/data/knowledge/keys.js';
import { getDocumentHeads, getKnowledgeTotals, readPostings } from '#shared/data/knowledge/search-index.js';
import { knownErrorsOnCis } from '#shared/data/problems/problem-repository.js';
import { walkImpact } from '#shared/domain/cmdb/impact.js';
import { candidates, impactOfSortKey, MAX_CANDIDATES, rescore, snippet, type TermPostings } from '#shared/domain/knowledge/ranking.js';
import { queryTerms } from '#shared/domain/knowledge/tokenise.js';
import { type Actor, isStaff } from '#shared/domain/roles.js';
import { logger } from '#shared/observability/logger.js';

export const MAX_QUERY_TERMS = 8;
export const POSTINGS_PER_TERM = 200;

/**
 * Postings read per term. One term, unfiltered: its best `limit` postings
 * are the exact answer (one idf, impact order), so no more are read. With
 * several terms, or a category or kind filter applied to what is read,
 * the full {@link POSTINGS_PER_TERM}.
 */
export function postingsToRead(terms: number, request: Pick<SearchRequest, 'limit' | 'category' | 'kind'>): number {
  return terms === 1 && !request.category && !request.kind ? request.limit : POSTINGS_PER_TERM;
}

export interface SearchHit {
  readonly kind: 'article' | 'known_error';
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly snippet: string;
  readonly category: string | null;
  readonly score: number;
}

export interface SearchRequest {
  readonly q: string;
  readonly category?: string | undefined;
  /** Staff may search as requesters see it; requesters always do. */
  readonly audience?: 'requesters' | 'agents' | undefined;
  readonly kind?: 'article' | 'known_error' | undefined;
  readonly limit: number;
}

export function scopeOf(actor: Pick<Actor, 'roles'>, audience?: 'requesters' | 'agents'): SearchScope {
  return !isStaff(actor) || audience === 'requesters' ? 'req' : 'all';
}

/** The ranked hits of `request` for `actor`. */
export async function searchKnowledge(actor: Pick<Actor, 'tenantId' | 'roles'>, request: SearchRequest): Promise<{ items: SearchHit[]; terms: string[] }> {
  const terms = queryTerms(request.q, MAX_QUERY_TERMS);
  if (terms.length === 0) return { items: [], terms };
  const scope = scopeOf(actor, request.audience);
  const [totals, ...postings] = await Promise.all([
    getKnowledgeTotals(actor.tenantId),
    ...terms.map((term) => readPostings(actor.tenantId, scope, term, postingsToRead(terms.length, request), request.category)),
  ]);
  const n = scope === 'req' ? totals.docsReq : totals.docsAll;
  const kindPrefix = request.kind === 'article' ? 'A.' : request.kind === 'known_error' ? 'K.' : '';
  const lists: TermPostings[] = postings.map((read) => ({
    postings: read.postings.filter((posting) => posting.doc.startsWith(kindPrefix)),
    df: read.df,
    complete: read.complete,
  }));
  const chosen = candidates(lists, n, request.limit, MAX_CANDIDATES);
  const heads = await getDocumentHeads(
    actor.tenantId,
    chosen.candidates.map((candidate) => candidate.doc),
    terms,
  );
  const impactsOf = (doc: string) => {
    const head = heads.get(doc);
    if (!head) return undefined;
    return new Map(terms.flatMap((term, t) => (head.postings[term] ? [[t, impactOfSortKey(head.postings[term])] as const] : [])));
  };
  const { hits: top } = rescore(lists, n, chosen, impactsOf, request.limit);
  const items = top.flatMap((hit) => {
    const head = heads.get(hit.doc);
    // A head missing here was removed between the postings read and this one (a retirement): not a result any more.
    if (!head) return [];
    return [
      {
        kind: head.kind,
        id: head.id,
        number: head.number,
        title: head.title,
        snippet: snippet(head.text, terms),
        category: head.category,
        score: Math.round(hit.score * 1000) / 1000,
      },
    ];
  });
  return { items, terms };
}

/** A known error offered because it is recorded against the incident's CI or one it depends on. */
export interface KnownErrorSuggestion {
  readonly problemId: string;
  readonly number: string;
  readonly title: string;
  readonly symptoms: string;
  readonly workaround: string;
  /** The CI it was recorded against: the incident's own, or one it depends on. */
  readonly matchedCiId: string;
}

export interface Suggestions {
  readonly knownErrors: readonly KnownErrorSuggestion[];
  readonly articles: readonly SearchHit[];
}

/** How far down an incident's dependencies known errors are looked for (the VM's host is one level). */
const SUGGESTION_DEPENDENCY_DEPTH = 1;
const SUGGESTION_DEPENDENCIES = 8;
export const SUGGESTIONS_PER_KIND = 3;

/**
 * What to offer an incident: known errors recorded against its CI or what
 * it depends on (staff only), then articles and known errors matching its
 * title and description. Bounded: one Query for the CI's dependencies, one
 * per CI for known errors (≤ 9), and one search (≤ 8 Queries, a GetItem
 * and a BatchGetItem).
 */
export async function suggestFor(
  actor: Pick<Actor, 'tenantId' | 'roles'>,
  incident: { title: string; description: string; ciId: string | null },
): Promise<Suggestions> {
  const staff = isStaff(actor);
  const byCi = async (): Promise<KnownErrorSuggestion[]> => {
    if (!staff || !incident.ciId) return [];
    const walk = await walkImpact(
      incident.ciId,
      'downstream',
      { maxDepth: SUGGESTION_DEPENDENCY_DEPTH, maxNodes: SUGGESTION_DEPENDENCIES },
      neighbourReader(actor.tenantId, 'downstream'),
    );
    const found = await knownErrorsOnCis(actor.tenantId, [incident.ciId, ...walk.impacted.map((ci) => ci.id)], SUGGESTIONS_PER_KIND);
    const unique = new Map(found.map((entry) => [entry.problemId, entry]));
    return [...unique.values()].slice(0, SUGGESTIONS_PER_KIND).map(({ ciId, ...entry }) => ({ ...entry, matchedCiId: ciId }));
  };
  const [knownErrors, text] = await Promise.all([
    byCi(),
    searchKnowledge(actor, { q: `${incident.title} ${incident.description.slice(0, 500)}`, limit: SUGGESTIONS_PER_KIND * 2 }),
  ]);
  const offered = new Set(knownErrors.map((entry) => entry.problemId));
  return { knownErrors, articles: text.items.filter((hit) => !(hit.kind === 'known_error' && offered.has(hit.id))).slice(0, SUGGESTIONS_PER_KIND * 2) };
}

/**
 * {@link suggestFor} for a create path: suggestions are an offer, so a
 * failure to read them is logged and answered with none rather than
 * failing the incident being recorded.
 */
export async function suggestionsOrNone(
  actor: Pick<Actor, 'tenantId' | 'roles'>,
  incident: { title: string; description: string; ciId: string | null },
): Promise<Suggestions> {
  try {
    return await suggestFor(actor, incident);
  } catch (error) {
    logger.warn('Knowledge suggestions unavailable', { error });
    return { knownErrors: [], articles: [] };
  }
}
