/**
 * What every article handler does the same way: find the article the
 * caller may read, present it (Markdown rendered safely; requesters see
 * the published revision only), and change it on the one mutation path.
 * @module
 */
import { type ArticleStats, getArticle, getArticleByNumber, getArticleStats, saveArticle } from '#shared/data/knowledge/article-repository.js';
import { mutateRecord } from '#shared/data/mutate.js';
import { ForbiddenError, NotFoundError } from '#shared/domain/errors.js';
import {
  type Article,
  type ArticleChange,
  type ArticleContent,
  allowedArticleActions,
  canRead,
  completeness,
  isReviewOverdue,
} from '#shared/domain/knowledge/article.js';
import { renderMarkdown } from '#shared/domain/knowledge/markdown.js';
import { type Actor, isStaff } from '#shared/domain/roles.js';
import type { ApiResult } from '#shared/http/http-handler.js';

/** The article `idOrNumber` names if `actor` may read it; otherwise (another tenant's, a draft for a requester) not found. */
export async function findReadableArticle(actor: Pick<Actor, 'tenantId' | 'roles'>, idOrNumber: string): Promise<Article> {
  const article = idOrNumber.startsWith('KB') ? await getArticleByNumber(actor.tenantId, idOrNumber) : await getArticle(actor.tenantId, idOrNumber);
  if (!article || !canRead(actor, article)) throw new NotFoundError(`Article ${idOrNumber} was not found.`);
  return article;
}

const withHtml = (content: ArticleContent) => ({ ...content, html: renderMarkdown(content.body) });
const NO_STATS: ArticleStats = { views: 0, helpful: 0, notHelpful: 0, uses: 0 };

/** The API representation for `actor` at `now`. */
export function articleResource(article: Article, actor: Pick<Actor, 'roles'>, now: string, stats: ArticleStats = NO_STATS) {
  const staff = isStaff(actor);
  const published = article.published;
  // Requesters read the published revision, never a working copy.
  const content = staff || !published ? article.content : published.content;
  return {
    id: article.id,
    number: article.number,
    status: staff ? article.status : 'published',
    revision: staff || !published ? article.revision : published.revision,
    content: withHtml(content),
    authorId: staff || !published ? article.authorId : published.authorId,
    review: staff ? article.review : null,
    published: published ? { ...published, content: withHtml(published.content) } : null,
    reviewDueAt: article.reviewDueAt,
    reviewOverdue: isReviewOverdue(article, now),
    completeness: completeness(content),
    retired: article.retired,
    stats,
    allowedActions: staff ? allowedArticleActions(article.status) : [],
    createdAt: article.createdAt,
    createdBy: article.createdBy,
    updatedAt: article.updatedAt,
    version: article.version,
  };
}

export async function articleResult(
  article: Article,
  actor: Pick<Actor, 'roles' | 'tenantId'>,
  now: string,
  options: { statusCode?: number; headers?: Record<string, string>; withStats?: boolean } = {},
): Promise<ApiResult> {
  const stats = options.withStats ? await getArticleStats(actor.tenantId, article.id) : NO_STATS;
  return {
    statusCode: options.statusCode ?? 200,
    body: articleResource(article, actor, now, stats),
    version: article.version,
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

/** The article, for staff only: a requester who can read it hears 403, one who cannot 404. */
export async function findArticleForStaff(actor: Pick<Actor, 'tenantId' | 'roles'>, idOrNumber: string): Promise<Article> {
  const article = await findReadableArticle(actor, idOrNumber);
  if (!isStaff(actor)) throw new ForbiddenError('Only the service desk writes, reviews and audits articles.');
  return article;
}

/** Read (staff only), check If-Match, apply, write conditionally on the version read. */
export async function changeArticle(
  actor: Actor,
  idOrNumber: string,
  ifMatch: number | undefined,
  change: (article: Article) => ArticleChange,
): Promise<Article> {
  const { mutation } = await mutateRecord({
    load: () => findArticleForStaff(actor, idOrNumber),
    expectedVersion: ifMatch,
    apply: change,
    save: (result, article, named) => saveArticle(result, article, actor, named),
  });
  return mutation.article;
}
