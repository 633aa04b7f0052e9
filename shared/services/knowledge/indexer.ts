/**
 * Keeps the search index in step with what may be found: the published
 * revision of each live article, and each active known error. Run by the
 * bus consumer of article and problem events; every run reads the record
 * as it is now and writes the index to match, so a redelivered or late
 * event converges on the same index.
 * @module
 */
import { getArticle } from '#shared/data/knowledge/article-repository.js';
import type { SearchScope } from '#shared/data/knowledge/keys.js';
import { adjustTotals, HEAD_TEXT_CHARS, type IndexedDocument, type IndexWrite, writeDocument } from '#shared/data/knowledge/search-index.js';
import { getProblem } from '#shared/data/problems/problem-repository.js';
import { type Article, completeness } from '#shared/domain/knowledge/article.js';
import { plainText } from '#shared/domain/knowledge/markdown.js';
import { documentPostings } from '#shared/domain/knowledge/ranking.js';
import { tokenise } from '#shared/domain/knowledge/tokenise.js';
import { isTerminalProblem } from '#shared/domain/problems/problem.js';

export const articleDocKey = (articleId: string) => `A.${articleId}`;
export const knownErrorDocKey = (problemId: string) => `K.${problemId}`;

/** Moves the totals by what the index write changed (documents per scope, live and complete articles). */
async function settleTotals(tenantId: string, write: IndexWrite): Promise<void> {
  const has = (head: IndexWrite['head'], scope: SearchScope) => (head?.scopes.includes(scope) ? 1 : 0);
  const article = (head: IndexWrite['head']) => (head?.kind === 'article' ? 1 : 0);
  const complete = (head: IndexWrite['head']) => (head?.kind === 'article' && head.complete ? 1 : 0);
  await adjustTotals(tenantId, {
    docsAll: has(write.head, 'all') - has(write.previous, 'all'),
    docsReq: has(write.head, 'req') - has(write.previous, 'req'),
    articlesLive: article(write.head) - article(write.previous),
    articlesComplete: complete(write.head) - complete(write.previous),
  });
}

/**
 * What the index holds for `article`: its published revision while it is
 * live, else nothing. Pure: the indexer and the search benchmark's bulk
 * load both build their items from it.
 */
export function articleDocument(article: Article): IndexedDocument | null {
  const live = article.status !== 'retired' ? article.published : null;
  if (!live) return null;
  const docKey = articleDocKey(article.id);
  const text = plainText(live.content.body);
  return {
    head: {
      docKey,
      kind: 'article',
      id: article.id,
      number: article.number,
      title: live.content.title,
      text: [...text].slice(0, HEAD_TEXT_CHARS).join(''),
      category: live.content.category,
      scopes: live.content.audience.includes('requesters') ? ['all', 'req'] : ['all'],
      complete: completeness(live.content).complete,
      updatedAt: live.publishedAt,
    },
    impacts: documentPostings(live.content.title, `${text} ${live.content.tags.join(' ')}`, tokenise),
  };
}

/** Indexes the article's published revision, or removes it (retired, or never published). */
export async function indexArticle(tenantId: string, articleId: string): Promise<IndexWrite> {
  const article = await getArticle(tenantId, articleId);
  const write = await writeDocument(tenantId, articleDocKey(articleId), article ? articleDocument(article) : null);
  await settleTotals(tenantId, write);
  return write;
}

/** Indexes the problem's known error while it is active (agents only), or removes it. */
export async function indexKnownError(tenantId: string, problemId: string): Promise<IndexWrite> {
  const problem = await getProblem(tenantId, problemId);
  const knownError = problem && !isTerminalProblem(problem.status) && problem.knownError?.status === 'active' ? problem.knownError : null;
  const docKey = knownErrorDocKey(problemId);
  const text = knownError ? `${knownError.symptoms}\n${knownError.cause}\n${knownError.workaround}` : '';
  const write = await writeDocument(
    tenantId,
    docKey,
    problem && knownError
      ? {
          head: {
            docKey,
            kind: 'known_error',
            id: problem.id,
            number: problem.number,
            title: problem.title,
            text: [...text].slice(0, HEAD_TEXT_CHARS).join(''),
            category: problem.category,
            scopes: ['all'],
            complete: true,
            updatedAt: knownError.publishedAt,
          },
          impacts: documentPostings(problem.title, text, tokenise),
        }
      : null,
  );
  await settleTotals(tenantId, write);
  return write;
}
