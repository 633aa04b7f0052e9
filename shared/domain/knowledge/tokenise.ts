/**
 * The search tokeniser, for Chinese and English alike. `Intl.Segmenter`
 * (word granularity) splits both: in Node 20's ICU, "VPN 连接每五分钟断开一次"
 * yields `VPN`, `连接`, `每`, `五分钟`, `断开`, `一次`. Dictionary words alone
 * miss queries that cut words differently ("分钟" inside "五分钟"), so runs
 * of CJK characters are also indexed as overlapping character bigrams
 * (连接, 接每, 每五, 五分, 分钟 …), the classic CJK fallback, in which every two-character
 * query finds any text containing it, and a longer query matches through
 * its own words and bigrams. Single CJK characters are not indexed (each is
 * in a bigram, and alone they match almost everything). Latin words are
 * lower-cased and NFKC-folded (full-width ＶＰＮ = vpn); a few English stop
 * words are dropped. No regular expression runs on tenant text beyond
 * fixed, linear character classes.
 * @module
 */

/** Terms longer than this are cut (keys stay short; nobody searches for 41 letters). */
export const MAX_TERM_LENGTH = 40;

const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'has',
  'in',
  'is',
  'it',
  'of',
  'on',
  'or',
  'that',
  'the',
  'this',
  'to',
  'was',
  'were',
  'will',
  'with',
]);

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Han, Hiragana, Katakana, Hangul: scripts written without spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function isCjk(char: string): boolean {
  return CJK.test(char);
}

/** Every term occurrence of `text`, in order (duplicates kept: term frequency counts them). */
export function tokenise(text: string): string[] {
  const normalised = text.normalize('NFKC').toLowerCase();
  const terms: string[] = [];
  let run: string[] = [];
  const flushRun = () => {
    for (let i = 0; i + 1 < run.length; i++) terms.push(`${run[i]}${run[i + 1]}`);
    run = [];
  };
  for (const { segment, isWordLike } of segmenter.segment(normalised)) {
    const chars = [...segment];
    if (!isWordLike) {
      flushRun();
      continue;
    }
    if (chars.every(isCjk)) {
      // Words of two or more characters as the dictionary cut them; the bigrams of the run added when it ends.
      if (chars.length >= 2) terms.push(chars.slice(0, MAX_TERM_LENGTH).join(''));
      run.push(...chars);
      continue;
    }
    flushRun();
    if (chars.length < 2 && !/\d/.test(segment)) continue;
    if (STOP_WORDS.has(segment) || segment.includes('#')) continue;
    terms.push(chars.slice(0, MAX_TERM_LENGTH).join(''));
  }
  flushRun();
  return terms;
}

/** Term → frequency, and the document length in terms. */
export function termFrequencies(text: string): { readonly frequencies: Map<string, number>; readonly length: number } {
  const terms = tokenise(text);
  const frequencies = new Map<string, number>();
  for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  return { frequencies, length: terms.length };
}

/** The distinct terms of a query, in order of first appearance, at most `max` (each costs one Query). */
export function queryTerms(query: string, max: number): string[] {
  return [...new Set(tokenise(query))].slice(0, max);
}
