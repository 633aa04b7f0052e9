/**
 * The tokeniser and the ranking: what Node's ICU makes of Chinese, the
 * bigram fallback, and properties every text must keep (a query built from
 * a document's own text always matches it; ranking is ordered and bounded).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  documentPostings,
  impactSortKey,
  inverseDocumentFrequency,
  MAX_TERMS_PER_DOCUMENT,
  rank,
  snippet,
  termImpact,
} from '#shared/domain/knowledge/ranking.js';
import { MAX_TERM_LENGTH, queryTerms, tokenise } from '#shared/domain/knowledge/tokenise.js';

describe('tokenise', () => {
  it.each([
    ['VPN 连接每五分钟断开一次', ['vpn', '连接', '五分钟', '断开', '一次', '连接', '接每', '每五', '五分', '分钟', '钟断', '断开', '开一', '一次']],
    ['VPN 断开', ['vpn', '断开', '断开']],
    ['连接', ['连接', '连接']],
    ['The printer is offline', ['printer', 'offline']],
    ['ＶＰＮ Error 0x80', ['vpn', 'error', '0x80']],
    ['打印机', ['打印', '打印', '印机']],
  ])('%s', (text, expected) => {
    expect(tokenise(text)).toEqual(expected);
  });

  it('the Done-when queries share terms with the article', () => {
    const article = new Set(tokenise('VPN 连接每五分钟断开一次'));
    for (const query of ['VPN 断开', '连接', '五分钟', '分钟', '断开一次']) {
      expect(
        queryTerms(query, 8).every((term) => article.has(term)),
        query,
      ).toBe(true);
    }
  });

  it('never yields an empty term, a # (the key separator) or one longer than the limit', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300, unit: fc.constantFrom('a', 'B', '#', ' ', '连', '接', '断', '开', '1', '-', '　', 'é', 'x'.repeat(50)) }),
        (text) => {
          for (const term of tokenise(text)) {
            expect(term.length).toBeGreaterThan(0);
            expect(term).not.toContain('#');
            expect([...term].length).toBeLessThanOrEqual(MAX_TERM_LENGTH);
          }
        },
      ),
    );
  });

  it('any two consecutive CJK characters of a text, searched alone, share a term with it', () => {
    const cjk = fc.constantFrom(...'连接每五分钟断开一次打印机无法网络'.split(''));
    fc.assert(
      fc.property(fc.array(cjk, { minLength: 2, maxLength: 30 }), fc.nat(), (chars, at) => {
        const i = at % (chars.length - 1);
        const text = new Set(tokenise(chars.join('')));
        expect(queryTerms(`${chars[i]}${chars[i + 1]}`, 8).some((term) => text.has(term))).toBe(true);
      }),
    );
  });
});

describe('ranking', () => {
  it('impact grows with term frequency and shrinks with document length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 5000 }), (tf, length) => {
        expect(termImpact(tf + 1, length)).toBeGreaterThan(termImpact(tf, length));
        expect(termImpact(tf, length + 10)).toBeLessThan(termImpact(tf, length));
      }),
    );
  });

  it('rarer terms weigh more; idf is never negative', () => {
    expect(inverseDocumentFrequency(1000, 1)).toBeGreaterThan(inverseDocumentFrequency(1000, 100));
    expect(inverseDocumentFrequency(10, 500)).toBeGreaterThanOrEqual(0);
  });

  it('posting sort keys order by impact, best first', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (a, b) => {
        if (Math.round(a * 10_000) === Math.round(b * 10_000)) return;
        expect(impactSortKey(a, 'd') < impactSortKey(b, 'd')).toBe(a > b);
      }),
    );
  });

  it('a document matching more of the query ranks first; results are bounded and ordered', () => {
    const ranked = rank(
      [
        {
          postings: [
            { doc: 'A', impact: 1 },
            { doc: 'B', impact: 1.2 },
          ],
        },
        { postings: [{ doc: 'A', impact: 1 }] },
      ],
      100,
      10,
    );
    expect(ranked.map((hit) => hit.doc)).toEqual(['A', 'B']);
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.record({ doc: fc.constantFrom('a', 'b', 'c', 'd'), impact: fc.double({ min: 0, max: 3, noNaN: true }) }), { maxLength: 10 }), {
          maxLength: 5,
        }),
        fc.integer({ min: 1, max: 3 }),
        (lists, top) => {
          const hits = rank(
            lists.map((postings) => ({ postings })),
            50,
            top,
          );
          expect(hits.length).toBeLessThanOrEqual(top);
          for (let i = 1; i < hits.length; i++) expect((hits[i - 1] as { score: number }).score).toBeGreaterThanOrEqual((hits[i] as { score: number }).score);
        },
      ),
    );
  });

  it('a document indexes at most its best terms, title words weighted', () => {
    const words = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    const postings = documentPostings('Printer offline', words, tokenise);
    expect(postings.size).toBe(MAX_TERMS_PER_DOCUMENT);
    expect([...postings.keys()].slice(0, 2).sort()).toEqual(['offline', 'printer']);
  });

  it('snippets cut around the first match', () => {
    const text = `${'前言'.repeat(100)}VPN 连接每五分钟断开一次${'后记'.repeat(100)}`;
    const cut = snippet(text, ['断开'], 40);
    expect(cut).toContain('断开');
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
    expect(snippet('short', ['x'])).toBe('short');
  });
});
