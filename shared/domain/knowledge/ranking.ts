/**
 * Relevance ranking: BM25 split into its two halves so the index can be
 * read a bounded amount per term. The term-frequency half (the "impact" of
 * a term in a document) depends only on the document and is computed when
 * it is indexed, becoming the sort order of the term's postings, so a
 * Query reads a term's best documents first; the idf half depends on the
 * collection and is computed at query time from the number of documents
 * and the term's document frequency, which the index keeps per term.
 *
 * A search reads only the top postings of each term, so a document can be
 * seen through one term and missed by another's read. Ranking therefore
 * runs in two steps, as in the threshold algorithm: {@link candidates}
 * keeps the documents whose best possible score (what was read, plus, for
 * each term not seen, the lowest impact read of that term) is highest,
 * and {@link rescore} scores those with every query term's impact from
 * the documents themselves, so no result is ranked on a partial score.
 * Pure functions.
 * @module
 */

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/**
 * The average document length BM25 normalises by. Fixed rather than kept
 * per tenant: a stored impact then never needs recomputing as the
 * collection grows (a knowledge article of a few paragraphs is ~150 terms).
 */
export const AVERAGE_DOCUMENT_TERMS = 150;

/** The BM25 term-frequency component of a term occurring `tf` times in a document of `length` terms. */
export function termImpact(tf: number, length: number): number {
  const norm = 1 - BM25_B + (BM25_B * length) / AVERAGE_DOCUMENT_TERMS;
  return (tf * (BM25_K1 + 1)) / (tf + BM25_K1 * norm);
}

/** BM25's idf (never negative) of a term in `df` of `n` documents. */
export function inverseDocumentFrequency(n: number, df: number): number {
  const docs = Math.max(n, df);
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

/** The sort key of a posting: higher impact sorts first (ascending order of the inverted, zero-padded value). */
export function impactSortKey(impact: number, docKey: string): string {
  const scaled = Math.max(0, Math.min(999_999, Math.round(impact * 10_000)));
  return `${String(999_999 - scaled).padStart(6, '0')}#${docKey}`;
}

export interface Posting {
  readonly doc: string;
  readonly impact: number;
}

/** The impact a posting sort key encodes (to its 4 decimals): the inverse of {@link impactSortKey}. */
export function impactOfSortKey(sortKey: string): number {
  return (999_999 - Number.parseInt(sortKey.slice(0, 6), 10)) / 10_000;
}

/** One query term's read: its best postings, best first; its document frequency if known (else the postings read count). */
export interface TermPostings {
  readonly postings: readonly Posting[];
  readonly df?: number | undefined;
  /** Every posting of the term was read (none beyond): a document not among them lacks the term. */
  readonly complete?: boolean | undefined;
}

const byScore = (a: { doc: string; score: number }, b: { doc: string; score: number }) => b.score - a.score || a.doc.localeCompare(b.doc);

/** BM25 idf of each term: its df from the index, else the postings read (a lower bound when the read was cut). */
function idfs(postingsByTerm: readonly TermPostings[], n: number): number[] {
  return postingsByTerm.map((entry) => inverseDocumentFrequency(n, entry.df ?? entry.postings.length));
}

/**
 * Scores documents from each term's postings: Σ idf(term) × impact. `n` is
 * the number of documents searched. Exact when every posting was read.
 */
export function rank(postingsByTerm: readonly TermPostings[], n: number, top: number): { doc: string; score: number }[] {
  const scores = new Map<string, number>();
  const weights = idfs(postingsByTerm, n);
  postingsByTerm.forEach(({ postings }, t) => {
    for (const posting of postings) scores.set(posting.doc, (scores.get(posting.doc) ?? 0) + (weights[t] as number) * posting.impact);
  });
  return [...scores]
    .map(([doc, score]) => ({ doc, score }))
    .sort(byScore)
    .slice(0, top);
}

/** How many documents a search rescores: one BatchGetItem of their heads. */
export const MAX_CANDIDATES = 30;

export interface Candidate {
  readonly doc: string;
  /** The score from the postings read. */
  readonly seen: number;
  /** The most it can be: `seen` plus, per term not seen, idf × the lowest impact read of that term (0 if the read was complete). */
  readonly bound: number;
}

/**
 * The documents that may make the best `top`: those whose bound reaches
 * the `top`-th best seen score (a floor under the final `top`-th score,
 * since a score only grows when the missing terms are added), best bound
 * first (ties: higher seen score, then doc key), at most `max`. A
 * document seen through every query term has its exact score already, so
 * a one-term query keeps just its `top`. A document outside them can
 * score at most the first left-out bound, or the best bound of a document
 * never read (Σ idf × lowest impact read, over the incomplete terms),
 * whichever is higher: {@link rescore} reports whether the answer is
 * provably the exact top.
 */
export function candidates(
  postingsByTerm: readonly TermPostings[],
  n: number,
  top: number,
  max: number = MAX_CANDIDATES,
): { candidates: Candidate[]; unseenBound: number } {
  const weights = idfs(postingsByTerm, n);
  const floor = postingsByTerm.map((entry, t) =>
    entry.complete || entry.postings.length === 0 ? 0 : (weights[t] as number) * (entry.postings[entry.postings.length - 1] as Posting).impact,
  );
  const seen = new Map<string, { score: number; terms: Set<number> }>();
  postingsByTerm.forEach(({ postings }, t) => {
    for (const posting of postings) {
      const entry = seen.get(posting.doc) ?? { score: 0, terms: new Set<number>() };
      if (!entry.terms.has(t)) {
        entry.score += (weights[t] as number) * posting.impact;
        entry.terms.add(t);
      }
      seen.set(posting.doc, entry);
    }
  });
  const all = [...seen].map(([doc, { score, terms }]) => ({
    doc,
    seen: score,
    bound: score + floor.reduce((sum, value, t) => sum + (terms.has(t) ? 0 : value), 0),
  }));
  all.sort((a, b) => b.bound - a.bound || b.seen - a.seen || a.doc.localeCompare(b.doc));
  const floorOfTop = top > 0 ? ([...all.map((entry) => entry.seen)].sort((a, b) => b - a)[top - 1] ?? 0) : Number.POSITIVE_INFINITY;
  const reaching = all.filter((entry) => entry.bound >= floorOfTop);
  const kept = reaching.slice(0, max);
  const firstLeftOut = all[kept.length]?.bound ?? 0;
  return {
    candidates: kept,
    unseenBound: Math.max(
      firstLeftOut,
      floor.reduce((sum, value) => sum + value, 0),
    ),
  };
}

/**
 * Final scores of the candidates from every query term's impact in each
 * (`impactsOf(doc)`: term index → impact, read from the document's head),
 * the best `top`. `exact`: the answer is the exact BM25 top (every
 * returned score is at least what any document left out could reach).
 */
export function rescore(
  postingsByTerm: readonly TermPostings[],
  n: number,
  chosen: { candidates: readonly Candidate[]; unseenBound: number },
  impactsOf: (doc: string) => ReadonlyMap<number, number> | undefined,
  top: number,
): { hits: { doc: string; score: number }[]; exact: boolean } {
  const weights = idfs(postingsByTerm, n);
  const scored = chosen.candidates.flatMap((candidate) => {
    const impacts = impactsOf(candidate.doc);
    // A document gone from the index since its postings were read (retired) is no result.
    if (!impacts) return [];
    return [{ doc: candidate.doc, score: [...impacts].reduce((sum, [t, impact]) => sum + (weights[t] ?? 0) * impact, 0) }];
  });
  const hits = scored.sort(byScore).slice(0, top);
  const last = hits[hits.length - 1];
  return { hits, exact: hits.length < top ? chosen.unseenBound === 0 : (last?.score ?? 0) >= chosen.unseenBound };
}

/**
 * A snippet of `text` around the first place a query term occurs, about
 * `width` characters, with an ellipsis where it was cut. Plain text in,
 * plain text out: the client escapes it like any other string.
 */
export function snippet(text: string, terms: readonly string[], width = 160): string {
  const lower = text.normalize('NFKC').toLowerCase();
  const found = terms.map((term) => lower.indexOf(term)).filter((index) => index >= 0);
  const at = found.length > 0 ? Math.min(...found) : 0;
  const chars = [...text];
  const start = Math.max(0, Math.min(at - Math.floor(width / 3), chars.length - width));
  const cut = chars.slice(start, start + width).join('');
  return `${start > 0 ? '…' : ''}${cut}${start + width < chars.length ? '…' : ''}`;
}

/** At most this many terms of one document are indexed (its highest-impact ones): the write cost per publish is bounded. */
export const MAX_TERMS_PER_DOCUMENT = 300;
/** Title terms count this many times: a match in the title says more than one in the body. */
export const TITLE_WEIGHT = 3;

/** A document's postings: term → impact, for its highest-impact terms. */
export function documentPostings(title: string, text: string, tokenise: (text: string) => string[]): Map<string, number> {
  const titleTerms = tokenise(title);
  const bodyTerms = tokenise(text);
  const tf = new Map<string, number>();
  for (const term of titleTerms) tf.set(term, (tf.get(term) ?? 0) + TITLE_WEIGHT);
  for (const term of bodyTerms) tf.set(term, (tf.get(term) ?? 0) + 1);
  const length = titleTerms.length * TITLE_WEIGHT + bodyTerms.length;
  return new Map(
    [...tf]
      .map(([term, count]) => [term, termImpact(count, length)] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_TERMS_PER_DOCUMENT),
  );
}
