/**
 * The bounded search read: each term's top postings, candidates by their
 * best possible score, full scores from the documents themselves. Checked
 * against exhaustive BM25 over every posting.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candidates, impactOfSortKey, impactSortKey, type Posting, rank, rescore, type TermPostings } from '#shared/domain/knowledge/ranking.js';
import { postingsToRead } from '#shared/services/knowledge/search.js';

/** Every term's full posting list, best impact first, as the index holds it. */
type Corpus = Posting[][];

/** What a search reads of `corpus`: each term's best `limit` postings, with the term's true df. */
function read(corpus: Corpus, limit: number): TermPostings[] {
  return corpus.map((postings) => ({ postings: postings.slice(0, limit), df: postings.length, complete: postings.length <= limit }));
}

/** The search's two steps over `corpus`, reading `limit` postings per term, keeping `max` candidates. */
function search(corpus: Corpus, n: number, limit: number, top: number, max: number) {
  const lists = read(corpus, limit);
  const chosen = candidates(lists, n, top, max);
  // The document's own impacts for every query term, as its head gives them.
  const impactsOf = (doc: string) => new Map(corpus.flatMap((postings, t) => postings.filter((p) => p.doc === doc).map((p) => [t, p.impact] as const)));
  return { chosen, ...rescore(lists, n, chosen, impactsOf, top) };
}

const exhaustive = (corpus: Corpus, n: number, top: number) =>
  rank(
    corpus.map((postings) => ({ postings })),
    n,
    top,
  );

const list = (...entries: [string, number][]): Posting[] => entries.map(([doc, impact]) => ({ doc, impact }));

describe('bounded search read', () => {
  it.each([
    {
      name: 'a document in one term’s top and lower in the other’s is scored with both terms',
      // "vpn" top 2: v1, both; "断开" top 2: d1, d2; `both` has 断开 too, beyond its read.
      corpus: [list(['v1', 2.0], ['both', 1.9], ['v2', 1.0]), list(['d1', 2.0], ['d2', 1.95], ['both', 1.8], ['d3', 0.5])],
      limit: 2,
      top: 1,
      expected: ['both'],
    },
    {
      name: 'a single term needs no rescoring beyond its top',
      corpus: [list(['a', 3], ['b', 2], ['c', 1])],
      limit: 3,
      top: 2,
      expected: ['a', 'b'],
    },
    {
      name: 'complete lists rank exactly as BM25 over everything',
      corpus: [list(['a', 1], ['b', 0.5]), list(['b', 1], ['c', 0.9])],
      limit: 10,
      top: 3,
      expected: ['b', 'a', 'c'],
    },
  ])('$name', ({ corpus, limit, top, expected }) => {
    const result = search(corpus, 100, limit, top, 50);
    expect(result.hits.map((hit) => hit.doc)).toEqual(expected);
  });

  it('one term keeps only its top as candidates; several terms at most the cap', () => {
    const single = candidates([{ postings: list(['a', 3], ['b', 2], ['c', 1], ['d', 0.5]), df: 4 }], 100, 2, 50);
    expect(single.candidates.map((candidate) => candidate.doc)).toEqual(['a', 'b']);
    const many = Array.from({ length: 4 }, (_, t) => ({ postings: Array.from({ length: 200 }, (_, i) => ({ doc: `t${t}d${i}`, impact: 2 - i / 200 })) }));
    expect(candidates(many, 10_000, 10, 50).candidates.length).toBeLessThanOrEqual(50);
  });

  it('impacts survive the sort key to 4 decimals', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 99, noNaN: true }), (impact) => {
        expect(Math.abs(impactOfSortKey(impactSortKey(impact, 'A.x')) - impact)).toBeLessThanOrEqual(0.00005 + 1e-9);
      }),
    );
  });

  it('scores are never partial; bounded; and an answer it calls exact is the exhaustive top', () => {
    const corpusArb = fc.array(
      fc.uniqueArray(fc.record({ doc: fc.constantFrom(...'abcdefghijklmnop'.split('')), impact: fc.double({ min: 0.01, max: 3, noNaN: true }) }), {
        selector: (posting) => posting.doc,
        maxLength: 16,
      }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(corpusArb, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 8 }), (raw, limit, top, max) => {
        const corpus = raw.map((postings) => [...postings].sort((a, b) => b.impact - a.impact || a.doc.localeCompare(b.doc)));
        const n = 16;
        const result = search(corpus, n, limit, top, max);
        const exact = new Map(exhaustive(corpus, n, 100).map((hit) => [hit.doc, hit.score]));
        expect(result.chosen.candidates.length).toBeLessThanOrEqual(max);
        expect(result.hits.length).toBeLessThanOrEqual(top);
        for (const hit of result.hits) expect(hit.score).toBeCloseTo(exact.get(hit.doc) ?? 0, 9);
        for (let i = 1; i < result.hits.length; i++)
          expect((result.hits[i - 1] as { score: number }).score).toBeGreaterThanOrEqual((result.hits[i] as { score: number }).score);
        if (result.exact) {
          const best = exhaustive(corpus, n, top).map((hit) => hit.score);
          expect(result.hits.map((hit) => hit.score).map((score) => Number(score.toFixed(9)))).toEqual(best.map((score) => Number(score.toFixed(9))));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with every posting read, the answer is exact and equals exhaustive BM25', () => {
    const corpus = [list(['a', 2], ['b', 1], ['c', 0.2]), list(['c', 2], ['a', 0.1])];
    const result = search(corpus, 50, 10, 3, 50);
    expect(result.exact).toBe(true);
    expect(result.hits).toEqual(exhaustive(corpus, 50, 3));
  });
});

describe('postings read per term', () => {
  it.each([
    { terms: 1, request: { limit: 10 }, expected: 10, why: 'one word: its top 10 are the exact answer' },
    { terms: 1, request: { limit: 10, category: 'network' }, expected: 200, why: 'a category filter drops postings after the read' },
    { terms: 1, request: { limit: 10, kind: 'article' as const }, expected: 200, why: 'so does a kind filter' },
    { terms: 2, request: { limit: 10 }, expected: 200, why: 'several words: candidates come from each list' },
  ])('$why', ({ terms, request, expected }) => {
    expect(postingsToRead(terms, request)).toBe(expected);
  });
});
