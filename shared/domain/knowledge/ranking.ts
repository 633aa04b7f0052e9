/**
 * Relevance ranking: BM25 split into its two halves so the index can be
 * read a bounded amount per term. The term-frequency half (the "impact" of
 * a term in a document) depends only on the document and is computed when
 * it is indexed, becoming the sort order of the term's postings, so a
 * Query reads a term's best documents first; the idf half depends on the
 * collection and is computed at query time from the number of documents
 * and the postings read (exact when a term's postings fit in one read;
 * for a term in more documents than that, its df is at least the read
 * limit and its idf at most that of the limit, which is what a term that
 * common deserves). Pure functions.
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

/**
 * Scores documents from each term's postings: Σ idf(term) × impact. `n` is
 * the number of documents searched; a term whose read was cut at the read
 * limit takes df = that limit (a lower bound, see the module note).
 */
export function rank(postingsByTerm: readonly { readonly postings: readonly Posting[] }[], n: number, top: number): { doc: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const { postings } of postingsByTerm) {
    const idf = inverseDocumentFrequency(n, postings.length);
    for (const posting of postings) scores.set(posting.doc, (scores.get(posting.doc) ?? 0) + idf * posting.impact);
  }
  return [...scores]
    .map(([doc, score]) => ({ doc, score }))
    .sort((a, b) => b.score - a.score || a.doc.localeCompare(b.doc))
    .slice(0, top);
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
